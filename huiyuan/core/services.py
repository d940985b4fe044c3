"""Stores: create and change, each audited in its own transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction

from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import Store

STORE_FIELDS = ["code", "name", "address", "phone", "allow_negative_stock", "is_active"]


@transaction.atomic
def create_store(
    *,
    actor: Actor,
    code: str,
    name: str,
    address: str = "",
    phone: str = "",
    allow_negative_stock: bool = False,
    is_active: bool = True,
) -> Store:
    store = Store(
        code=code.strip().upper(),
        name=name.strip(),
        address=address,
        phone=phone,
        allow_negative_stock=allow_negative_stock,
        is_active=is_active,
    )
    _save_valid(store)
    audit.record(
        actor, "store.create", store, after=audit.snapshot(store, STORE_FIELDS), store=store
    )
    return store


@transaction.atomic
def update_store(*, actor: Actor, store: Store, **changes) -> Store:
    unknown = set(changes) - set(STORE_FIELDS)
    if unknown:
        raise TypeError(f"not store fields: {sorted(unknown)}")
    store = Store.objects.select_for_update().get(pk=store.pk)
    before = audit.snapshot(store, STORE_FIELDS)
    for name, value in changes.items():
        setattr(store, name, value.strip().upper() if name == "code" else value)
    _save_valid(store)
    old, new = audit.changes(before, audit.snapshot(store, STORE_FIELDS))
    if new:
        audit.record(actor, "store.update", store, before=old, after=new, store=store)
    return store


def _save_valid(store: Store) -> None:
    if Store.objects.filter(code=store.code).exclude(pk=store.pk).exists():
        raise DomainError("STORE_CODE_EXISTS", field="code")
    try:
        store.full_clean()
    except ValidationError as exc:
        raise DomainError.from_validation(exc) from exc
    store.save()
