"""积分 calls of API.md: the ledger and the manual adjustment. Thin wrappers over `points.services`.

An adjustment moves points by hand, so the terminal's key alone is not enough: the body names an
operator (a supervisor at the till) with their password, and that operator needs the
points.adjust_points permission. Wrong credentials or a missing permission are
`403 PERMISSION_DENIED`; the django-axes lockout counts the wrong passwords, as on the login page.
The password is checked before the idempotent transaction opens (`_credentials_checked_first`):
a refused call rolls that transaction back, and the lockout's record of the wrong password with
it.
"""

import dataclasses
import functools
import json
from typing import Annotated

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from pydantic import StrictInt

from huiyuan.api.conventions import ApiKeyAuth, Pagination, idempotent
from huiyuan.api.routers.members import MemberNo, member_or_404
from huiyuan.api.schemas import LocalDateTime
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.points import selectors, services

router = Router(tags=["积分"])


class PointsEntryOut(Schema):
    id: int
    kind: str = Field(
        ...,
        description="`earn`, `bonus`, `checkin`, `redeem`, `pay`, `expire`, `adjust`, "
        "`clawback`, `refund`, `transfer`",
    )
    delta: int
    balance_after: int
    ref_type: str
    ref_no: str
    reason: str
    store_code: str | None = Field(None, alias="store.code")
    created_at: LocalDateTime


class AdjustIn(Schema):
    delta: Annotated[StrictInt, Field(ge=-(10**9), le=10**9, description="正数增加，负数扣减")]
    reason: str = Field(..., max_length=200)
    operator: str = Field(..., max_length=150, description="授权操作员的用户名")
    operator_password: str = Field(..., max_length=128)


class AdjustOut(Schema):
    member_no: str
    entry: PointsEntryOut
    balance: int


@router.get("/members/{member_no}/points/ledger", response=list[PointsEntryOut])
@paginate(Pagination)
def ledger(request: HttpRequest, member_no: MemberNo):
    """积分流水，新的在前。"""
    return selectors.ledger(member_or_404(member_no))


def _credentials_checked_first(operation_run):
    """Authenticate the body's operator outside (before) `idempotent`'s transaction, so that
    django-axes' count of wrong passwords is committed even though the refusal rolls back."""

    @functools.wraps(operation_run)
    def run(request: HttpRequest, *args, **kwargs):
        caller = body = None
        try:
            caller = ApiKeyAuth()(request)  # only a known terminal's guesses count
            body = json.loads(request.body)
        except (DomainError, RequestDataTooBig, ValueError, RecursionError):
            pass  # the operation itself answers with the error
        if caller is not None and isinstance(body, dict):
            username, password = body.get("operator"), body.get("operator_password")
            if _plausible(username, 150) and _plausible(password, 128):  # as AdjustIn bounds
                _authenticated(request, username, password)
        return operation_run(request, *args, **kwargs)

    return run


def _plausible(text, max_length: int) -> bool:
    """Credentials worth checking before the parser has seen the body: text it would accept (no
    NUL, no lone surrogate: no column stores them, not even the lockout's) within the bounds."""
    return isinstance(text, str) and len(text) <= max_length and text.isprintable()


@router.post("/members/{member_no}/points/adjust", response=AdjustOut)
@decorate_view(idempotent, _credentials_checked_first)  # the last is the outermost
def adjust(request: HttpRequest, member_no: MemberNo, payload: AdjustIn):
    """人工调整积分（须填写原因，并由有“调整积分”权限的操作员授权）。"""
    member = member_or_404(member_no)
    actor = dataclasses.replace(
        Actor.from_request(request), operator=_authorising(request, payload)
    )
    entry = services.adjust_points(
        actor=actor, member=member, delta=payload.delta, reason=payload.reason
    )
    return AdjustOut(member_no=member.member_no, entry=entry, balance=entry.balance_after)


def _authenticated(request: HttpRequest, username: str, password: str):
    """The operator these credentials name, or None; asked once per request (the answer is kept
    on it), so a wrong password counts once."""
    checked = getattr(request, "_authorising", None)
    if checked is None or checked[:2] != (username, password):
        try:
            operator = authenticate(request, username=username, password=password)
        except PermissionDenied:  # locked out by django-axes
            operator = None
        checked = request._authorising = (username, password, operator)
    return checked[2]


def _authorising(request, payload: AdjustIn):
    operator = _authenticated(request, payload.operator, payload.operator_password)
    if operator is None or not operator.is_active:
        raise DomainError("PERMISSION_DENIED", _("授权操作员的用户名或密码不正确"))
    if not operator.has_perm("points.adjust_points"):
        raise DomainError("PERMISSION_DENIED", _("该操作员没有调整积分的权限"))
    return operator
