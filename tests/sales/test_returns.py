"""return_lines: refunds to the tenders, exact clawback, coupons, stock, idempotency."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.ledgers import run_ledger_checks
from huiyuan.inventory.models import StockLevel, StockMove
from huiyuan.points.models import PointsAccount, PointsEntry, PointsProgram
from huiyuan.points.services import earn_points, redeem_points
from huiyuan.sales.models import Order, ReturnSettings, SalesReturn
from huiyuan.sales.return_plans import plan_return
from huiyuan.sales.returns import return_lines
from huiyuan.wallet.models import StoredValueEntry
from huiyuan.wallet.selectors import stored_value_of
from tests.sales.fixtures import SYSTEM, Kind, row
from tests.sales.orders_fixtures import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def give_back(store):
    """give_back(order, {"RICE": 1, …}, **more) → the return, by the system at the store."""

    def make(order, qtys, **more):
        lines = order.lines.all()
        chosen = [
            (line, Decimal(str(qtys[line.product_code])))
            for line in lines
            if line.product_code in qtys
        ]
        return return_lines(
            actor=more.pop("actor", SYSTEM), order=order, lines=chosen, store=store, **more
        )

    return make


def on_hand(store, code):
    return StockLevel.objects.get(location__store=store, product__code=code).on_hand


def refunds(sales_return):
    return sorted(
        (r.tender, r.method, r.amount_fen, r.principal_fen, r.bonus_fen, r.points)
        for r in sales_return.refunds.all()
    )


def balance(member):
    return PointsAccount.objects.get(member=member)


def test_cash_refund_is_net_of_change_and_stock_comes_back(sell, stocked, store, give_back):
    order = sell([("RICE", 1), ("COLA", 2)], pay=[("cash", 10000)])
    first = give_back(order, {"COLA": 1})

    assert refunds(first) == [("cash", "cash", 300, 0, 0, 0)]
    assert first.refund_fen == 300
    assert first.return_no.startswith("RSH01")
    assert on_hand(store, "COLA") == 99
    move = StockMove.objects.get(ref_no=first.return_no)
    assert (move.kind, move.qty) == ("customer_return", 1)
    order.refresh_from_db()
    assert order.status == Order.Status.PARTLY_RETURNED

    rest = give_back(order, {"COLA": 1, "RICE": 1})
    assert rest.refund_fen == 8300
    order.refresh_from_db()
    assert order.status == Order.Status.RETURNED
    # everything back: exactly what was paid (10000 given, 1400 change)
    assert first.refund_fen + rest.refund_fen == 8600


def test_returning_more_than_was_sold_is_refused_and_writes_nothing(sell, stocked, give_back):
    order = sell([("COLA", 2)])
    give_back(order, {"COLA": 1})
    with pytest.raises(DomainError) as refused:
        give_back(order, {"COLA": 2})
    assert refused.value.code == "RETURN_EXCEEDS_SOLD"
    assert refused.value.status == 422
    assert SalesReturn.objects.count() == 1


def test_pieces_return_whole_and_lines_must_be_the_orders(sell, stocked, give_back):
    order = sell([("COLA", 2)])
    with pytest.raises(DomainError) as refused:
        give_back(order, {"COLA": "0.5"})
    assert refused.value.code == "VALIDATION_ERROR"
    other = sell([("RICE", 1)])
    with pytest.raises(DomainError) as refused:
        return_lines(actor=SYSTEM, order=order, lines=[(other.lines.get(), 1)])
    assert refused.value.fields == {"lines.0.line_id": "该商品不在这张销售单上"}


def test_weighed_goods_in_parts_refund_exactly_the_line(sell, stocked, give_back):
    order = sell([("PORK", "0.777")])
    [line] = order.lines.all()
    parts = [give_back(order, {"PORK": qty}) for qty in ("0.1", "0.333", "0.344")]
    assert sum(p.refund_fen for p in parts) == line.total_fen
    assert all(p.refund_fen <= line.total_fen for p in parts)


def test_stored_value_and_cash_member_return_claws_back_exactly(
    sell, stocked, store, member, with_stored_value, earn_rule, give_back
):
    with_stored_value(member, 5000, bonus_fen=1000)
    order = sell(
        [("RICE", 1), ("OIL", 1)], member=member, pay=[("stored_value", 6000), ("cash", 7000)]
    )
    [sv] = order.payments.filter(method="stored_value")
    points = {line.product_code: line.points_earned for line in order.lines.all()}
    before = balance(member).balance

    oil = give_back(order, {"OIL": 1})
    # 5000 refunded: stored value first, principal/bonus as paid (5000:1000)
    bonus = 5000 * sv.bonus_fen // 6000
    assert refunds(oil) == [("stored_value", "stored_value", 5000, 5000 - bonus, bonus, 0)]
    assert oil.points_clawed_back == points["OIL"]
    assert balance(member).balance == before - points["OIL"]
    assert stored_value_of(member) == (5000 - bonus, bonus)

    rice = give_back(order, {"RICE": 1})
    assert refunds(rice) == [
        ("cash", "cash", 7000, 0, 0, 0),
        (
            "stored_value",
            "stored_value",
            1000,
            sv.principal_fen - (5000 - bonus),
            sv.bonus_fen - bonus,
            0,
        ),
    ]
    assert stored_value_of(member) == (sv.principal_fen, sv.bonus_fen)
    assert balance(member).balance == before - order.points_earned
    assert list(run_ledger_checks()) == []
    entries = StoredValueEntry.objects.filter(ref_no__in=[oil.return_no, rice.return_no])
    assert sum(e.delta for e in entries) == 6000


def test_points_paid_come_back_as_points(sell, stocked, member, earn_rule, give_back):
    PointsProgram.objects.update(pay_enabled=True, pay_points_per_yuan=100, pay_min_points=0)
    earn_points(actor=SYSTEM, member=member, points=500)
    order = sell([("RICE", 1)], member=member, points_to_use=500)
    sales_return = give_back(order, {"RICE": 1})
    assert ("points", "points", 500, 0, 0, 500) in refunds(sales_return)
    assert sum(r.amount_fen for r in sales_return.refunds.all()) == order.payable_fen
    assert PointsEntry.objects.get(ref_no=order.order_no, kind="refund").delta == 500
    assert list(run_ledger_checks()) == []


def test_spent_points_become_debt_settled_by_later_earnings(
    sell, stocked, member, earn_rule, give_back, client, make_operator
):
    order = sell([("RICE", 1)], member=member)
    assert order.points_earned == 80
    redeem_points(actor=SYSTEM, member=member, points=50, ref_type="gift", ref_no="G1")

    plan = plan_return(order, [(order.lines.get(), 1)])
    assert (plan.points_taken, plan.points_debt) == (30, 50)
    sales_return = give_back(order, {"RICE": 1})
    assert (sales_return.points_clawed_back, sales_return.points_debt) == (30, 50)
    account = balance(member)
    assert (account.balance, account.debt) == (0, 50)
    assert list(run_ledger_checks()) == []
    PointsAccount.objects.filter(pk=account.pk).update(debt=49)
    assert len(list(run_ledger_checks())) == 1
    PointsAccount.objects.filter(pk=account.pk).update(debt=50)
    client.force_login(make_operator("admin"))
    panel = client.get(f"/points/member/{member.member_no}/panel/").content.decode()
    assert "积分欠账 50" in panel

    earn_points(actor=SYSTEM, member=member, points=70, ref_type="order", ref_no="X1")
    account = balance(member)
    assert (account.balance, account.debt) == (20, 0)
    settled = PointsEntry.objects.get(ref_type="points_debt")
    assert (settled.kind, settled.delta) == ("clawback", -50)
    assert list(run_ledger_checks()) == []


def test_spent_points_deducted_from_the_cash_refund(sell, stocked, member, earn_rule, give_back):
    ReturnSettings.objects.create(pk=1, points_shortfall=ReturnSettings.Shortfall.DEDUCT)
    PointsProgram.objects.update(pay_points_per_yuan=100)
    order = sell([("RICE", 1)], member=member)
    redeem_points(actor=SYSTEM, member=member, points=50, ref_type="gift", ref_no="G1")

    sales_return = give_back(order, {"RICE": 1})
    assert sales_return.points_shortfall_fen == 50
    assert refunds(sales_return) == [("cash", "cash", 8000 - 50, 0, 0, 0)]
    assert (balance(member).balance, balance(member).debt) == (0, 0)


def test_coupons_issued_are_revoked_and_used_ones_restored_when_all_is_back(
    sell, stocked, member, template, give, promo, give_back
):
    five = template("5元券", face_fen=500)
    promo(Kind.ISSUE_COUPONS, name="满68送5", rows=[row(6800, 500, coupon_template=five)])
    used = give(template("10元券", face_fen=1000), member)
    order = sell([("RICE", 1), ("COLA", 1)], member=member, coupon_codes=[used.code])
    issued = order.coupons.get(role="issued").coupon

    give_back(order, {"COLA": 1})
    issued.refresh_from_db()
    used.refresh_from_db()
    assert (issued.state, used.state) == ("revoked", "used")
    give_back(order, {"RICE": 1})
    used.refresh_from_db()
    assert used.state == "issued"


def test_a_used_issued_coupon_is_deducted(sell, stocked, member, template, promo, give_back):
    five = template("5元券", face_fen=500)
    promo(Kind.ISSUE_COUPONS, name="满68送5", rows=[row(6800, 500, coupon_template=five)])
    order = sell([("RICE", 1)], member=member)
    issued = order.coupons.get(role="issued").coupon
    sell([("RICE", 1)], member=member, coupon_codes=[issued.code])

    sales_return = give_back(order, {"RICE": 1})
    assert refunds(sales_return) == [("cash", "cash", 8000 - 500, 0, 0, 0)]
    assert sales_return.refund_fen == 7500


def test_the_same_request_key_returns_the_first_return(sell, stocked, store, give_back):
    order = sell([("COLA", 3)])
    first = give_back(order, {"COLA": 1}, request_key="R-1")
    again = give_back(order, {"COLA": 1}, request_key="R-1")
    assert again.pk == first.pk
    assert on_hand(store, "COLA") == 98
    with pytest.raises(DomainError) as refused:
        give_back(order, {"COLA": 2}, request_key="R-1")
    assert refused.value.code == "IDEMPOTENCY_KEY_REUSED"


def test_without_a_receipt_a_manager_must_approve(sell, stocked, give_back, make_operator):
    order = sell([("COLA", 1)])
    cashier = make_operator("cashier")
    with pytest.raises(DomainError) as refused:
        give_back(order, {"COLA": 1}, actor=Actor(operator=cashier), with_receipt=False)
    assert refused.value.code == "PERMISSION_DENIED"
    manager = make_operator("store_manager")
    manager.user_permissions.add(
        Permission.objects.get(codename="return_without_receipt", content_type__app_label="sales")
    )
    done = give_back(
        order, {"COLA": 1}, actor=Actor(operator=cashier), with_receipt=False, approved_by=manager
    )
    assert (done.with_receipt, done.approved_by) == (False, manager)


def test_a_return_belongs_to_the_cashiers_open_shift(
    sell, stocked, store, give_back, make_operator
):
    from huiyuan.sales.shifts import open_shift, shift_report

    cashier = make_operator("cashier")
    actor = Actor(operator=cashier, store=store)
    shift = open_shift(actor=actor, store=store, float_fen=10000)
    order = sell([("COLA", 2)], pay=[("cash", 600)])
    sales_return = give_back(order, {"COLA": 1}, actor=actor)
    assert sales_return.shift == shift
    report = shift_report(shift)
    assert (report.return_count, report.refund_fen) == (1, 300)


def test_an_order_of_a_merged_member_returns_on_the_kept_member(
    sell, stocked, member, register, earn_rule, with_stored_value, give_back
):
    from huiyuan.members.merging import merge_members

    with_stored_value(member, 5000)
    order = sell([("RICE", 1)], member=member, pay=[("stored_value", 5000), ("cash", 3000)])
    kept = register(name="张三", phone="13900139000")
    merge_members(actor=SYSTEM, absorbed=member, kept=kept, reason="重复登记")

    sales_return = give_back(order, {"RICE": 1})
    assert sales_return.points_clawed_back == order.points_earned == 80
    assert balance(kept).balance == 0
    assert stored_value_of(kept) == (5000, 0)
    assert list(run_ledger_checks()) == []


def test_points_debt_moves_with_a_merge(sell, stocked, member, register, earn_rule, give_back):
    from huiyuan.members.merging import merge_members

    order = sell([("RICE", 1)], member=member)
    redeem_points(actor=SYSTEM, member=member, points=80, ref_type="gift", ref_no="G1")
    assert give_back(order, {"RICE": 1}).points_debt == 80
    kept = register(name="张三", phone="13900139000")
    merge_members(actor=SYSTEM, absorbed=member, kept=kept, reason="重复登记")
    assert (balance(member).debt, balance(kept).debt) == (0, 80)
    assert list(run_ledger_checks()) == []
    earn_points(actor=SYSTEM, member=kept, points=100, ref_type="order", ref_no="X1")
    assert (balance(kept).balance, balance(kept).debt) == (20, 0)
    assert list(run_ledger_checks()) == []
