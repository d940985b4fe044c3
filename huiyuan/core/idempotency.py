"""Idempotency keys: a request repeated with the same key applies once.

The record is inserted first, inside the action's transaction, so a concurrent duplicate blocks on
the unique constraint until the first commits and then replays its answer (PostgreSQL), or waits
for the write lock (SQLite). Only successful answers are kept: a refused request writes nothing,
so the caller may fix the cause and retry with the same key.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from huiyuan.core.errors import DomainError
from huiyuan.core.models import IdempotencyRecord

MAX_KEY_LENGTH = 64


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    content_type: str
    body: str
    replayed: bool = False


def request_fingerprint(body: bytes, query: str = "", path: str = "") -> str:
    """Hash of the request: its concrete path, its query string and its body.

    JSON bodies are compared by content, not by key order or spacing; anything that isn't JSON
    (including JSON nested too deeply to parse) is hashed as raw bytes, and the parser refuses it
    later. The path is here because the record keeps only the route (`endpoint`): the same key
    and body sent to `/members/A/…` and then `/members/B/…` is IDEMPOTENCY_KEY_REUSED.
    """
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, RecursionError):
        canonical = body
    # JSON-encoded, so no text can move between path and query and give the same hash.
    head = json.dumps([path, query]).encode()
    return hashlib.sha256(head + b"\n" + canonical).hexdigest()


def validate_key(key: str) -> str:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise DomainError("IDEMPOTENCY_KEY_INVALID", field="Idempotency-Key")
    return key


def run_once(
    *,
    caller: str,
    endpoint: str,
    key: str,
    fingerprint: str,
    action: Callable[[], StoredResponse],
) -> StoredResponse:
    """Run `action` once per (caller, endpoint, key); repeats get the first successful answer.

    `endpoint` is the method and route template (bounded by our code, never the raw path, which
    may be any length and hold NUL); whatever else tells requests apart, the concrete path
    included, belongs in `fingerprint`.
    """
    validate_key(key)
    lookup = {"caller": caller, "endpoint": endpoint, "key": key}
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(**lookup, request_hash=fingerprint)
        except IntegrityError:
            return _replay(IdempotencyRecord.objects.get(**lookup), fingerprint)
        response = action()
        if 200 <= response.status_code < 300:
            record.status_code = response.status_code
            record.content_type = response.content_type
            record.response_body = response.body
            record.save(update_fields=["status_code", "content_type", "response_body"])
        else:
            transaction.set_rollback(True)
        return response


def _replay(record: IdempotencyRecord, fingerprint: str) -> StoredResponse:
    if record.request_hash != fingerprint:
        raise DomainError("IDEMPOTENCY_KEY_REUSED")
    return StoredResponse(
        record.status_code, record.content_type, record.response_body, replayed=True
    )


def purge_expired_records(now=None) -> int:
    """Forget keys older than IDEMPOTENCY_KEY_TTL_DAYS; returns how many were removed."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.IDEMPOTENCY_KEY_TTL_DAYS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
