# ruff: noqa: F811 (pytest fixtures imported from tests.sales)
"""Issue 8's end-to-end example, the return half: a 金卡 (9折) member's member-day order of 5
lines (one 惊爆价, one weighed) with a coupon, paid with stored value (principal and bonus) and
cash; 2 lines are returned through the API and every clawback is checked to the fen."""

import pytest

from huiyuan.core.ledgers import run_ledger_checks
from huiyuan.coupons.models import Coupon
from huiyuan.inventory.models import StockMove
from huiyuan.points.models import PointsAccount, PointsEntry
from huiyuan.points.selectors import points_earned_by_member
from huiyuan.wallet.models import StoredValueEntry
from huiyuan.wallet.selectors import stored_value_of
from tests.sales.fixtures import (  # noqa: F401 (fixtures)
    Kind,
    earn_rule,
    give,
    gold_member,
    goods,
    member,
    member_day,
    on_tuesday,
    promo,
    row,
    template,
)
from tests.sales.orders_fixtures import sell, stocked, with_stored_value  # noqa: F401

pytestmark = pytest.mark.django_db


def test_two_lines_of_a_mixed_payment_member_day_order_come_back_to_the_fen(
    api,
    sell,
    stocked,
    store,
    gold_member,
    member_day,
    promo,
    template,
    give,
    earn_rule,
    with_stored_value,
):
    member = gold_member
    promo(Kind.SPECIAL_PRICE, name="会员日惊爆价", rows=[row(amount=1500, product=stocked["EGG"])])
    five = template("5元券", face_fen=500)
    promo(Kind.ISSUE_COUPONS, name="满68送5", rows=[row(6800, 500, coupon_template=five)])
    coupon = give(template("10元券", face_fen=1000), member)
    with_stored_value(member, 5000, bonus_fen=1000)
    order = sell(
        [("EGG", 2), ("PORK", "0.5"), ("RICE", 1), ("OIL", 1), ("COLA", 2)],
        member=member,
        coupon_codes=[coupon.code],
        pay=[("stored_value", 6000), ("cash", 20000)],
    )
    lines = {line.product_code: line for line in order.lines.all()}
    sv = order.payments.get(method="stored_value")
    assert (sv.principal_fen, sv.bonus_fen) == (5000, 1000)
    issued = order.coupons.get(role="issued").coupon
    account = PointsAccount.objects.get(member=member)
    assert account.balance == order.points_earned
    earned_before = points_earned_by_member(
        [member.pk], order.created_at.date(), order.created_at.date()
    )

    body = {
        "lines": [
            {"line_id": lines["RICE"].line_no, "qty": 1},
            {"line_id": lines["EGG"].line_no, "qty": 2},
        ]
    }
    answer = api.post(
        f"/api/v1/orders/{order.order_no}/returns",
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="e2e-return",
    )
    assert answer.status_code == 201, answer.content
    data = answer.json()

    refund = lines["RICE"].total_fen + lines["EGG"].total_fen
    clawed = lines["RICE"].points_earned + lines["EGG"].points_earned
    assert data["refund_fen"] == refund
    # stored value first, all 6000 of it (principal 5000, bonus 1000), the rest in cash
    assert refund > 6000
    assert data["refunds"] == [
        {
            "tender": "stored_value",
            "method": "stored_value",
            "amount_fen": 6000,
            "principal_fen": 5000,
            "bonus_fen": 1000,
            "points": 0,
        },
        {
            "tender": "cash",
            "method": "cash",
            "amount_fen": refund - 6000,
            "principal_fen": 0,
            "bonus_fen": 0,
            "points": 0,
        },
    ]
    assert [
        (line["line_id"], line["refund_fen"], line["points_clawed_back"]) for line in data["lines"]
    ] == [
        (lines["RICE"].line_no, lines["RICE"].total_fen, lines["RICE"].points_earned),
        (lines["EGG"].line_no, lines["EGG"].total_fen, lines["EGG"].points_earned),
    ]
    assert (data["points_clawed_back"], data["points_debt"], data["deducted_fen"]) == (clawed, 0, 0)
    assert data["order_status"] == "partly_returned"

    # ledgers: stored value back to each pot, points clawed back from the order's lot
    assert stored_value_of(member) == (5000, 1000)
    restored = StoredValueEntry.objects.filter(ref_no=data["return_no"], kind="restore")
    assert sorted((e.pot, e.delta) for e in restored) == [("bonus", 1000), ("principal", 5000)]
    clawback = PointsEntry.objects.get(ref_no=order.order_no, kind="clawback")
    assert clawback.delta == -clawed
    assert PointsAccount.objects.get(member=member).balance == order.points_earned - clawed
    day = order.created_at.date()
    assert (
        points_earned_by_member([member.pk], day, day)[member.pk]
        == earned_before[member.pk] - clawed
    )
    # stock back to the store
    moves = StockMove.objects.filter(ref_no=data["return_no"])
    assert sorted((m.product.code, m.kind, m.qty) for m in moves) == [
        ("EGG", "customer_return", 2),
        ("RICE", "customer_return", 1),
    ]
    # the coupon the sale issued is revoked; the one it used stays used (3 lines are kept)
    assert Coupon.objects.get(pk=issued.pk).state == "revoked"
    assert Coupon.objects.get(pk=coupon.pk).state == "used"
    assert list(run_ledger_checks()) == []
