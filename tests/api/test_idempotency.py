"""Idempotency-Key on money- and points-moving POSTs (API.md "Conventions")."""

import json
import threading
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from huiyuan.api import conventions
from huiyuan.api.models import ApiKey
from huiyuan.api.services import create_api_key, revoke_api_key
from huiyuan.core.actors import Actor
from huiyuan.core.idempotency import purge_expired_records, request_fingerprint
from huiyuan.core.models import AuditEvent, IdempotencyRecord
from tests.api.idempotency_urls import ACCOUNT_CHARGES_URL, ACTION, CHARGES_URL, CRASH_AMOUNT_FEN

pytestmark = [pytest.mark.urls("tests.api.idempotency_urls"), pytest.mark.django_db]


def applied() -> int:
    return AuditEvent.objects.filter(action=ACTION).count()


def post(client, body, key=None, url=CHARGES_URL, **extra):
    if key is not None:
        extra["HTTP_IDEMPOTENCY_KEY"] = key
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json", **extra)


def account_url(account: str) -> str:
    return ACCOUNT_CHARGES_URL.format(account=account)


def test_five_repeats_apply_once_and_replay_the_first_answer(api):
    body = {"amount_fen": 1250, "note": "收银 1 号"}
    first = post(api, body, key="sale-0001")
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    assert first.json()["applied_count"] == 1

    repeats = [post(api, body, key="sale-0001") for _ in range(4)]

    assert applied() == 1
    for response in repeats:
        assert response.status_code == first.status_code
        assert response.content == first.content
        assert response["Content-Type"] == first["Content-Type"]
        assert response["Idempotent-Replayed"] == "true"
    assert IdempotencyRecord.objects.count() == 1


def test_same_key_with_a_different_body_is_refused_and_applies_nothing(api):
    assert post(api, {"amount_fen": 1250}, key="sale-0002").status_code == 201

    response = post(api, {"amount_fen": 9999}, key="sale-0002")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert "Idempotent-Replayed" not in response.headers
    assert applied() == 1
    # The first request is still remembered as it was, and still replays.
    replay = post(api, {"amount_fen": 1250}, key="sale-0002")
    assert replay.status_code == 201
    assert replay["Idempotent-Replayed"] == "true"
    assert applied() == 1


def test_same_body_with_reordered_keys_and_other_spacing_is_a_replay(api):
    first = post(api, '{"amount_fen": 500, "note": "找零"}', key="sale-0003")
    assert first.status_code == 201

    again = post(api, '{\n  "note":"找零",\n  "amount_fen":500\n}', key="sale-0003")

    assert again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert applied() == 1


def test_a_refused_request_writes_nothing_and_is_not_remembered(api):
    """The view writes before it refuses; the wrapper's transaction takes the write back."""
    response = post(api, {"amount_fen": -1}, key="sale-0004")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert response.json()["error"]["fields"] == {"amount_fen": "金额不能为负"}
    assert applied() == 0
    assert not IdempotencyRecord.objects.exists()

    # Not remembered: the same request is judged again (and refused again), not replayed.
    again = post(api, {"amount_fen": -1}, key="sale-0004")
    assert again.status_code == 422
    assert "Idempotent-Replayed" not in again.headers
    assert applied() == 0
    assert not IdempotencyRecord.objects.exists()

    # The caller fixes the cause and retries with the same key: it applies now, once.
    fixed = post(api, {"amount_fen": 1}, key="sale-0004")
    assert fixed.status_code == 201
    assert "Idempotent-Replayed" not in fixed.headers
    assert post(api, {"amount_fen": 1}, key="sale-0004")["Idempotent-Replayed"] == "true"
    assert applied() == 1


def test_an_unexpected_error_writes_nothing_and_is_not_remembered(api):
    response = post(api, {"amount_fen": CRASH_AMOUNT_FEN}, key="sale-0005")

    assert response.status_code == 500
    assert response.json()["error"]["code"] == "INTERNAL_ERROR"
    assert applied() == 0
    assert not IdempotencyRecord.objects.exists()


def test_bad_input_with_a_key_is_not_remembered(api):
    response = post(api, {"amount_fen": "很多"}, key="sale-0006")

    assert response.status_code == 422
    assert "amount_fen" in response.json()["error"]["fields"]
    assert not IdempotencyRecord.objects.exists()
    assert post(api, {"amount_fen": 3}, key="sale-0006").status_code == 201


@pytest.mark.parametrize(
    "key", ["", "k" * 65, "sale\t0008", "sale\x000008"], ids=["empty", "65-chars", "tab", "nul"]
)
def test_an_invalid_key_is_refused(api, key):
    response = post(api, {"amount_fen": 100}, key=key)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "IDEMPOTENCY_KEY_INVALID"
    assert "Idempotency-Key" in error["fields"]
    assert applied() == 0
    assert not IdempotencyRecord.objects.exists()


def test_a_64_character_key_is_accepted(api):
    key = "k" * 64
    assert post(api, {"amount_fen": 100}, key=key).status_code == 201
    assert post(api, {"amount_fen": 100}, key=key)["Idempotent-Replayed"] == "true"
    assert applied() == 1


def test_without_a_key_every_request_applies(api):
    for _ in range(3):
        response = post(api, {"amount_fen": 100})
        assert response.status_code == 201
        assert "Idempotent-Replayed" not in response.headers
    assert applied() == 3
    assert not IdempotencyRecord.objects.exists()


def test_different_api_keys_do_not_share_idempotency_keys(api, store):
    _, other_raw = create_api_key(actor=Actor.system(), store=store, name="2号收银机")
    other = Client(HTTP_AUTHORIZATION=f"Bearer {other_raw}")

    first = post(api, {"amount_fen": 100}, key="shared-key")
    second = post(other, {"amount_fen": 100}, key="shared-key")
    # A different body is no conflict either: the key belongs to the other caller.
    third = post(other, {"amount_fen": 200}, key="shared-key-2")
    fourth = post(api, {"amount_fen": 300}, key="shared-key-2")

    assert [r.status_code for r in (first, second, third, fourth)] == [201] * 4
    assert not any("Idempotent-Replayed" in r.headers for r in (first, second, third, fourth))
    assert applied() == 4
    assert IdempotencyRecord.objects.count() == 4


def test_a_key_needs_a_valid_api_key(client):
    response = post(client, {"amount_fen": 100}, key="sale-0007")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "AUTH_REQUIRED"
    assert applied() == 0
    assert not IdempotencyRecord.objects.exists()


def test_a_revoked_api_key_is_refused_before_the_key_is_looked_at(api, api_key_pair):
    assert post(api, {"amount_fen": 100}, key="sale-0008").status_code == 201
    revoke_api_key(actor=Actor.system(), api_key=api_key_pair[0])

    response = post(api, {"amount_fen": 100}, key="sale-0008")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "API_KEY_REVOKED"
    assert "Idempotent-Replayed" not in response.headers
    assert applied() == 1


@pytest.mark.parametrize("scheme", ["Token", "Basic", "Key"])
def test_a_valid_key_under_another_scheme_is_auth_required_not_a_replay(
    client, api_key_pair, scheme
):
    """Only `Bearer` carries an API key, with or without an Idempotency-Key: a stored answer is
    never replayed to a request that ninja's own authentication would refuse."""
    raw = api_key_pair[1]
    first = post(client, {"amount_fen": 100}, "sale-0009", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert first.status_code == 201
    ApiKey.objects.filter(pk=api_key_pair[0].pk).update(last_used_at=None)

    repeat = post(client, {"amount_fen": 100}, "sale-0009", HTTP_AUTHORIZATION=f"{scheme} {raw}")
    fresh = post(client, {"amount_fen": 100}, "sale-0010", HTTP_AUTHORIZATION=f"{scheme} {raw}")

    for response in (repeat, fresh):
        assert response.status_code == 401, response.content
        assert response.json()["error"]["code"] == "AUTH_REQUIRED"
        assert "Idempotent-Replayed" not in response.headers
    assert applied() == 1
    assert IdempotencyRecord.objects.count() == 1
    # A refused request is no use of the key.
    assert ApiKey.objects.get(pk=api_key_pair[0].pk).last_used_at is None


def test_a_revoked_key_under_another_scheme_is_auth_required_as_without_a_key(client, api_key_pair):
    revoke_api_key(actor=Actor.system(), api_key=api_key_pair[0])
    header = f"Token {api_key_pair[1]}"

    with_key = post(client, {"amount_fen": 100}, "sale-0011", HTTP_AUTHORIZATION=header)
    without = post(client, {"amount_fen": 100}, HTTP_AUTHORIZATION=header)

    assert with_key.json()["error"]["code"] == without.json()["error"]["code"] == "AUTH_REQUIRED"


def test_the_api_key_is_looked_up_once_per_request(api, monkeypatch):
    calls = []
    real = conventions.authenticate_api_key

    def counting(token):
        calls.append(token)
        return real(token)

    monkeypatch.setattr(conventions, "authenticate_api_key", counting)

    assert post(api, {"amount_fen": 100}, key="sale-0012").status_code == 201
    assert len(calls) == 1
    assert post(api, {"amount_fen": 100}, key="sale-0012")["Idempotent-Replayed"] == "true"
    assert len(calls) == 2


# --- the path ------------------------------------------------------------------------------------


def test_the_record_keeps_the_route_not_the_concrete_path(api):
    response = post(api, {"amount_fen": 100}, key="acct-1", url=account_url("A-001"))

    assert response.status_code == 201
    assert response.json()["account"] == "A-001"
    record = IdempotencyRecord.objects.get()
    assert record.endpoint == "POST api/v1/test/accounts/<account>/charges"
    again = post(api, {"amount_fen": 100}, key="acct-1", url=account_url("A-001"))
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == response.content
    assert applied() == 1


def test_same_key_and_body_on_another_path_of_the_route_is_reused(api):
    """The concrete path is part of the fingerprint: the key already named a charge to A-001."""
    assert post(api, {"amount_fen": 100}, key="acct-2", url=account_url("A-001")).status_code == 201

    response = post(api, {"amount_fen": 100}, key="acct-2", url=account_url("B-002"))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert applied() == 1


def test_the_same_key_on_two_routes_is_two_requests(api):
    assert post(api, {"amount_fen": 100}, key="acct-3").status_code == 201
    response = post(api, {"amount_fen": 100}, key="acct-3", url=account_url("A-001"))

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response.headers
    assert applied() == 2


@pytest.mark.parametrize("key", [None, "acct-4"], ids=["no-key", "with-key"])
@pytest.mark.parametrize(
    "account",
    ["A" * 300, "%00", "A-%00", "%E4%B8%AD" * 100],
    ids=["long", "nul", "nul-inside", "long-utf8"],
)
def test_a_long_or_nul_path_parameter_is_a_clean_422(api, key, account):
    """The concrete path (up to the server's limits, NUL included) never reaches a column."""
    response = post(api, {"amount_fen": 100}, key=key, url=account_url(account))

    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert "path.account" in error["fields"]
    assert applied() == 0
    assert not IdempotencyRecord.objects.exists()


def test_the_fingerprint_tells_paths_apart_and_survives_deep_nesting():
    deep = b"[" * 50_000 + b"]" * 50_000
    body = b'{"amount_fen": 1}'

    assert request_fingerprint(body, "", "/a") != request_fingerprint(body, "", "/b")
    # The parts can't run into one another: moving text between path and query changes the hash.
    assert request_fingerprint(body, "b\nc", "/a") != request_fingerprint(body, "c", "/a\nb")
    assert request_fingerprint(deep) == request_fingerprint(deep)
    assert request_fingerprint(deep) != request_fingerprint(deep + b" ")


def test_purge_forgets_keys_older_than_the_ttl_and_keeps_newer_ones(api):
    ttl = timedelta(days=settings.IDEMPOTENCY_KEY_TTL_DAYS)
    now = timezone.now()
    with time_machine.travel(now - ttl - timedelta(hours=1), tick=False):
        assert post(api, {"amount_fen": 100}, key="old").status_code == 201
    with time_machine.travel(now - ttl + timedelta(hours=1), tick=False):
        assert post(api, {"amount_fen": 100}, key="recent").status_code == 201

    with time_machine.travel(now, tick=False):
        assert purge_expired_records() == 1

    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["recent"]
    # The forgotten key applies afresh; the kept one still replays.
    assert "Idempotent-Replayed" not in post(api, {"amount_fen": 100}, key="old").headers
    assert post(api, {"amount_fen": 100}, key="recent")["Idempotent-Replayed"] == "true"
    assert applied() == 3


def test_the_daily_huey_task_purges(api):
    from huiyuan.tasks import purge_idempotency_records

    ttl = timedelta(days=settings.IDEMPOTENCY_KEY_TTL_DAYS)
    with time_machine.travel(timezone.now() - ttl - timedelta(days=1), tick=False):
        post(api, {"amount_fen": 100}, key="old-1")
        post(api, {"amount_fen": 100}, key="old-2")
    post(api, {"amount_fen": 100}, key="today")

    # HUEY immediate mode: calling the task runs it inline. Huey keeps no results for periodic
    # tasks, so the handle answers None; the count is only visible when called locally.
    result = purge_idempotency_records()

    assert result.get() is None
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["today"]
    with time_machine.travel(timezone.now() + ttl + timedelta(days=1), tick=False):
        assert purge_idempotency_records.call_local() == 1
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_repeats_apply_once(api_key_pair):
    """8 tills retrying at once: one application, every answer the same."""
    raw = api_key_pair[1]
    body = json.dumps({"amount_fen": 8800, "note": "并发"})
    barrier = threading.Barrier(8)
    answers = [None] * 8
    errors = []

    def worker(index):
        try:
            client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
            barrier.wait(timeout=10)
            response = post(client, body, key="concurrent-1")
            answers[index] = (response.status_code, response.content)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert applied() == 1
    assert IdempotencyRecord.objects.count() == 1
    assert answers[0][0] == 201
    assert all(answer == answers[0] for answer in answers)
