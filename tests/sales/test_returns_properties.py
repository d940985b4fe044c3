"""Property test (issue 8): for random carts paid with random mixes of points, stored value and
money, and random sequences of partial returns, refunds never exceed what each tender paid, the
points clawed back never exceed what was earned, a refused return writes nothing, the ledgers stay
consistent, and returning everything gives back exactly what was paid."""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huiyuan.core.errors import DomainError
from huiyuan.core.ledgers import run_ledger_checks
from huiyuan.points.models import PointsAccount, PointsProgram
from huiyuan.points.services import earn_points, redeem_points
from huiyuan.sales.models import Order, Refund, ReturnLine, SalesReturn
from huiyuan.sales.returns import return_lines
from tests.sales.fixtures import SYSTEM
from tests.sales.orders_fixtures import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db

CODES = ["RICE", "OIL", "EGG", "MILK", "COLA", "PORK", "CIG"]
fractions = st.integers(min_value=0, max_value=1000)


@st.composite
def carts(draw):
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=5, unique=True))
    return [
        (code, draw(st.integers(1, 2500)) / Decimal(1000))
        if code == "PORK"
        else (code, draw(st.integers(1, 4)))
        for code in codes
    ]


scenarios = st.fixed_dictionaries(
    {
        "cart": carts(),
        "points_share": fractions,
        "stored_value_share": fractions,
        "money": st.sampled_from(["cash", "wechat", "bank_card"]),
        "spent_after": st.integers(0, 3000),
        # each return: (line index, permille of the line's qty), some beyond what is left
        "returns": st.lists(
            st.lists(st.tuples(st.integers(0, 4), st.integers(1, 1200)), min_size=1, max_size=3),
            max_size=4,
        ),
        "return_the_rest": st.booleans(),
    }
)


class Rollback(Exception):
    pass


@pytest.fixture
def program(db):
    PointsProgram.objects.update(
        pay_enabled=True, pay_points_per_yuan=100, pay_min_points=0, pay_max_share_permille=500
    )


def tender_paid(order) -> dict:
    paid = defaultdict(int)
    for payment in order.payments.all():
        paid[payment.method] += payment.amount_fen
    paid["cash"] -= order.change_fen
    return {tender: amount for tender, amount in paid.items() if amount}


def check(order):
    paid = tender_paid(order)
    refunded = dict(
        Refund.objects.filter(sales_return__order=order)
        .values_list("tender")
        .annotate(total=Sum("amount_fen"))
        .order_by()
    )
    for tender, amount in refunded.items():
        assert amount <= paid.get(tender, 0), tender
    payments = {p.method: p for p in order.payments.all()}
    refunds = Refund.objects.filter(sales_return__order=order)
    if "points" in payments:
        assert (refunds.aggregate(p=Sum("points"))["p"] or 0) <= payments["points"].points
    if "stored_value" in payments:
        sums = refunds.aggregate(p=Sum("principal_fen"), b=Sum("bonus_fen"))
        assert (sums["p"] or 0) <= payments["stored_value"].principal_fen
        assert (sums["b"] or 0) <= payments["stored_value"].bonus_fen
    for line in order.lines.all():
        rows = ReturnLine.objects.filter(order_line=line).aggregate(
            q=Sum("qty"), f=Sum("refund_fen"), p=Sum("points_clawed_back")
        )
        assert (rows["q"] or 0) <= line.qty
        assert (rows["f"] or 0) <= line.total_fen
        assert (rows["p"] or 0) <= line.points_earned
    taken = SalesReturn.objects.filter(order=order).aggregate(
        c=Sum("points_clawed_back"), d=Sum("points_debt")
    )
    assert (taken["c"] or 0) + (taken["d"] or 0) <= order.points_earned
    assert PointsAccount.objects.filter(balance__lt=0).count() == 0
    assert list(run_ledger_checks()) == []
    return paid, refunded, taken


def remaining(order) -> dict:
    left = {line.pk: line.qty for line in order.lines.all()}
    for row in ReturnLine.objects.filter(order_line__order=order):
        left[row.order_line_id] -= row.qty
    return left


def written():
    return (SalesReturn.objects.count(), ReturnLine.objects.count(), Refund.objects.count())


@given(scenario=scenarios)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_returns_never_refund_more_than_paid(
    scenario, sell, stocked, member, with_stored_value, earn_rule, program
):
    try:
        with transaction.atomic():
            run(scenario, sell, member, with_stored_value)
            raise Rollback
    except Rollback:
        pass


def run(scenario, sell, member, with_stored_value):
    from huiyuan.sales.quote import LineIn, quote

    with_stored_value(member, 100_000, bonus_fen=25_000)
    earn_points(actor=SYSTEM, member=member, points=20_000, ref_type="seed", ref_no="S")
    cart = scenario["cart"]
    priced = quote(
        store=member.store,
        lines=[LineIn(product_code=c, qty=Decimal(str(q))) for c, q in cart],
        member_no=member.member_no,
    )
    payable = priced.cart.payable_fen
    points = min(20_000, payable // 2) * scenario["points_share"] // 1000
    if points:
        priced = quote(
            store=member.store,
            lines=[LineIn(product_code=c, qty=Decimal(str(q))) for c, q in cart],
            member_no=member.member_no,
            points_to_use=points,
        )
    rest = priced.to_pay_fen
    stored = rest * scenario["stored_value_share"] // 1000
    pay = [("stored_value", stored)] if stored else []
    if rest - stored:
        pay.append((scenario["money"], rest - stored))
    if priced.points_payment_fen:
        pay.append(("points", priced.points_payment_fen))
    order = sell(cart, member=member, pay=pay, points_to_use=priced.points_used)
    if scenario["spent_after"]:
        account = PointsAccount.objects.get(member=member)
        spend = min(scenario["spent_after"], account.balance)
        if spend:
            redeem_points(actor=SYSTEM, member=member, points=spend, ref_type="gift", ref_no="G")

    lines = list(order.lines.order_by("line_no"))
    for step in scenario["returns"]:
        chosen = []
        for index, permille in step:
            line = lines[index % len(lines)]
            qty = (line.qty * permille / 1000).quantize(Decimal("0.001"))
            if not line.product.is_weighed:
                qty = qty.to_integral_value() or Decimal(1)
            if qty > 0:
                chosen.append((line, qty))
        if not chosen:
            continue
        asked = defaultdict(Decimal)
        for line, qty in chosen:
            asked[line.pk] += qty
        left = remaining(order)
        if any(qty > left[line_id] for line_id, qty in asked.items()):
            before = written()
            with pytest.raises(DomainError) as refused:
                return_lines(actor=SYSTEM, order=order, lines=chosen)
            assert refused.value.code == "RETURN_EXCEEDS_SOLD"
            assert written() == before
        else:
            return_lines(actor=SYSTEM, order=order, lines=chosen)
        check(order)

    if scenario["return_the_rest"]:
        left = remaining(order)
        left = [(line, left[line.pk]) for line in lines if left[line.pk] > 0]
        if left:
            return_lines(actor=SYSTEM, order=order, lines=left)
        paid, refunded, taken = check(order)
        assert refunded == paid  # debt mode: nothing deducted, every tender back in full
        assert (taken["c"] or 0) + (taken["d"] or 0) == order.points_earned
        order.refresh_from_db()
        assert order.status == Order.Status.RETURNED
