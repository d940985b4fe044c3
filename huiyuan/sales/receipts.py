"""What a receipt (and `GET /orders/{order_no}`) shows of an order, read in a fixed number of
queries: the lines with each discount, the payments, the coupons used and issued (with their
validity), and the member's points and stored-value balances as the order left them.

The balances come from the ledgers, so a reprint next month still prints what the first print
did: the last row the order wrote (else the last row before the order) of each balance.
"""

from dataclasses import dataclass
from functools import cached_property

import barcode
from barcode.writer import SVGWriter
from django.db.models import Max, Prefetch

from huiyuan.points.models import PointsEntry
from huiyuan.sales.models import Order, OrderCoupon, OrderLine, Tender
from huiyuan.wallet.models import StoredValueEntry


@dataclass(frozen=True)
class Balances:
    points: int
    principal_fen: int
    bonus_fen: int

    @property
    def stored_value_fen(self) -> int:
        return self.principal_fen + self.bonus_fen


def order_with_details(queryset=None):
    """Orders with everything a receipt prints fetched along."""
    queryset = queryset if queryset is not None else Order.objects.all()
    return queryset.select_related(
        "store", "member", "card", "cashier", "api_key"
    ).prefetch_related(
        Prefetch(
            "lines",
            OrderLine.objects.order_by("line_no")
            .select_related("salesperson")
            .prefetch_related("discounts"),
        ),
        "payments",
        Prefetch("coupons", OrderCoupon.objects.select_related("coupon__template").order_by("id")),
    )


@dataclass
class Receipt:
    order: Order

    @cached_property
    def lines(self) -> list[OrderLine]:
        return list(self.order.lines.all())

    @cached_property
    def payments(self):
        return list(self.order.payments.all())

    @property
    def cash_fen(self) -> int:
        return sum(p.amount_fen for p in self.payments if p.method == Tender.CASH)

    @cached_property
    def coupons_used(self):
        return [c for c in self.order.coupons.all() if c.role == OrderCoupon.Role.USED]

    @cached_property
    def coupons_issued(self):
        return [c for c in self.order.coupons.all() if c.role == OrderCoupon.Role.ISSUED]

    @cached_property
    def balances(self) -> Balances | None:
        """The member's balances as this order left them (None: a non-member sale)."""
        if self.order.member_id is None:
            return None
        return balances_after(self.order)


def balances_after(order: Order) -> Balances:
    points = PointsEntry.objects.filter(member_id=order.member_id)
    stored_value = StoredValueEntry.objects.filter(member_id=order.member_id)
    return Balances(
        _last(points, points, order),
        _last(stored_value.filter(pot="principal"), stored_value, order),
        _last(stored_value.filter(pot="bonus"), stored_value, order),
    )


def _last(entries, ledger, order: Order) -> int:
    """balance_after of the last of `entries` up to this order: up to the last row the order
    wrote in the `ledger` (rows move under the account lock, so ids follow events), else up to
    the order's time."""
    own = ledger.filter(ref_type="order", ref_no=order.order_no).aggregate(last=Max("id"))["last"]
    upto = {"id__lte": own} if own else {"created_at__lte": order.created_at}
    row = entries.filter(**upto).order_by("-id").first()
    return row.balance_after if row else 0


# Bar width (mm) by paper width: a 16-character order number is ~145 modules, so 0.25 mm bars
# fit 58 mm paper with its quiet zones; 80 mm paper takes the cards' 0.33 mm.
MODULE_MM = {"58": 0.25, "80": 0.33}


def barcode_svg(order_no: str, paper: str) -> str:
    """The order number as an inline SVG Code 128 sized for the paper (the cards' and coupons'
    rendering, cards.ecard.barcode_svg, with narrower bars on 58 mm)."""
    code = barcode.get("code128", order_no, writer=SVGWriter())
    svg = code.render(
        writer_options={
            "module_width": MODULE_MM[paper],
            "module_height": 12,
            "quiet_zone": 2,
            "font_size": 9,
            "text_distance": 4,
        }
    ).decode()
    return svg[svg.index("<svg") :]
