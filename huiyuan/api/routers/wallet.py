"""储值与计次 calls of API.md: the stored-value ledger, top-ups, count cards. Thin wrappers over
`wallet.services`; every money- or use-moving POST is idempotent (Idempotency-Key)."""

import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from pydantic import StrictInt

from huiyuan.api.conventions import Pagination, idempotent
from huiyuan.api.routers.members import MemberNo, member_or_404
from huiyuan.api.schemas import LocalDateTime
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.wallet import selectors, services
from huiyuan.wallet.models import CountCardHolding, CountCardPackage

router = Router(tags=["储值与计次"])

PaymentMethod = Literal["cash", "bank_card", "wechat", "alipay"]
# Amounts are checked by the services (a Chinese message for zero or negative); this bound only
# keeps absurd numbers out of the database.
Fen = Annotated[StrictInt, Field(le=10**12)]


class BalancesOut(Schema):
    principal_fen: int
    bonus_fen: int
    total_fen: int


def _balances(member) -> BalancesOut:
    principal, bonus = selectors.stored_value_of(member)
    return BalancesOut(principal_fen=principal, bonus_fen=bonus, total_fen=principal + bonus)


class StoredValueEntryOut(Schema):
    id: int
    kind: str = Field(..., description="`topup`, `bonus`, `pay`, `refund`, `forfeit`, `restore`…")
    pot: str = Field(..., description="`principal` or `bonus`")
    delta_fen: int = Field(..., alias="delta")
    balance_after_fen: int = Field(..., alias="balance_after", description="the pot's balance")
    ref_type: str
    ref_no: str
    reason: str
    store_code: str | None = Field(None, alias="store.code")
    created_at: LocalDateTime


class TopUpIn(Schema):
    amount_fen: Fen
    payment_method: PaymentMethod
    external_ref: str = Field("", max_length=64, description="支付流水号（微信、支付宝、银行卡）")


class TopUpOut(Schema):
    topup_no: str
    member_no: str
    amount_fen: int = Field(..., description="credited to principal")
    bonus_fen: int = Field(..., description="credited to bonus by the top-up rule (0: none)")
    rule: str | None = Field(..., description="the bonus rule applied")
    points: int = Field(..., description="points given for the top-up (0 unless the program does)")
    payment_method: str
    external_ref: str
    created_at: LocalDateTime
    balances: BalancesOut = Field(..., description="after the top-up")


class HoldingOut(Schema):
    id: int
    number: str
    package_code: str = Field(..., alias="package.code")
    package_name: str = Field(..., alias="package.name")
    covers: list[str] = Field(..., alias="package.covers")
    uses: int
    remaining: int
    expires_on: datetime.date | None = Field(..., description="last day of use; null: no expiry")
    status: str = Field(..., description="`active`, `exhausted` or `expired`")
    price_fen: int
    payment_method: str
    created_at: LocalDateTime


class SellIn(Schema):
    package_code: str = Field(..., max_length=16)
    payment_method: PaymentMethod
    external_ref: str = Field("", max_length=64)


class UseIn(Schema):
    uses: Annotated[StrictInt, Field(le=10_000)] = 1
    ref_type: str = Field("", max_length=32)
    ref_no: str = Field("", max_length=64)
    reason: str = Field("", max_length=200)


@router.get("/members/{member_no}/stored-value/ledger", response=list[StoredValueEntryOut])
@paginate(Pagination)
def stored_value_ledger(request: HttpRequest, member_no: MemberNo):
    """储值流水（本金、赠送金各一行），新的在前。"""
    return selectors.stored_value_ledger(member_or_404(member_no))


@router.post("/members/{member_no}/topups", response={201: TopUpOut})
@decorate_view(idempotent)
def top_up(request: HttpRequest, member_no: MemberNo, payload: TopUpIn):
    """充值：金额记入本金，按当前有效的充值赠送规则记入赠送金。"""
    member = member_or_404(member_no)
    topup = services.top_up(
        actor=Actor.from_request(request),
        member=member,
        amount_fen=payload.amount_fen,
        payment_method=payload.payment_method,
        external_ref=payload.external_ref,
    )
    return Status(
        201,
        TopUpOut(
            topup_no=topup.number,
            member_no=member.member_no,
            amount_fen=topup.amount_fen,
            bonus_fen=topup.bonus_fen,
            rule=topup.rule.name if topup.rule else None,
            points=topup.points,
            payment_method=topup.payment_method,
            external_ref=topup.external_ref,
            created_at=topup.created_at,
            balances=_balances(member),
        ),
    )


@router.get("/members/{member_no}/count-cards", response=list[HoldingOut])
@paginate(Pagination)
def count_cards(request: HttpRequest, member_no: MemberNo):
    """会员的计次卡（剩余次数、有效期），新的在前。"""
    return selectors.count_cards_of(member_or_404(member_no))


def _holding(pk: int) -> CountCardHolding:
    return CountCardHolding.objects.select_related("package").get(pk=pk)


@router.post("/members/{member_no}/count-cards", response={201: HoldingOut})
@decorate_view(idempotent)
def sell_count_card(request: HttpRequest, member_no: MemberNo, payload: SellIn):
    """售计次卡：按套餐售价收款，次数记入会员的计次卡。"""
    member = member_or_404(member_no)
    package = CountCardPackage.objects.filter(code=payload.package_code, is_active=True).first()
    if package is None:
        raise DomainError("COUNT_CARD_PACKAGE_NOT_FOUND", field="package_code")
    holding = services.sell_count_card(
        actor=Actor.from_request(request),
        member=member,
        package=package,
        payment_method=payload.payment_method,
        external_ref=payload.external_ref,
    )
    return Status(201, _holding(holding.pk))


@router.post("/members/{member_no}/count-cards/{holding_id}/uses", response=HoldingOut)
@decorate_view(idempotent)
def use_count_card(
    request: HttpRequest,
    member_no: MemberNo,
    holding_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
    payload: UseIn = None,
):
    """核销计次卡（默认 1 次）；返回核销后的计次卡。"""
    payload = payload or UseIn()
    holding = services.use_count_card(
        actor=Actor.from_request(request),
        member=member_or_404(member_no),
        holding_id=holding_id,
        uses=payload.uses,
        ref_type=payload.ref_type,
        ref_no=payload.ref_no,
        reason=payload.reason,
    )
    return _holding(holding.pk)
