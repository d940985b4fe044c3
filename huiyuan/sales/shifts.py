"""交班: a cashier's shift at one store, from the float to the counted cash, and its report.

A cashier opens one shift per store at a time (the model's partial unique constraint) with a
float (备用金); orders and returns taken meanwhile link to it (`current_shift`, called by the
orders and returns services). Closing counts the drawer: the report's expected cash is stored
with the counted amount, so a closed shift's figures never move.

Expected cash. A cash `Payment` records the cash handed over, in full (`sales.orders`: the
payments as sent); the change given back is the order's `change_fen` (only cash gives change).
So the drawer should hold

    float + cash received − change − cash refunds
          + cash top-ups + cash count-card sales − cash top-up refunds

and the report's cash tender is what cash covered (received − change), like the other tenders.
The wallet desk's cash (top-ups, count-card sales and top-up refunds) goes through the same
drawer; it has no shift column, so it counts by who took it, where, and within the shift's hours.
"""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.sales.models import Order, Payment, Refund, SalesReturn, Shift, Tender
from huiyuan.wallet.models import CountCardHolding, PaymentMethod, TopUp

MAX_CASH_FEN = 10**10  # ¥100,000,000: no drawer holds more


def current_shift(cashier, store) -> Shift | None:
    """The cashier's open shift at `store`, if any: what a new order or return links to."""
    if cashier is None or store is None:
        return None
    return Shift.objects.filter(cashier=cashier, store=store, closed_at__isnull=True).first()


def hold_open(shift: Shift | None) -> Shift | None:
    """Inside a sale's or return's transaction: lock `shift` so that closing it waits until the
    sale is committed (and counts it); None when it was closed meanwhile, and the sale then
    belongs to no shift rather than to one whose cash is already counted."""
    if shift is None:
        return None
    return Shift.objects.select_for_update().filter(pk=shift.pk, closed_at__isnull=True).first()


def open_shift(*, actor: Actor, store, float_fen: int) -> Shift:
    """Open the acting operator's shift at `store` with `float_fen` in the drawer."""
    if actor.operator is None or store is None:
        raise DomainError("OPERATOR_NEEDS_STORE")
    if not 0 <= float_fen <= MAX_CASH_FEN:
        raise DomainError("VALIDATION_ERROR", _("备用金金额超出范围"), field="float_fen")
    already = _("您在本店已有未交班的班次，请先交班")
    if current_shift(actor.operator, store) is not None:
        raise DomainError("DOCUMENT_STATE_INVALID", already, {"float_fen": already})
    try:
        with transaction.atomic():
            shift = Shift.objects.create(store=store, cashier=actor.operator, float_fen=float_fen)
            audit.record(
                actor, "shift.open", shift, after={"float_fen": float_fen}, store=shift.store
            )
    except IntegrityError:  # a second tab opened one at the same moment
        raise DomainError("DOCUMENT_STATE_INVALID", already, {"float_fen": already}) from None
    return shift


def close_shift(*, actor: Actor, shift: Shift, counted_cash_fen: int, note: str = "") -> Shift:
    """Close `shift` with the cash counted in the drawer; the expected cash is stored with it."""
    if not 0 <= counted_cash_fen <= MAX_CASH_FEN:
        raise DomainError("VALIDATION_ERROR", _("金额超出范围"), field="counted_cash_fen")
    with transaction.atomic():
        # The row lock makes a second close (another tab) wait, then see the shift closed.
        shift = Shift.objects.select_for_update().get(pk=shift.pk)
        if shift.closed_at is not None:
            raise DomainError("DOCUMENT_STATE_INVALID", _("该班次已交班"))
        shift.closed_at = timezone.now()
        shift.expected_cash_fen = shift_report(shift).expected_cash_fen
        shift.counted_cash_fen = counted_cash_fen
        shift.note = note.strip()[:200]
        shift.save(update_fields=["closed_at", "expected_cash_fen", "counted_cash_fen", "note"])
        audit.record(
            actor,
            "shift.close",
            shift,
            after={
                "expected_cash_fen": shift.expected_cash_fen,
                "counted_cash_fen": counted_cash_fen,
                "difference_fen": counted_cash_fen - shift.expected_cash_fen,
            },
            store=shift.store,
        )
    return shift


@dataclass
class TenderLine:
    method: str
    label: str
    sales_fen: int = 0
    refunds_fen: int = 0
    points: int = 0  # points tender: points spent, net of points paid back

    @property
    def net_fen(self) -> int:
        return self.sales_fen - self.refunds_fen


@dataclass
class DeskLine:
    """The wallet desk's takings in one payment method: top-ups, count-card sales, refunds."""

    method: str
    label: str
    topups_fen: int = 0
    count_cards_fen: int = 0
    topup_refunds_fen: int = 0

    @property
    def net_fen(self) -> int:
        return self.topups_fen + self.count_cards_fen - self.topup_refunds_fen


@dataclass
class ShiftReport:
    shift: Shift
    until: datetime.datetime
    order_count: int = 0
    list_total_fen: int = 0
    discount_fen: int = 0
    sales_fen: int = 0
    change_fen: int = 0
    points_earned: int = 0
    cash_received_fen: int = 0
    return_count: int = 0
    refund_fen: int = 0
    tenders: list[TenderLine] = field(default_factory=list)
    desk: list[DeskLine] = field(default_factory=list)
    topup_count: int = 0
    count_card_count: int = 0

    @property
    def cash(self) -> TenderLine:
        return next(line for line in self.tenders if line.method == Tender.CASH)

    @property
    def desk_cash_fen(self) -> int:
        return next(line.net_fen for line in self.desk if line.method == PaymentMethod.CASH)

    @property
    def expected_cash_fen(self) -> int:
        """What the drawer should hold now (a closed shift: what it should have held)."""
        if self.shift.closed_at is not None and self.shift.expected_cash_fen is not None:
            return self.shift.expected_cash_fen
        return self.shift.float_fen + self.cash.net_fen + self.desk_cash_fen

    @property
    def difference_fen(self) -> int | None:
        """Counted − expected: positive is cash over (长款), negative short (短款)."""
        if self.shift.counted_cash_fen is None:
            return None
        return self.shift.counted_cash_fen - self.expected_cash_fen

    @property
    def net_sales_fen(self) -> int:
        return self.sales_fen - self.refund_fen


def shift_report(shift: Shift) -> ShiftReport:
    """Sales, returns, each tender and the wallet desk's takings of one shift (seven queries)."""
    until = shift.closed_at or timezone.now()
    report = ShiftReport(shift=shift, until=until)
    orders = Order.objects.filter(shift=shift).aggregate(
        count=Count("id"),
        list_total=Sum("list_total_fen"),
        discount=Sum("discount_fen"),
        payable=Sum("payable_fen"),
        change=Sum("change_fen"),
        points=Sum("points_earned"),
    )
    report.order_count = orders["count"]
    report.list_total_fen = orders["list_total"] or 0
    report.discount_fen = orders["discount"] or 0
    report.sales_fen = orders["payable"] or 0
    report.change_fen = orders["change"] or 0
    report.points_earned = orders["points"] or 0
    returns = SalesReturn.objects.filter(shift=shift).aggregate(
        count=Count("id"), refund=Sum("refund_fen")
    )
    report.return_count = returns["count"]
    report.refund_fen = returns["refund"] or 0

    tenders = {method: TenderLine(method, label) for method, label in Tender.choices}
    paid = Payment.objects.filter(order__shift=shift).values("method")
    for row in paid.annotate(amount=Sum("amount_fen"), points=Sum("points")).order_by():
        tenders[row["method"]].sales_fen = row["amount"]
        tenders[row["method"]].points += row["points"]
    report.cash_received_fen = tenders[Tender.CASH].sales_fen
    tenders[Tender.CASH].sales_fen -= report.change_fen
    refunded = Refund.objects.filter(sales_return__shift=shift).values("method")
    for row in refunded.annotate(amount=Sum("amount_fen"), points=Sum("points")).order_by():
        tenders[row["method"]].refunds_fen = row["amount"]
        tenders[row["method"]].points -= row["points"]
    report.tenders = list(tenders.values())

    desk = {method: DeskLine(method, label) for method, label in PaymentMethod.choices}
    topups = TopUp.objects.filter(_during(shift, "created_at"), operator=shift.cashier)
    for method, (count, amount) in _by_method(topups, "amount_fen").items():
        desk[method].topups_fen = amount
        report.topup_count += count
    holdings = CountCardHolding.objects.filter(_during(shift, "created_at"), operator=shift.cashier)
    for method, (count, amount) in _by_method(holdings, "price_fen").items():
        desk[method].count_cards_fen = amount
        report.count_card_count += count
    refunds = TopUp.objects.filter(_during(shift, "refunded_at"), refunded_by=shift.cashier)
    for method, (_count, amount) in _by_method(refunds, "refund_fen").items():
        desk[method].topup_refunds_fen = amount
    report.desk = list(desk.values())
    return report


def _during(shift: Shift, field: str) -> Q:
    """Rows of the shift's store from its opening (up to its closing, once closed)."""
    during = Q(store=shift.store, **{f"{field}__gte": shift.opened_at})
    if shift.closed_at is not None:
        during &= Q(**{f"{field}__lt": shift.closed_at})
    return during


def _by_method(rows: QuerySet, amount: str) -> dict[str, tuple[int, int]]:
    grouped = rows.values("payment_method").annotate(n=Count("id"), fen=Sum(amount)).order_by()
    return {row["payment_method"]: (row["n"], row["fen"] or 0) for row in grouped}


def shifts_for(operator, stores: QuerySet) -> QuerySet:
    """The shifts a person may see: every shift of their stores with `sales.view_shift` (a
    manager), else only their own."""
    shifts = Shift.objects.select_related("store", "cashier").annotate(
        difference_fen=F("counted_cash_fen") - F("expected_cash_fen")
    )
    if operator.has_perm("sales.view_shift"):
        return shifts.filter(store__in=stores)
    return shifts.filter(Q(cashier=operator), store__in=stores)


def may_close(operator, shift: Shift) -> bool:
    """The cashier closes their own shift; a manager (`sales.change_shift`) anyone's."""
    if shift.closed_at is not None:
        return False
    if shift.cashier_id == operator.pk:
        return operator.has_perm("sales.add_shift")
    return operator.has_perm("sales.change_shift")
