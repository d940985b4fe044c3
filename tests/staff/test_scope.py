import pytest

from huiyuan.core.actors import Actor
from huiyuan.core.models import AuditEvent
from huiyuan.core.selectors import audit_events
from huiyuan.core.services import update_store
from huiyuan.staff.scope import scope_to_stores, stores_for

pytestmark = pytest.mark.django_db


def test_an_operator_sees_only_their_stores(make_operator, store, other_store):
    manager = make_operator("store_manager", stores=[store])
    assert list(stores_for(manager)) == [store]


def test_administrators_see_every_active_store(admin, store, other_store):
    assert set(stores_for(admin)) == {store, other_store}
    other_store.is_active = False
    other_store.save()
    assert list(stores_for(admin)) == [store]


def test_store_managers_see_only_their_stores_audit_events(
    admin, make_operator, store, other_store
):
    manager = make_operator("store_manager", stores=[store])
    update_store(actor=Actor(operator=admin), store=store, phone="1")
    update_store(actor=Actor(operator=admin), store=other_store, phone="2")
    seen = audit_events(manager, action="store.update")
    assert [event.store for event in seen] == [store]
    assert audit_events(admin, action="store.update").count() == 2
    assert scope_to_stores(AuditEvent.objects.all(), admin).count() == AuditEvent.objects.count()
