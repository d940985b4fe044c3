"""API keys, the error shape, and the system endpoints of /api/v1 (API.md "Conventions")."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.utils import timezone

from huiyuan import __version__
from huiyuan.api.models import ApiKey
from huiyuan.api.services import revoke_api_key
from huiyuan.core.actors import Actor
from huiyuan.core.errors import ERRORS
from tests.factories import StoreFactory

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def error_of(response, status, code):
    """The error object of a contract error response, after checking its shape."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}
    assert error["code"] == code
    return error


# --- authentication ---------------------------------------------------------------------------


def test_no_authorization_header_is_auth_required_in_chinese(client):
    error = error_of(client.get("/api/v1/terminal"), 401, "AUTH_REQUIRED")

    assert error == {"code": "AUTH_REQUIRED", "message": ERRORS["AUTH_REQUIRED"].zh, "fields": {}}
    assert CHINESE.search(error["message"])


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Token hy_abc",
        "hy_no_scheme",
        "Bearer hy_not-a-real-key",
        "Bearer hy_not a real key",
    ],
)
def test_malformed_header_or_unknown_key_is_auth_required(client, api_key_pair, header):
    response = client.get("/api/v1/terminal", HTTP_AUTHORIZATION=header)

    error_of(response, 401, "AUTH_REQUIRED")


def test_the_scheme_is_case_insensitive(client, api_key_pair):
    response = client.get("/api/v1/terminal", HTTP_AUTHORIZATION=f"bearer {api_key_pair[1]}")

    assert response.status_code == 200


def test_a_revoked_key_is_api_key_revoked(api, api_key_pair):
    assert api.get("/api/v1/terminal").status_code == 200
    revoke_api_key(actor=Actor.system(), api_key=api_key_pair[0])

    error = error_of(api.get("/api/v1/terminal"), 401, "API_KEY_REVOKED")

    assert error["message"] == ERRORS["API_KEY_REVOKED"].zh
    error_of(api.get("/api/v1/stores"), 401, "API_KEY_REVOKED")


def test_last_used_at_is_set_on_use_and_refreshed_at_most_once_a_minute(api, api_key_pair):
    key = api_key_pair[0]
    assert ApiKey.objects.get(pk=key.pk).last_used_at is None
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        assert api.get("/api/v1/terminal").status_code == 200
    assert ApiKey.objects.get(pk=key.pk).last_used_at == start

    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        api.get("/api/v1/terminal")
    assert ApiKey.objects.get(pk=key.pk).last_used_at == start

    later = start + timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        api.get("/api/v1/stores")
    assert ApiKey.objects.get(pk=key.pk).last_used_at == later


def test_a_failed_authentication_touches_no_key(client, api_key_pair):
    client.get("/api/v1/terminal", HTTP_AUTHORIZATION="Bearer hy_wrong")

    assert ApiKey.objects.get(pk=api_key_pair[0].pk).last_used_at is None


def test_accept_language_en_gives_the_english_message(client, api_key_pair):
    response = client.get("/api/v1/terminal", HTTP_ACCEPT_LANGUAGE="en")
    error = error_of(response, 401, "AUTH_REQUIRED")
    assert error["message"] == ERRORS["AUTH_REQUIRED"].en

    revoke_api_key(actor=Actor.system(), api_key=api_key_pair[0])
    response = client.get(
        "/api/v1/terminal",
        HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9",
        HTTP_AUTHORIZATION=f"Bearer {api_key_pair[1]}",
    )
    assert error_of(response, 401, "API_KEY_REVOKED")["message"] == ERRORS["API_KEY_REVOKED"].en


def test_chinese_is_the_default_for_other_languages(client):
    response = client.get("/api/v1/terminal", HTTP_ACCEPT_LANGUAGE="fr")

    assert error_of(response, 401, "AUTH_REQUIRED")["message"] == ERRORS["AUTH_REQUIRED"].zh


def test_validation_errors_name_the_field(api):
    error = error_of(api.get("/api/v1/stores?limit=abc"), 422, "VALIDATION_ERROR")

    assert any("limit" in name for name in error["fields"])


# --- system endpoints ---------------------------------------------------------------------------


def test_health_needs_no_key_and_reports_the_database_and_version(client):
    response = client.get("/api/v1/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "version": __version__}


def test_terminal_returns_the_keys_store(api, store, other_store):
    response = api.get("/api/v1/terminal")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "1号收银机"
    assert body["store"] == {
        "code": "SH01",
        "name": "南京路旗舰店",
        "address": store.address,
        "phone": store.phone,
        "allow_negative_stock": False,
        "is_active": True,
    }


def test_stores_are_paginated_with_limit_and_offset(api, store):
    for code in ["BJ01", "GZ01", "HZ01", "SZ01"]:
        StoreFactory(code=code)
    StoreFactory(code="XX99", is_active=False)

    first = api.get("/api/v1/stores?limit=2&offset=0").json()
    second = api.get("/api/v1/stores?limit=2&offset=2").json()
    rest = api.get("/api/v1/stores?limit=2&offset=4").json()
    everything = api.get("/api/v1/stores").json()

    assert set(first) == {"items", "count"}
    assert first["count"] == second["count"] == rest["count"] == everything["count"] == 5
    codes = [item["code"] for page in (first, second, rest) for item in page["items"]]
    assert codes == ["BJ01", "GZ01", "HZ01", "SH01", "SZ01"]
    assert [item["code"] for item in everything["items"]] == codes
    assert api.get("/api/v1/stores?limit=2&offset=10").json() == {"items": [], "count": 5}


# --- unknown paths and methods ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/nope", "/api/v1/stores/", "/api/v1/members/x/y", "/api/v2/stores"]
)
def test_unknown_api_path_is_json_not_found(api, path):
    error = error_of(api.get(path), 404, "NOT_FOUND")

    assert error["message"] == ERRORS["NOT_FOUND"].zh


def test_the_api_root_is_json_not_found(api):
    error_of(api.get("/api/v1/"), 404, "NOT_FOUND")


def test_a_wrong_method_is_a_json_error(api):
    response = api.post("/api/v1/stores", data="{}", content_type="application/json")

    error_of(response, 405, "METHOD_NOT_ALLOWED")


# --- OpenAPI document and docs page -------------------------------------------------------------


def test_openapi_document_is_valid_json_with_the_paths(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["version"] == __version__
    assert {"/api/v1/health", "/api/v1/terminal", "/api/v1/stores"} <= set(document["paths"])
    # The bearer scheme is declared, and health is the one operation without it.
    schemes = document["components"]["securitySchemes"]
    assert any(scheme.get("scheme") == "bearer" for scheme in schemes.values())
    assert document["paths"]["/api/v1/health"]["get"].get("security") in (None, [])
    assert document["paths"]["/api/v1/terminal"]["get"]["security"]


def test_docs_page_uses_only_local_assets(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/v1/openapi.json" in html
    for marker in ("cdn", "jsdelivr", "unpkg", "googleapis", "cloudflare"):
        assert marker not in html.lower(), marker
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls
    assert all(url.startswith("/static/") for url in urls), urls
    assert not re.search(r"https?://", html)
    # Every asset is one of ours (shipped with the app), not something to fetch from elsewhere.
    for url in urls:
        assert finders.find(url.removeprefix("/static/")), url
