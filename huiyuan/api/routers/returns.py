"""`POST /orders/{order_no}/returns` (API.md) and its preview.

`lines[].line_id` is the line's number on the order (`line_no` of `GET /orders/{order_no}`). The
Idempotency-Key is also the return's request key: a repeat, from this terminal or another,
answers with the first return. A terminal's return is always made with the receipt (the order
number identifies it); returns without one are the returns page's, with a manager's approval.
"""

from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.decorators import decorate_view
from ninja.responses import Status
from pydantic import StrictInt

from huiyuan.api.conventions import idempotent
from huiyuan.api.routers.orders import OrderNo
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.sales.models import Order, SalesReturn
from huiyuan.sales.return_plans import describe, plan_return
from huiyuan.sales.returns import return_lines

router = Router(tags=["退货"])


class ReturnLineIn(Schema):
    line_id: StrictInt = Field(..., ge=1, le=32767, description="销售单的行号（line_no）")
    qty: Decimal = Field(..., gt=0, max_digits=12, decimal_places=3)


class ReturnIn(Schema):
    lines: list[ReturnLineIn] = Field(..., min_length=1, max_length=200)
    refund_method: Literal["original", "cash"] = Field(
        "original",
        description="original：原路退回；cash：银行卡、微信、支付宝部分改退现金（储值、积分总是退回账户）",
    )
    reason: str = Field("", max_length=200)


class RefundOut(Schema):
    tender: str = Field(..., description="原支付方式")
    method: str = Field(..., description="退款方式")
    amount_fen: int
    principal_fen: int
    bonus_fen: int
    points: int


class ReturnLineOut(Schema):
    line_id: int
    product_code: str
    qty: Decimal
    refund_fen: int
    points_clawed_back: int


class ReturnOut(Schema):
    return_no: str
    order_no: str
    order_status: str
    lines: list[ReturnLineOut]
    refund_fen: int
    refunds: list[RefundOut]
    points_clawed_back: int
    points_debt: int = Field(..., description="会员已用掉、记为积分欠账的积分")
    deducted_fen: int = Field(
        ..., description="从退款中扣除的金额（已用掉的积分折现、本单所送且已用的优惠券）"
    )


class CouponActionOut(Schema):
    code: str
    action: Literal["restore", "revoke", "deduct", "keep"]
    deducted_fen: int


class PreviewOut(Schema):
    lines: list[ReturnLineOut]
    refund_fen: int
    refunds: list[RefundOut]
    points_clawed_back: int
    points_debt: int
    deducted_fen: int
    coupons: list[CouponActionOut]
    notes: list[str] = Field(..., description="退货计划的说明（给收银员确认）")


def _chosen(order: Order, lines: list[ReturnLineIn]) -> list:
    by_no = {line.line_no: line for line in order.lines.all()}
    chosen = []
    for index, item in enumerate(lines):
        if item.line_id not in by_no:
            message = _("该商品不在这张销售单上")
            raise DomainError("VALIDATION_ERROR", fields={f"lines.{index}.line_id": message})
        chosen.append((by_no[item.line_id], item.qty))
    return chosen


def _refund(row) -> dict:
    return {
        "tender": row.tender,
        "method": row.method,
        "amount_fen": row.amount_fen,
        "principal_fen": row.principal_fen,
        "bonus_fen": row.bonus_fen,
        "points": row.points,
    }


@router.post("/orders/{order_no}/returns", response={201: ReturnOut})
@decorate_view(idempotent)
def create_return(request: HttpRequest, order_no: OrderNo, payload: ReturnIn):
    """退货：退回所选商品与数量，按原支付方式退款，扣回积分，退回储值，库存回到本店。"""
    order = get_object_or_404(Order, order_no=order_no)
    sales_return = return_lines(
        actor=Actor.from_request(request),
        order=order,
        lines=_chosen(order, payload.lines),
        store=request.auth.store,
        reason=payload.reason,
        refund_method=payload.refund_method,
        request_key=request.headers.get("Idempotency-Key", ""),
    )
    return Status(201, return_out(sales_return))


@router.post("/orders/{order_no}/returns/preview", response=PreviewOut)
def preview_return(request: HttpRequest, order_no: OrderNo, payload: ReturnIn):
    """退货计划（不保存）：退款到哪些支付方式、扣回积分、积分欠账或扣款、优惠券如何处理。"""
    order = get_object_or_404(Order, order_no=order_no)
    plan = plan_return(order, _chosen(order, payload.lines), refund_method=payload.refund_method)
    return {
        "lines": [
            {
                "line_id": line.line.line_no,
                "product_code": line.line.product_code,
                "qty": line.qty,
                "refund_fen": line.refund_fen,
                "points_clawed_back": line.points,
            }
            for line in plan.lines
        ],
        "refund_fen": plan.refund_fen,
        "refunds": [_refund(refund) for refund in plan.refunds],
        "points_clawed_back": plan.points_taken,
        "points_debt": plan.points_debt,
        "deducted_fen": plan.points_shortfall_fen + plan.coupon_deduction_fen,
        "coupons": [
            {"code": c.coupon.code, "action": c.action, "deducted_fen": c.deducted_fen}
            for c in plan.coupons
        ],
        "notes": describe(plan),
    }


def return_out(sales_return: SalesReturn) -> dict:
    sales_return = (
        SalesReturn.objects.select_related("order")
        .prefetch_related("lines__order_line", "refunds")
        .get(pk=sales_return.pk)
    )
    return {
        "return_no": sales_return.return_no,
        "order_no": sales_return.order.order_no,
        "order_status": sales_return.order.status,
        "lines": [
            {
                "line_id": row.order_line.line_no,
                "product_code": row.order_line.product_code,
                "qty": row.qty,
                "refund_fen": row.refund_fen,
                "points_clawed_back": row.points_clawed_back,
            }
            for row in sales_return.lines.all()
        ],
        "refund_fen": sales_return.refund_fen,
        "refunds": [_refund(row) for row in sales_return.refunds.all()],
        "points_clawed_back": sales_return.points_clawed_back,
        "points_debt": sales_return.points_debt,
        "deducted_fen": sum(row.refund_fen for row in sales_return.lines.all())
        - sales_return.refund_fen,
    }
