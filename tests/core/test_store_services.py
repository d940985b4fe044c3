import pytest

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import AuditEvent, Store
from huiyuan.core.services import create_store, update_store

pytestmark = pytest.mark.django_db


def test_create_store_normalises_the_code_and_audits(admin):
    actor = Actor(operator=admin, ip="10.0.0.8")
    store = create_store(actor=actor, code=" bj01 ", name="北京王府井店", phone="010-1")
    assert store.code == "BJ01"
    event = AuditEvent.objects.get(action="store.create")
    assert (event.operator, event.store, event.ip) == (admin, store, "10.0.0.8")
    assert event.after["name"] == "北京王府井店"


def test_duplicate_code_is_refused_and_writes_nothing(admin, store):
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        create_store(actor=Actor(operator=admin), code=store.code.lower(), name="重复")
    assert refused.value.code == "STORE_CODE_EXISTS"
    assert refused.value.fields == {"code": "门店编码已存在"}
    assert Store.objects.filter(code=store.code).count() == 1
    assert AuditEvent.objects.count() == events


def test_invalid_fields_are_a_validation_error(admin):
    stores = Store.objects.count()
    with pytest.raises(DomainError) as refused:
        create_store(actor=Actor(operator=admin), code="BAD CODE!", name="")
    assert refused.value.code == "VALIDATION_ERROR"
    assert set(refused.value.fields) == {"code", "name"}
    assert Store.objects.count() == stores


def test_update_store_audits_only_what_changed(admin, store):
    update_store(actor=Actor(operator=admin), store=store, name="新名字", phone=store.phone)
    event = AuditEvent.objects.get(action="store.update")
    assert event.before == {"name": "南京路旗舰店"}
    assert event.after == {"name": "新名字"}


def test_an_update_that_changes_nothing_writes_no_audit(admin, store):
    update_store(actor=Actor(operator=admin), store=store, name=store.name)
    assert not AuditEvent.objects.filter(action="store.update").exists()


def test_update_store_refuses_unknown_fields(admin, store):
    with pytest.raises(TypeError):
        update_store(actor=Actor(operator=admin), store=store, colour="red")
