"""How an order is paid: the tenders a sale sends, their checks, and the gateway external tenders
go through (place_order's rules on payments, in orders.py's docstring)."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _

from huiyuan.core.errors import DomainError
from huiyuan.core.money import format_fen
from huiyuan.sales.models import Tender
from huiyuan.sales.quote import Quote

MAX_PAYMENTS = 10
EXTERNAL = (Tender.BANK_CARD, Tender.WECHAT, Tender.ALIPAY)  # recorded, no money moved here


@dataclass(frozen=True)
class PaymentIn:
    method: str  # Tender
    amount_fen: int
    external_ref: str = ""  # bank card / WeChat / Alipay: the terminal's transaction number


class PaymentGateway(Protocol):
    """Where bank card, WeChat and Alipay payments go. This system moves no money for them: the
    default gateway records what the cashier's terminal took. A real gateway would charge here
    and return its transaction reference (or raise a DomainError to refuse the sale)."""

    def capture(self, *, order_no: str, method: str, amount_fen: int, external_ref: str) -> str: ...


class RecordOnlyGateway:
    """Records the tender as the cashier entered it (the reference is optional)."""

    def capture(self, *, order_no: str, method: str, amount_fen: int, external_ref: str) -> str:
        return external_ref


gateway: PaymentGateway = RecordOnlyGateway()


@dataclass(frozen=True)
class Tenders:
    payments: list[PaymentIn]  # as sent, cash given in full
    change_fen: int
    stored_value_fen: int
    points_fen: int

    @property
    def tendered_fen(self) -> int:
        return sum(p.amount_fen for p in self.payments)


def mismatch(message: str) -> DomainError:
    return DomainError("PAYMENT_MISMATCH", message, fields={"payments": message})


def checked_payments(payments: list[PaymentIn], result: Quote) -> Tenders:
    if len(payments) > MAX_PAYMENTS:
        raise mismatch(_("一单最多 %(n)d 笔支付") % {"n": MAX_PAYMENTS})
    by_method = defaultdict(list)
    for index, payment in enumerate(payments):
        if payment.method not in Tender.values:
            raise DomainError(
                "VALIDATION_ERROR", fields={f"payments.{index}.method": _("不支持的支付方式")}
            )
        amount = payment.amount_fen
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
            message = _("支付金额必须是大于 0 的整数（分）")
            raise DomainError("VALIDATION_ERROR", fields={f"payments.{index}.amount_fen": message})
        by_method[payment.method].append(amount)
    for method in (Tender.STORED_VALUE, Tender.POINTS):
        if len(by_method[method]) > 1:
            raise mismatch(_("储值和积分各只能支付一笔"))
        if by_method[method] and result.member is None:
            raise mismatch(_("非会员不能使用储值或积分支付"))
    points_fen = sum(by_method[Tender.POINTS])
    if points_fen != result.points_payment_fen:
        raise mismatch(
            _("积分抵现应为 %(amount)s") % {"amount": format_fen(result.points_payment_fen)}
        )
    payable = result.cart.payable_fen
    cash = sum(by_method[Tender.CASH])
    others = sum(p.amount_fen for p in payments) - cash
    if others > payable:
        raise mismatch(_("现金以外的支付合计超过应付金额"))
    if cash < payable - others or (cash and others == payable):
        message = _("支付合计须等于应付金额 %(amount)s（现金可多收找零）") % {
            "amount": format_fen(payable)
        }
        raise mismatch(message)
    return Tenders(
        payments=list(payments),
        change_fen=cash - (payable - others),
        stored_value_fen=sum(by_method[Tender.STORED_VALUE]),
        points_fen=points_fen,
    )
