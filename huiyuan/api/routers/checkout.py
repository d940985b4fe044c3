"""Checkout calls of API.md: `POST /checkout/quote` and `POST /coupons/{code}/verify`.

Thin wrappers over `sales.quote`: both write nothing, so neither takes an Idempotency-Key. The
store is the API key's; the time is now.
"""

import datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Router, Schema
from pydantic import StrictInt

from huiyuan.sales.quote import MAX_COUPONS, MAX_LINES, LineIn, Quote, quote, verify_coupon

router = Router(tags=["结账"])
Code = Annotated[str, Field(max_length=32)]  # bodies hold no NUL: the parser refuses it


class LineInSchema(Schema):
    barcode: str = Field("", max_length=32, description="条码（含秤码）")
    product_code: str = Field("", max_length=30, description="或商品编码")
    qty: Decimal | None = Field(
        None,
        gt=0,
        le=9999,
        decimal_places=3,
        description="数量（称重商品为千克）；缺省为 1，秤码为条码中的重量",
    )
    add_price_offer_id: StrictInt | None = Field(
        None, ge=1, le=2**31 - 1, description="作为该加价购活动的换购商品"
    )


class MemberIn(Schema):
    member_no: str = Field("", max_length=32, description="会员号（或手机号）")
    card_no: str = Field("", max_length=512, description="卡号或电子会员码")


class QuoteIn(MemberIn):
    lines: list[LineInSchema] = Field(..., min_length=1, max_length=MAX_LINES)
    coupon_codes: list[Code] = Field([], max_length=MAX_COUPONS)
    points_to_use: StrictInt = Field(0, ge=0, le=10**9, description="用积分抵现的积分数")


class VerifyIn(MemberIn):
    lines: list[LineInSchema] = Field(
        [], max_length=MAX_LINES, description="可选：按本单计算该券的优惠"
    )


class DiscountOut(Schema):
    kind: str = Field(
        ..., description="`member_price`, `member_discount`, `promotion`, `coupon`, `add_price`"
    )
    source_id: int | None = Field(None, description="促销活动或优惠券的 id")
    name: str
    amount_fen: int


class LineOut(Schema):
    line_no: int
    product_code: str
    name: str
    unit: str
    barcode: str
    qty: Decimal
    list_price_fen: int = Field(..., description="零售价（称重商品为每千克价）")
    member_price_fen: int | None
    unit_price_fen: int = Field(..., description="会员价或会员惊爆价之后的单价")
    label_price_fen: int | None = Field(None, description="秤码上的金额")
    list_total_fen: int
    discounts: list[DiscountOut]
    discount_fen: int
    total_fen: int
    add_price_offer_id: int | None


class AppliedCouponOut(Schema):
    code: str
    name: str
    kind: str
    amount_fen: int = Field(..., description="赠品券为 0（见 gifts）")


class RejectedCouponOut(Schema):
    code: str
    error_code: str = Field(
        ..., description="`COUPON_NOT_FOUND`, `COUPON_USED`, `COUPON_EXPIRED`, "
        "`COUPON_NOT_APPLICABLE`"
    )  # fmt: skip
    reason: str = Field(
        ..., description="`min_spend`, `nothing_to_discount`, `not_combinable` or the error code"
    )
    message: str


class PointsOut(Schema):
    points: int
    explanation: list[str]


class CouponIssueOut(Schema):
    promotion_id: int
    promotion_name: str
    template_id: int
    template_name: str
    face_fen: int
    valid_from: datetime.date | None = Field(..., description="null：无法确定（没有会员日）")
    valid_until: datetime.date | None


class GiftOut(Schema):
    kind: str = Field(..., description="`promotion`（满额赠品）或 `coupon`（赠品券）")
    source_id: int
    source_name: str
    product_code: str
    product_name: str
    qty: int


class ProductBriefOut(Schema):
    code: str
    name: str


class AddPriceOfferOut(Schema):
    offer_id: int
    offer_name: str
    threshold_fen: int
    price_fen: int
    products: list[ProductBriefOut]


class MemberBriefOut(Schema):
    member_no: str
    name: str
    card_no: str | None
    tier: str | None
    discount_permille: int
    points: int
    stored_value_fen: int


class QuoteOut(Schema):
    member: MemberBriefOut | None
    lines: list[LineOut]
    order_discounts: list[DiscountOut] = Field(..., description="整单满减（已分摊到各行）")
    coupons_applied: list[AppliedCouponOut]
    coupons_rejected: list[RejectedCouponOut]
    list_total_fen: int
    discount_fen: int
    payable_fen: int
    points_to_use: int
    points_payment_fen: int
    to_pay_fen: int = Field(..., description="应付减去积分抵现")
    points_earned: PointsOut
    coupons_to_issue: list[CouponIssueOut]
    gifts: list[GiftOut]
    add_price_offers: list[AddPriceOfferOut] = Field(..., description="已达到的换购档位")
    add_price_not_earned: list[int] = Field(..., description="未达到换购条件、按原价计的行号")


class VerifyOut(Schema):
    code: str
    usable: bool
    name: str
    kind: str
    face_fen: int
    permille: int
    min_spend_fen: int
    combinable: bool
    gift_product_code: str
    discount_fen: int | None = Field(None, description="按所给商品行计算的优惠；未给商品行为 null")
    payable_fen: int | None = None


@router.post("/checkout/quote", response=QuoteOut)
def checkout_quote(request: HttpRequest, payload: QuoteIn):
    """按会员、商品行、优惠券和积分抵现计算本单价格（不保存）。"""
    result = quote(
        store=request.auth.store,
        lines=_lines(payload.lines),
        member_no=payload.member_no,
        card_no=payload.card_no,
        coupon_codes=payload.coupon_codes,
        points_to_use=payload.points_to_use,
        at=timezone.now(),
    )
    return _quote_out(result)


@router.post("/coupons/{code}/verify", response=VerifyOut)
def coupon_verify(
    request: HttpRequest,
    code: Annotated[str, Path(max_length=32, pattern=r"^[0-9A-Za-z-]+$")],
    payload: VerifyIn,
):
    """该券能否用于此会员（及本单）：不能用时返回错误码（`COUPON_NOT_FOUND`、`COUPON_USED`、
    `COUPON_EXPIRED`、`COUPON_NOT_APPLICABLE`），能用时返回其优惠。"""
    check = verify_coupon(
        code,
        store=request.auth.store,
        lines=_lines(payload.lines),
        member_no=payload.member_no,
        card_no=payload.card_no,
        at=timezone.now(),
    )
    offer = check.offer
    return {
        "code": offer.code,
        "usable": True,
        "name": offer.name,
        "kind": offer.kind,
        "face_fen": offer.face_fen,
        "permille": offer.permille,
        "min_spend_fen": offer.min_spend_fen,
        "combinable": offer.combinable,
        "gift_product_code": offer.gift_product_code,
        "discount_fen": check.discount_fen,
        "payable_fen": check.payable_fen,
    }


def _lines(lines: list[LineInSchema]) -> list[LineIn]:
    return [LineIn(**line.dict()) for line in lines]


def _quote_out(result: Quote) -> dict:
    cart = result.cart
    names = result.product_names
    amounts = {a.source_id: a.amount_fen for a in cart.coupon_adjustments}
    applied = set(cart.applied_coupon_ids)
    return {
        "member": _member_out(result),
        "lines": [
            {
                "line_no": line.priced.line_no,
                "product_code": line.product.code,
                "name": line.product.name,
                "unit": line.product.unit,
                "barcode": line.barcode,
                "qty": line.priced.qty,
                "list_price_fen": line.priced.list_price_fen,
                "member_price_fen": line.product.member_price_fen,
                "unit_price_fen": line.priced.unit_price_fen,
                "label_price_fen": line.label_price_fen,
                "list_total_fen": line.priced.list_total_fen,
                "discounts": [_discount(a) for a in line.priced.adjustments],
                "discount_fen": line.priced.discount_fen,
                "total_fen": line.priced.total_fen,
                "add_price_offer_id": line.add_price_offer_id,
            }
            for line in result.lines
        ],
        "order_discounts": [_discount(a) for a in cart.order_adjustments],
        "coupons_applied": [
            {
                "code": offer.code,
                "name": offer.name,
                "kind": offer.kind,
                "amount_fen": amounts.get(offer.id, 0),
            }
            for offer in result.coupons
            if offer.id in applied
        ],
        "coupons_rejected": [
            {"code": r.coupon_code, "error_code": r.code, "reason": r.reason, "message": r.message}
            for r in result.refused_coupons
        ],
        "list_total_fen": cart.list_total_fen,
        "discount_fen": cart.discount_fen,
        "payable_fen": cart.payable_fen,
        "points_to_use": result.points_used,
        "points_payment_fen": result.points_payment_fen,
        "to_pay_fen": result.to_pay_fen,
        "points_earned": {
            "points": result.points.points,
            "explanation": result.points.explanation,
        },
        "coupons_to_issue": [
            {
                "promotion_id": issue.offer.promotion_id,
                "promotion_name": issue.offer.promotion_name,
                "template_id": issue.offer.template_id,
                "template_name": issue.template_name,
                "face_fen": issue.offer.face_fen,
                "valid_from": issue.valid_from,
                "valid_until": issue.valid_until,
            }
            for issue in result.coupons_to_issue
        ],
        "gifts": [
            {**gift.__dict__, "product_name": names.get(gift.product_code, "")}
            for gift in cart.gifts
        ],
        "add_price_offers": [
            {
                "offer_id": offer.offer_id,
                "offer_name": offer.offer_name,
                "threshold_fen": offer.threshold_fen,
                "price_fen": offer.price_fen,
                "products": [{"code": c, "name": names.get(c, "")} for c in offer.product_codes],
            }
            for offer in cart.add_price_offers
        ],
        "add_price_not_earned": list(cart.add_price_not_earned),
    }


def _discount(adjustment) -> dict:
    return {
        "kind": adjustment.kind,
        "source_id": adjustment.source_id,
        "name": adjustment.source_name,
        "amount_fen": adjustment.amount_fen,
    }


def _member_out(result: Quote) -> dict | None:
    if result.member is None:
        return None
    summary = result.summary
    return {
        "member_no": result.member.member_no,
        "name": result.member.name,
        "card_no": result.card.number if result.card else None,
        "tier": summary.tier,
        "discount_permille": summary.discount_permille,
        "points": summary.points,
        "stored_value_fen": summary.stored_value_fen,
    }
