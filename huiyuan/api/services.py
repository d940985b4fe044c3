"""API keys for POS terminals: create (shown once), revoke, authenticate."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.api.models import ApiKey
from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import Store

KEY_PREFIX = "hy_"
# last_used_at is refreshed at most this often, so busy tills don't write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@transaction.atomic
def create_api_key(*, actor: Actor, store: Store, name: str) -> tuple[ApiKey, str]:
    """A new key for a terminal of `store`. Returns the row and the raw key (shown only once)."""
    name = name.strip()
    if not name:
        raise DomainError("VALIDATION_ERROR", fields={"name": _("请填写终端名称")})
    if not store.is_active:
        raise DomainError("STORE_NOT_FOUND", field="store")
    raw_key = KEY_PREFIX + secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(
        name=name,
        store=store,
        prefix=raw_key[: len(KEY_PREFIX) + 6],
        key_hash=ApiKey.hash(raw_key),
        created_by=actor.operator,
    )
    audit.record(
        actor, "api_key.create", api_key, after={"name": name, "store": store.code}, store=store
    )
    return api_key, raw_key


@transaction.atomic
def revoke_api_key(*, actor: Actor, api_key: ApiKey) -> ApiKey:
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        audit.record(actor, "api_key.revoke", api_key, after={"revoked": True}, store=api_key.store)
    return api_key


def authenticate_api_key(raw_key: str) -> ApiKey:
    """The active key for this bearer token, or AUTH_REQUIRED / API_KEY_REVOKED."""
    try:
        api_key = ApiKey.objects.select_related("store").get(key_hash=ApiKey.hash(raw_key))
    except ApiKey.DoesNotExist:
        raise DomainError("AUTH_REQUIRED") from None
    if api_key.revoked_at is not None or not api_key.store.is_active:
        raise DomainError("API_KEY_REVOKED")  # a closed store's terminals are refused too
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key
