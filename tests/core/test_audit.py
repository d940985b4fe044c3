from types import SimpleNamespace

import pytest
from django.db import transaction

from huiyuan.api.models import ApiKey
from huiyuan.api.services import create_api_key, revoke_api_key
from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.models import AuditEvent, Store
from huiyuan.core.services import create_store, update_store
from huiyuan.staff import services as staff_services
from huiyuan.staff.models import Operator, Role
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


ACTIONS = {
    "store.create": lambda a, c: create_store(actor=a, code="BJ01", name="北京店"),
    "store.update": lambda a, c: update_store(actor=a, store=c.store, name="改名"),
    "operator.create": lambda a, c: staff_services.create_operator(
        actor=a, username="wanghong", password=TEST_PASSWORD, stores=[c.store]
    ),
    "operator.update": lambda a, c: staff_services.update_operator(
        actor=a,
        operator=c.cashier,
        full_name="改名",
        phone="",
        stores=[c.store],
        roles=[],
        default_store=None,
        is_active=False,
    ),
    "operator.reset_password": lambda a, c: staff_services.reset_password(
        actor=a, operator=c.cashier, new_password="Another-pass-9"
    ),
    "operator.change_password": lambda a, c: staff_services.change_own_password(
        actor=a, new_password="Another-pass-9"
    ),
    "role.create": lambda a, c: staff_services.create_role(actor=a, name="督导"),
    "role.update": lambda a, c: staff_services.update_role(
        actor=a, role=c.role, name="区域督导", description="", permissions=[]
    ),
    "role.delete": lambda a, c: staff_services.delete_role(actor=a, role=c.role),
    "api_key.create": lambda a, c: create_api_key(actor=a, store=c.store, name="POS"),
    "api_key.revoke": lambda a, c: revoke_api_key(actor=a, api_key=c.api_key),
}


def database_state() -> dict:
    """Every row the audited actions touch, many-to-many links included."""
    models = [
        AuditEvent,
        Store,
        Operator,
        Role,
        ApiKey,
        Operator.groups.through,
        Operator.stores.through,
        Role.permissions.through,
    ]
    return {model: list(model.objects.order_by("pk").values()) for model in models}


def test_every_platform_action_is_covered():
    platform = {
        a
        for a in audit.ACTION_LABELS
        if a.split(".")[0] in {"store", "operator", "role", "api_key"}
    }
    assert set(ACTIONS) == platform


@pytest.mark.parametrize("action", ACTIONS)
def test_audit_event_is_rolled_back_with_the_failing_action(
    action, admin, store, roles, make_operator, monkeypatch
):
    """The audit row and the action share one transaction: if the action fails after the audit
    row was written, neither is kept."""
    context = SimpleNamespace(
        store=store,
        cashier=make_operator("cashier"),
        role=staff_services.create_role(actor=Actor(operator=admin), name="临时角色"),
        api_key=create_api_key(actor=Actor.system(), store=store, name="1号机")[0],
    )
    real_record = audit.record

    def record_then_fail(*args, **kwargs):
        real_record(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", record_then_fail)
    before = database_state()
    with pytest.raises(RuntimeError, match="disk full"):
        ACTIONS[action](Actor(operator=admin), context)
    assert database_state() == before


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction(admin, store):
    with pytest.raises(RuntimeError, match="inside"):
        audit.record(Actor(operator=admin), "store.update", store)


def test_record_refuses_unknown_actions(admin, store):
    with transaction.atomic(), pytest.raises(ValueError, match="unknown audit action"):
        audit.record(Actor(operator=admin), "store.paint", store)


def test_audit_rows_are_append_only(admin, store):
    with transaction.atomic():
        event = audit.record(Actor(operator=admin), "store.update", store, after={"x": 1})
    event.action = "store.create"
    with pytest.raises(TypeError, match="append-only"):
        event.save()
    with pytest.raises(TypeError, match="append-only"):
        event.delete()


def test_changes_keeps_only_changed_fields():
    assert audit.changes({"a": 1, "b": 2}, {"a": 1, "b": 3}) == ({"b": 2}, {"b": 3})
