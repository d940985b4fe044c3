"""A test-only URLconf: the API conventions with money-like POSTs marked idempotent.

Use with `@pytest.mark.urls("tests.api.idempotency_urls")`. The endpoint writes an audit event
(so every application is countable) *before* deciding whether to refuse, so the tests can show
that the `idempotent` wrapper's transaction undoes the write of a refused request.

The second endpoint takes a path parameter (an account code), as most real money-moving routes
will (`/members/{code}/…`), so the tests can show what the idempotency record keeps of the path.
"""

from typing import Annotated

from django.db import transaction
from django.http import HttpRequest
from django.urls import path
from ninja import Path, Router, Schema, Status
from ninja.decorators import decorate_view

from huiyuan.api.conventions import idempotent
from huiyuan.api.main import build_api
from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import AuditEvent

CHARGES_URL = "/api/v1/test/charges"
# Format with the account code: ACCOUNT_CHARGES_URL.format(account="A-001").
ACCOUNT_CHARGES_URL = "/api/v1/test/accounts/{account}/charges"
# What the account code must look like; anything else is a 422 before the view runs.
ACCOUNT_PATTERN = r"^[A-Z0-9-]{1,32}$"
# The action the endpoint records; count rows with it to see how often the charge was applied.
ACTION = "store.update"
# An amount that makes the view crash after writing (an unexpected error, not a refusal).
CRASH_AMOUNT_FEN = 13_13


class ChargeIn(Schema):
    amount_fen: int
    note: str = ""


class ChargeOut(Schema):
    event_id: int
    amount_fen: int
    note: str
    applied_count: int


router = Router(tags=["测试"])


class AccountChargeOut(ChargeOut):
    account: str


def apply_charge(request: HttpRequest, payload: ChargeIn, **extra) -> dict:
    """Write, then refuse or crash as the amount asks: the shared body of both endpoints."""
    with transaction.atomic():
        event = audit.record(
            Actor.from_request(request),
            ACTION,
            request.auth.store,
            after={"amount_fen": payload.amount_fen, "note": payload.note, **extra},
        )
    if payload.amount_fen < 0:
        raise DomainError("VALIDATION_ERROR", fields={"amount_fen": "金额不能为负"})
    if payload.amount_fen == CRASH_AMOUNT_FEN:
        raise RuntimeError("simulated crash after the write")
    return {
        "event_id": event.pk,
        "amount_fen": payload.amount_fen,
        "note": payload.note,
        "applied_count": AuditEvent.objects.filter(action=ACTION).count(),
        **extra,
    }


@router.post("/test/charges", response={201: ChargeOut})
@decorate_view(idempotent)
def charge(request: HttpRequest, payload: ChargeIn):
    return Status(201, apply_charge(request, payload))


@router.post("/test/accounts/{account}/charges", response={201: AccountChargeOut})
@decorate_view(idempotent)
def charge_account(
    request: HttpRequest,
    account: Annotated[str, Path(pattern=ACCOUNT_PATTERN)],
    payload: ChargeIn,
):
    return Status(201, apply_charge(request, payload, account=account))


api = build_api("api-test")
api.add_router("", router)

urlpatterns = [path("api/v1/", api.urls)]
