"""Bodies the API refuses, each with its stable code and without writing anything.

Every case is sent with and without an Idempotency-Key: with one, the `idempotent` wrapper reads
the body itself before ninja does, so both paths must give the same answer.
"""

import json

import pytest
from django.test import override_settings

from huiyuan.core.models import AuditEvent, IdempotencyRecord
from tests.api.idempotency_urls import ACTION, CHARGES_URL

pytestmark = [pytest.mark.urls("tests.api.idempotency_urls"), pytest.mark.django_db]


@pytest.fixture(params=[None, "bad-input-1"], ids=["no-key", "with-key"])
def idempotency_key(request):
    return request.param


@pytest.fixture
def send(api, idempotency_key):
    def send(data, content_type="application/json"):
        extra = {}
        if idempotency_key is not None:
            extra["HTTP_IDEMPOTENCY_KEY"] = idempotency_key
        return api.post(CHARGES_URL, data=data, content_type=content_type, **extra)

    return send


def refused(response, status, code):
    """The error object, after checking the answer has the contract's shape and nothing stuck."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert set(error) == {"code", "message", "fields"}
    assert error["message"]
    assert "Idempotent-Replayed" not in response.headers
    assert not AuditEvent.objects.filter(action=ACTION).exists()
    assert not IdempotencyRecord.objects.exists()
    return error


@pytest.mark.parametrize(
    "body",
    [
        b'{"amount_fen": 100',
        b"{'amount_fen': 100}",
        b'{"amount_fen": 100,}',
        b"amount_fen=100",
        b"\xff\xfe{}",
        '{"note": "\u6536\u94f6"}'.encode("gbk"),
        # Nested past the interpreter's recursion limit: json.loads raises RecursionError.
        b"[" * 50_000 + b"]" * 50_000,
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    ],
    ids=[
        "truncated",
        "single-quotes",
        "trailing-comma",
        "form-like",
        "bad-utf8",
        "gbk",
        "deep-array",
        "deep-object",
    ],
)
def test_malformed_json_is_400(send, body):
    refused(send(body), 400, "MALFORMED_JSON")


@pytest.mark.parametrize(
    "body",
    [
        b'{"amount_fen": 100, "note": "a\\u0000b"}',
        b'{"amount_fen": 100, "note": "\\ud800"}',
        b'{"amount_fen": 100, "note": "ok", "\\u0000": 1}',
        b'{"amount_fen": 100, "note": ["x", {"y": "\\udfff"}]}',
    ],
    ids=["nul", "lone-surrogate", "nul-in-a-key", "nested"],
)
def test_text_no_database_can_store_is_400(send, body):
    """Valid JSON, but PostgreSQL can't hold NUL or a lone surrogate: refused before any write."""
    error = refused(send(body), 400, "MALFORMED_JSON")
    assert "NUL" in error["message"]


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("text/plain", '{"amount_fen": 100}'),
        ("application/x-www-form-urlencoded", "amount_fen=100"),
        ("application/xml", "<amount_fen>100</amount_fen>"),
    ],
    ids=["text-plain", "form-encoded", "xml"],
)
def test_a_body_that_is_not_declared_json_is_415(send, content_type, data):
    refused(send(data, content_type=content_type), 415, "UNSUPPORTED_MEDIA_TYPE")


def test_multipart_is_415(api, idempotency_key):
    extra = {"HTTP_IDEMPOTENCY_KEY": idempotency_key} if idempotency_key else {}
    response = api.post(CHARGES_URL, data={"amount_fen": "100"}, **extra)  # multipart/form-data

    refused(response, 415, "UNSUPPORTED_MEDIA_TYPE")


def test_json_with_a_charset_parameter_is_accepted(send):
    response = send(json.dumps({"amount_fen": 100}), content_type="application/json; charset=utf-8")

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "amount_fen"),
        ({"note": "只有备注"}, "amount_fen"),
        ({"amount_fen": "一百"}, "amount_fen"),
        ({"amount_fen": 12.5}, "amount_fen"),
        ({"amount_fen": None}, "amount_fen"),
        ({"amount_fen": [100]}, "amount_fen"),
        ({"amount_fen": 100, "note": 7}, "note"),
    ],
    ids=["empty", "missing", "text", "fraction", "null", "list", "note-not-text"],
)
def test_missing_or_mistyped_fields_are_422_naming_the_field(send, body, field):
    error = refused(send(json.dumps(body)), 422, "VALIDATION_ERROR")

    assert field in error["fields"], error["fields"]
    assert error["fields"][field]


def test_an_empty_body_is_a_missing_payload(send):
    """ninja does not parse an empty body; the payload is missing, which is a 422, not a 400."""
    refused(send(b""), 422, "VALIDATION_ERROR")


@pytest.mark.parametrize("body", ["[]", "null", "42", '"amount_fen"'])
def test_json_that_is_not_an_object_is_422(send, body):
    refused(send(body), 422, "VALIDATION_ERROR")


def test_an_oversize_body_is_413(send):
    body = json.dumps({"amount_fen": 100, "note": "x" * 500})
    assert len(body) > 200

    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=200):
        response = send(body)

    refused(response, 413, "PAYLOAD_TOO_LARGE")


def test_a_body_at_the_limit_is_accepted(send):
    body = json.dumps({"amount_fen": 100, "note": "x" * 100})

    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=len(body)):
        response = send(body)

    assert response.status_code == 201
    assert AuditEvent.objects.filter(action=ACTION).count() == 1
