"""`POST /orders` (the sale) and `GET /orders/{order_no}` of API.md.

The body is the quote's plus the payments and the payable amount the till showed. The
Idempotency-Key is the sale key: a repeat (also from another connection at the same moment)
answers with the first order. Without the header each call is a new sale.
"""

import datetime
import uuid
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja.decorators import decorate_view
from ninja.responses import Status
from pydantic import StrictInt

from huiyuan.api.conventions import idempotent
from huiyuan.api.routers.checkout import DiscountOut, LineInSchema, QuoteIn
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.sales.models import Tender
from huiyuan.sales.orders import SaleLine, place_order
from huiyuan.sales.quote import MAX_LINES
from huiyuan.sales.receipts import Receipt, order_with_details
from huiyuan.sales.tenders import MAX_PAYMENTS, PaymentIn
from huiyuan.staff.models import Operator

router = Router(tags=["销售"])
OrderNo = Annotated[str, Path(max_length=32, pattern=r"^[0-9A-Za-z]+$")]


class SaleLineIn(LineInSchema):
    salesperson: str = Field("", max_length=150, description="导购的登录名（提成）")


class PaymentInSchema(Schema):
    method: Tender
    amount_fen: StrictInt = Field(..., gt=0, le=10**11, description="现金为实收金额（可多收找零）")
    external_ref: str = Field("", max_length=64, description="银行卡、微信、支付宝的交易参考号")


class OrderIn(QuoteIn):
    lines: list[SaleLineIn] = Field(..., min_length=1, max_length=MAX_LINES)
    payments: list[PaymentInSchema] = Field(..., min_length=0, max_length=MAX_PAYMENTS)
    expected_payable_fen: StrictInt = Field(
        ..., ge=0, le=10**11, description="计价时的应付金额（积分抵现前）；不符时 409 PRICE_CHANGED"
    )
    stored_value_password: str = Field("", max_length=32, description="储值支付密码（如设置）")


class OrderLineOut(Schema):
    line_no: int
    product_code: str
    name: str
    barcode: str
    qty: Decimal
    list_price_fen: int
    unit_price_fen: int
    list_total_fen: int
    discounts: list[DiscountOut]
    discount_fen: int
    total_fen: int
    points_earned: int = Field(..., description="本行分得的积分（退货时按此扣回）")
    is_gift: bool
    add_price_offer_id: int | None
    salesperson: str | None


class PaymentOut(Schema):
    method: str
    amount_fen: int
    principal_fen: int
    bonus_fen: int
    points: int
    external_ref: str


class BalancesOut(Schema):
    points: int
    principal_fen: int
    bonus_fen: int
    stored_value_fen: int


class OrderCouponOut(Schema):
    code: str
    name: str
    face_fen: int
    amount_fen: int = Field(..., description="本单抵扣（发放的券为 0）")
    valid_from: datetime.date
    valid_until: datetime.date


class OrderMemberOut(Schema):
    member_no: str
    name: str
    card_no: str | None


class OrderOut(Schema):
    order_no: str
    status: str
    store_code: str
    created_at: datetime.datetime
    member: OrderMemberOut | None
    lines: list[OrderLineOut]
    list_total_fen: int
    discount_fen: int
    payable_fen: int
    payments: list[PaymentOut]
    tendered_fen: int
    change_fen: int
    points_used: int
    points_earned: int
    balances: BalancesOut | None = Field(..., description="本单之后的积分与储值余额；非会员为 null")
    coupons_used: list[OrderCouponOut]
    coupons_issued: list[OrderCouponOut]
    receipt_url: str


@router.post("/orders", response={201: OrderOut})
@decorate_view(idempotent)
def create_order(request: HttpRequest, payload: OrderIn):
    """收银：按计价规则重新计价并校验支付，在一个事务中记录销售单、库存、储值、积分和优惠券。"""
    store = request.auth.store
    order = place_order(
        actor=Actor.from_request(request),
        store=store,
        sale_key=request.headers.get("Idempotency-Key") or f"api-{uuid.uuid4().hex}",
        lines=_lines(payload.lines),
        member_no=payload.member_no,
        card_no=payload.card_no,
        coupon_codes=payload.coupon_codes,
        points_to_use=payload.points_to_use,
        payments=[PaymentIn(p.method, p.amount_fen, p.external_ref) for p in payload.payments],
        expected_payable_fen=payload.expected_payable_fen,
        stored_value_password=payload.stored_value_password,
    )
    return Status(201, order_out(request, order_with_details().get(pk=order.pk)))


@router.get("/orders/{order_no}", response=OrderOut)
def get_order(request: HttpRequest, order_no: OrderNo):
    """销售单（任一门店的终端均可查询，以便异店退货）。"""
    return order_out(request, get_object_or_404(order_with_details(), order_no=order_no))


def _lines(lines: list[SaleLineIn]) -> list[SaleLine]:
    names = {line.salesperson for line in lines if line.salesperson}
    people = {o.username: o for o in Operator.objects.filter(username__in=names, is_active=True)}
    result = []
    for index, line in enumerate(lines):
        if line.salesperson and line.salesperson not in people:
            message = _("导购不存在或已停用")
            raise DomainError("VALIDATION_ERROR", fields={f"lines.{index}.salesperson": message})
        fields = line.dict(exclude={"salesperson"})
        result.append(SaleLine(**fields, salesperson=people.get(line.salesperson)))
    return result


def _qty(qty: Decimal) -> Decimal:
    """1.000 → 1, 1.250 → 1.25 (the column keeps three places)."""
    return qty.quantize(Decimal(1)) if qty == qty.to_integral_value() else qty.normalize()


def _coupon(row) -> dict:
    coupon = row.coupon
    return {
        "code": coupon.code,
        "name": coupon.template.name,
        "face_fen": coupon.face_fen,
        "amount_fen": row.amount_fen,
        "valid_from": coupon.valid_from,
        "valid_until": coupon.valid_until,
    }


def order_out(request: HttpRequest, order) -> dict:
    receipt = Receipt(order)
    balances = receipt.balances
    member = order.member
    return {
        "order_no": order.order_no,
        "status": order.status,
        "store_code": order.store.code,
        "created_at": order.created_at,
        "member": {
            "member_no": member.member_no,
            "name": member.name,
            "card_no": order.card.number if order.card else None,
        }
        if member
        else None,
        "lines": [
            {
                "line_no": line.line_no,
                "product_code": line.product_code,
                "name": line.product_name,
                "barcode": line.barcode,
                "qty": _qty(line.qty),
                "list_price_fen": line.list_price_fen,
                "unit_price_fen": line.unit_price_fen,
                "list_total_fen": line.list_total_fen,
                "discounts": [
                    {
                        "kind": d.kind,
                        "source_id": d.source_id,
                        "name": d.source_name,
                        "amount_fen": d.amount_fen,
                    }
                    for d in line.discounts.all()
                ],
                "discount_fen": line.discount_fen,
                "total_fen": line.total_fen,
                "points_earned": line.points_earned,
                "is_gift": line.is_gift,
                "add_price_offer_id": line.add_price_offer_id,
                "salesperson": line.salesperson.username if line.salesperson_id else None,
            }
            for line in receipt.lines
        ],
        "list_total_fen": order.list_total_fen,
        "discount_fen": order.discount_fen,
        "payable_fen": order.payable_fen,
        "payments": [
            {
                "method": p.method,
                "amount_fen": p.amount_fen,
                "principal_fen": p.principal_fen,
                "bonus_fen": p.bonus_fen,
                "points": p.points,
                "external_ref": p.external_ref,
            }
            for p in receipt.payments
        ],
        "tendered_fen": order.tendered_fen,
        "change_fen": order.change_fen,
        "points_used": order.points_used,
        "points_earned": order.points_earned,
        "balances": {**balances.__dict__, "stored_value_fen": balances.stored_value_fen}
        if balances
        else None,
        "coupons_used": [_coupon(row) for row in receipt.coupons_used],
        "coupons_issued": [_coupon(row) for row in receipt.coupons_issued],
        "receipt_url": request.build_absolute_uri(reverse("orders:receipt", args=[order.order_no])),
    }
