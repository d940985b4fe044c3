"""Property-based run over the real /api/v1/openapi.json: no generated input may cause a 5xx.

Every operation is called through the project's WSGI application with a valid API key, a modest
number of examples each, inside pytest-django's per-test transaction.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, assume, settings
from schemathesis.checks import not_a_server_error

from huiyuan.wsgi import application
from tests.api import idempotency_urls

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# The real API has no body-taking operation yet; the test-only idempotent POST stands in for them
# so the JSON parser and the error handlers get fuzzed too.
test_schema = schemathesis.openapi.from_dict(
    idempotency_urls.api.get_openapi_schema(path_prefix="/api/v1/")
)
test_schema.app = application


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI handler directly fires request_started/finished, whose
    close_old_connections would close the connection in the middle of the test's transaction.
    Django's own test client detaches it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_server_errors(case, api_key_pair, keep_test_connection):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {api_key_pair[1]}"},
        checks=[not_a_server_error],
    )


@pytest.mark.django_db
@pytest.mark.urls("tests.api.idempotency_urls")
@test_schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_server_errors_on_a_json_body(case, api_key_pair, keep_test_connection):
    # The test endpoint crashes on purpose for this one amount.
    assume(
        not isinstance(case.body, dict)
        or case.body.get("amount_fen") != idempotency_urls.CRASH_AMOUNT_FEN
    )
    case.call_and_validate(
        headers={"Authorization": f"Bearer {api_key_pair[1]}"},
        checks=[not_a_server_error],
    )


@pytest.mark.django_db
@pytest.mark.parametrize("query", [f"offset={10**23}", f"limit={10**23}", f"offset={2**63}"])
def test_huge_pagination_numbers_are_refused(api, query):
    response = api.get(f"/api/v1/stores?{query}")

    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
