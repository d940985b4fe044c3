import pytest
from django.db import transaction

from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.models import AuditEvent, Store
from huiyuan.core.services import create_store

pytestmark = pytest.mark.django_db


def test_audit_event_is_rolled_back_with_the_failing_action(admin, monkeypatch):
    """The audit row and the action share one transaction: if the action fails after the audit
    row was written, neither is kept."""
    real_record = audit.record

    def record_then_fail(*args, **kwargs):
        real_record(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", record_then_fail)
    with pytest.raises(RuntimeError):
        create_store(actor=Actor(operator=admin), code="BJ01", name="北京店")
    assert not AuditEvent.objects.filter(action="store.create").exists()
    assert not Store.objects.filter(code="BJ01").exists()


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
