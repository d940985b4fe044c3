"""A test-only URLconf: the API conventions with one money-like POST marked idempotent.

Use with `@pytest.mark.urls("tests.api.idempotency_urls")`. The endpoint writes an audit event
(so every application is countable) *before* deciding whether to refuse, so the tests can show
that the `idempotent` wrapper's transaction undoes the write of a refused request.
"""

from django.db import transaction
from django.http import HttpRequest
from django.urls import path
from ninja import Router, Schema, Status
from ninja.decorators import decorate_view

from huiyuan.api.conventions import idempotent
from huiyuan.api.main import build_api
from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import AuditEvent

CHARGES_URL = "/api/v1/test/charges"
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


@router.post("/test/charges", response={201: ChargeOut})
@decorate_view(idempotent)
def charge(request: HttpRequest, payload: ChargeIn):
    with transaction.atomic():
        event = audit.record(
            Actor.from_request(request),
            ACTION,
            request.auth.store,
            after={"amount_fen": payload.amount_fen, "note": payload.note},
        )
    if payload.amount_fen < 0:
        raise DomainError("VALIDATION_ERROR", fields={"amount_fen": "金额不能为负"})
    if payload.amount_fen == CRASH_AMOUNT_FEN:
        raise RuntimeError("simulated crash after the write")
    return Status(
        201,
        {
            "event_id": event.pk,
            "amount_fen": payload.amount_fen,
            "note": payload.note,
            "applied_count": AuditEvent.objects.filter(action=ACTION).count(),
        },
    )


api = build_api("api-test")
api.add_router("", router)

urlpatterns = [path("api/v1/", api.urls)]
