"""The shift report over real sales and returns (`place_order`, `return_lines`): cash handed
over in full with change, a card tender, a return refunded in cash."""

from huiyuan.core.actors import Actor
from huiyuan.sales import shifts
from huiyuan.sales.returns import return_lines
from tests.sales.bills_fixtures import cashier_of
from tests.sales.orders_fixtures import *  # noqa: F403 (fixtures)


def test_report_of_sales_and_a_return(make_operator, store, sell, stocked):
    cashier = cashier_of(make_operator)
    actor = Actor(operator=cashier, store=store)
    shift = shifts.open_shift(actor=actor, store=store, float_fen=20000)

    # RICE ¥80 + OIL ¥50 = ¥130: ¥100 note + ¥50 note in cash (¥20 change) … all cash.
    first = sell([("RICE", 1), ("OIL", 1)], pay=[("cash", 15000)], cashier=cashier, shift=shift)
    second = sell([("MILK", 2)], pay=[("wechat", 600), ("cash", 500)], cashier=cashier, shift=shift)
    oil = first.lines.get(product_code="OIL")
    return_lines(actor=actor, order=first, lines=[(oil, 1)], store=store, shift=shift)

    report = shifts.shift_report(shift)

    assert (first.change_fen, second.change_fen) == (2000, 100)
    assert (report.order_count, report.sales_fen, report.change_fen) == (2, 14000, 2100)
    assert (report.return_count, report.refund_fen) == (1, 5000)
    cash = report.cash
    assert (cash.sales_fen, cash.refunds_fen) == (13000 + 400, 5000)
    assert report.expected_cash_fen == 20000 + 15500 - 2100 - 5000

    closed = shifts.close_shift(actor=actor, shift=shift, counted_cash_fen=28400)
    assert shifts.shift_report(closed).difference_fen == 0


def test_a_sale_after_its_shift_closed_belongs_to_no_shift(make_operator, store, sell, stocked):
    """The till read the open shift, then the shift was closed before the sale was written: the
    closed shift's figures stay as counted, the sale belongs to no shift (as a return does)."""
    cashier = cashier_of(make_operator)
    actor = Actor(operator=cashier, store=store)
    shift = shifts.open_shift(actor=actor, store=store, float_fen=0)
    shifts.close_shift(actor=actor, shift=shift, counted_cash_fen=0)

    order = sell([("OIL", 1)], pay=[("cash", 5000)], cashier=cashier, shift=shift)

    assert order.shift is None
    report = shifts.shift_report(shift)
    assert (report.order_count, report.cash.sales_fen, report.expected_cash_fen) == (0, 0, 0)
