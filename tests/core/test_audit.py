import pytest
from django.db import transaction

from huiyuan.api.models import ApiKey
from huiyuan.api.services import create_api_key
from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.models import AuditEvent, Store
from huiyuan.core.services import create_store
from huiyuan.staff import services as staff_services
from huiyuan.staff.models import Operator, Role
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


ACTIONS = {
    "store.create": lambda actor, store, roles: create_store(
        actor=actor, code="BJ01", name="北京店"
    ),
    "operator.create": lambda actor, store, roles: staff_services.create_operator(
        actor=actor, username="wanghong", password=TEST_PASSWORD, stores=[store]
    ),
    "role.create": lambda actor, store, roles: staff_services.create_role(actor=actor, name="督导"),
    "api_key.create": lambda actor, store, roles: create_api_key(
        actor=actor, store=store, name="POS"
    ),
    "operator.reset_password": lambda actor, store, roles: staff_services.reset_password(
        actor=actor, operator=actor.operator, new_password="Another-pass-9"
    ),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_audit_event_is_rolled_back_with_the_failing_action(
    action, admin, store, roles, monkeypatch
):
    """The audit row and the action share one transaction: if the action fails after the audit
    row was written, neither is kept."""
    real_record = audit.record

    def record_then_fail(*args, **kwargs):
        real_record(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", record_then_fail)
    counts = {model: model.objects.count() for model in (AuditEvent, Store, Operator, Role, ApiKey)}
    password = Operator.objects.get(pk=admin.pk).password
    with pytest.raises(RuntimeError, match="disk full"):
        ACTIONS[action](Actor(operator=admin), store, roles)
    assert {model: model.objects.count() for model in counts} == counts
    assert Operator.objects.get(pk=admin.pk).password == password


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
