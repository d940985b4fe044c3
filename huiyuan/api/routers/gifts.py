"""积分商城 calls: the gifts on offer (with a member's price and the stock at the key's store) and
a member's gift redemption. Thin wrappers over `gifts.selectors` and `gifts.services`; the
redemption moves points and stock, so it is idempotent (Idempotency-Key)."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from pydantic import StrictInt

from huiyuan.api.conventions import Pagination, idempotent
from huiyuan.api.routers.members import MemberNo, member_or_404
from huiyuan.api.schemas import MEMBER_NO_PATTERN, LocalDateTime
from huiyuan.core.actors import Actor
from huiyuan.gifts import selectors, services
from huiyuan.gifts.models import GiftRedemption

router = Router(tags=["积分商城"])


class TierPointsOut(Schema):
    tier: str
    points: int


class GiftOut(Schema):
    gift_id: int
    name: str
    kind: str = Field(..., description="`product` or `coupon`")
    description: str
    points: int = Field(..., description="the standard points price")
    tier_points: list[TierPointsOut] = Field(
        ..., description="tiers with their own price (the others pay `points`)"
    )
    member_points: int | None = Field(
        ..., description="the price for the `member_no` asked about (null: none asked)"
    )
    product_code: str | None
    coupon_template: str | None
    stock_available: Decimal | None = Field(
        ..., description="available at the key's store (null: a coupon)"
    )
    left: int | None = Field(
        ...,
        description="how many more may be redeemed under the limits (the member's own "
        "redemptions counted when `member_no` is given; null: unlimited)",
    )
    per_member_limit: int | None
    limit_period: str = Field(..., description="`ever`, `day`, `month` or `year`")
    starts_on: datetime.date | None
    ends_on: datetime.date | None


class GiftsIn(Schema):
    member_no: str | None = Field(
        None, pattern=MEMBER_NO_PATTERN, description="价格按该会员的等级，并计其已兑数量"
    )


@router.get("/gifts", response=list[GiftOut])
@paginate(Pagination)
def gifts(request: HttpRequest, filters: Query[GiftsIn]):
    """今天可兑换的礼品（上架且在兑换日期内），按排序；带会员号时给出该会员的兑换积分。"""
    member = member_or_404(filters.member_no) if filters.member_no else None
    offers = selectors.offers(member, request.auth.store, timezone.localdate())
    return [_gift_out(offer, member is not None) for offer in offers]


def _gift_out(offer: selectors.Offer, for_member: bool) -> dict:
    gift = offer.gift
    return {
        "gift_id": gift.pk,
        "name": gift.name,
        "kind": gift.kind,
        "description": gift.description,
        "points": gift.points,
        "tier_points": [
            {"tier": row.tier.name, "points": row.points} for row in gift.tier_prices.all()
        ],
        "member_points": offer.points if for_member else None,
        "product_code": gift.product.code if gift.product else None,
        "coupon_template": gift.coupon_template.name if gift.coupon_template else None,
        "stock_available": offer.stock,
        "left": offer.left,
        "per_member_limit": gift.per_member_limit,
        "limit_period": gift.limit_period,
        "starts_on": gift.starts_on,
        "ends_on": gift.ends_on,
    }


class LineIn(Schema):
    gift_id: Annotated[StrictInt, Field(ge=1, le=2**31 - 1)]
    qty: Annotated[StrictInt, Field(ge=1, le=services.MAX_QTY)]


class RedeemIn(Schema):
    lines: list[LineIn] = Field(..., min_length=1, max_length=50)


class LineOut(Schema):
    gift_id: int
    name: str
    kind: str
    qty: int
    points_each: int
    points_total: int
    product_code: str
    coupon_codes: list[str]


class RedemptionOut(Schema):
    redemption_no: str = Field(..., alias="number")
    member_no: str = Field(..., alias="member.member_no")
    store_code: str = Field(..., alias="store.code")
    total_points: int
    points_balance: int = Field(..., alias="points_after", description="after the redemption")
    lines: list[LineOut]
    created_at: LocalDateTime

    @staticmethod
    def resolve_lines(redemption):
        return list(redemption.lines.all())


@router.post("/members/{member_no}/gift-redemptions", response={201: RedemptionOut})
@decorate_view(idempotent)
def redeem(request: HttpRequest, member_no: MemberNo, payload: RedeemIn):
    """积分兑换礼品：扣减积分、实物礼品从本店库存出库、券类礼品发券，生成兑换单。积分不足为
    `POINTS_INSUFFICIENT`，库存不足为 `INSUFFICIENT_STOCK`，不在兑换期或已下架为
    `GIFT_NOT_AVAILABLE`，超过限兑为 `GIFT_LIMIT_REACHED`。"""
    member = member_or_404(member_no)
    actor = Actor.from_request(request)
    bill = services.redeem_gifts(
        actor=actor,
        member=member,
        lines=[services.Wanted(line.gift_id, line.qty) for line in payload.lines],
        store=actor.store,
    )
    return Status(201, GiftRedemption.objects.select_related("member", "store").get(pk=bill.pk))


@router.get("/members/{member_no}/gift-redemptions", response=list[RedemptionOut])
@paginate(Pagination)
def redemptions(request: HttpRequest, member_no: MemberNo):
    """会员的礼品兑换单，新的在前。"""
    member = member_or_404(member_no)
    return selectors.redemptions().filter(member=member).prefetch_related("lines")
