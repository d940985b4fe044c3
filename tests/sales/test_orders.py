"""place_order: the sale and everything it moves, in one transaction."""

import pytest
from django.utils import timezone

from huiyuan.core.errors import DomainError
from huiyuan.inventory.models import StockLevel, StockMove
from huiyuan.points.models import PointsEntry
from huiyuan.sales.models import LineDiscount, Order, Payment
from huiyuan.wallet.models import StoredValueEntry
from huiyuan.wallet.selectors import stored_value_of
from tests.sales.fixtures import Kind, row
from tests.sales.orders_fixtures import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db


def on_hand(store, code):
    return StockLevel.objects.get(location__store=store, product__code=code).on_hand


def test_a_non_member_sale_paid_in_cash_with_change(sell, store, stocked):
    order = sell([("RICE", 1), ("COLA", 2)], pay=[("cash", 10000)])

    assert order.order_no == f"SH01{timezone.localdate(order.created_at):%Y%m%d}0001"
    assert (order.payable_fen, order.tendered_fen, order.change_fen) == (8600, 10000, 1400)
    assert order.member is None
    assert order.points_earned == 0
    assert [(p.method, p.amount_fen) for p in order.payments.all()] == [("cash", 10000)]
    assert on_hand(store, "RICE") == 99
    assert on_hand(store, "COLA") == 98
    moves = StockMove.objects.filter(ref_no=order.order_no, kind="sale")
    assert sorted((m.product.code, m.qty) for m in moves) == [("COLA", -2), ("RICE", -1)]


def test_order_numbers_follow_the_day(sell, stocked, on_tuesday):
    first, second = sell([("COLA", 1)]), sell([("COLA", 1)])
    assert (first.order_no, second.order_no) == ("SH01202611240001", "SH01202611240002")


def test_the_same_sale_key_returns_the_first_order(sell, stocked, store):
    first = sell([("COLA", 1)], sale_key="K1")
    again = sell([("COLA", 1)], sale_key="K1")
    assert again.pk == first.pk
    assert Order.objects.count() == 1
    assert on_hand(store, "COLA") == 99


@pytest.mark.parametrize(
    ("items", "pay"),
    [([("COLA", 2)], None), ([("COLA", 1)], [("cash", 500)]), ([("RICE", 1)], None)],
)
def test_the_same_sale_key_with_another_sale_is_refused(sell, stocked, store, items, pay):
    """Another till of the store (or another API key) sending the key gets no one else's
    order."""
    first = sell([("COLA", 1)], sale_key="K1")
    with pytest.raises(DomainError) as refused:
        sell(items, pay=pay, sale_key="K1")
    assert refused.value.code == "IDEMPOTENCY_KEY_REUSED"
    assert list(Order.objects.all()) == [first]
    assert on_hand(store, "COLA") == 99


@pytest.mark.parametrize(
    "pay",
    [
        [("cash", 299)],
        [("wechat", 200)],
        [("wechat", 400)],
        [("wechat", 300), ("cash", 100)],
        [("alipay", 100), ("bank_card", 100)],
    ],
)
def test_payments_that_do_not_add_up(sell, stocked, pay):
    with pytest.raises(DomainError) as refused:
        sell([("COLA", 1)], pay=pay)
    assert refused.value.code == "PAYMENT_MISMATCH"
    assert refused.value.fields.keys() == {"payments"}
    assert not Order.objects.exists()


def test_mixed_external_tenders_and_cash(sell, stocked):
    order = sell(
        [("RICE", 1)], pay=[("wechat", 3000, "WX123"), ("bank_card", 3000), ("cash", 5000)]
    )
    assert order.change_fen == 3000
    rows = [(p.method, p.amount_fen, p.external_ref) for p in order.payments.all()]
    assert rows == [("wechat", 3000, "WX123"), ("bank_card", 3000, ""), ("cash", 5000, "")]


def test_a_changed_price_is_refused_and_writes_nothing(sell, stocked, store):
    with pytest.raises(DomainError) as refused:
        sell([("COLA", 1)], expected=250)
    assert refused.value.code == "PRICE_CHANGED"
    assert not Order.objects.exists()
    assert on_hand(store, "COLA") == 100


def test_a_member_pays_with_stored_value_bonus_and_principal(
    sell, stocked, member, with_stored_value, earn_rule
):
    with_stored_value(member, 5000, bonus_fen=1000)
    order = sell([("RICE", 1)], member=member, pay=[("stored_value", 6000), ("cash", 2000)])

    [sv, cash] = order.payments.all()
    assert (sv.principal_fen + sv.bonus_fen, cash.amount_fen) == (6000, 2000)
    assert stored_value_of(member) == (0, 0)
    entries = StoredValueEntry.objects.filter(ref_no=order.order_no)
    assert sum(e.delta for e in entries) == -6000
    # stored value earns by the program's default; the points match the ledger row
    earned = PointsEntry.objects.get(ref_no=order.order_no, kind="earn")
    assert (
        earned.delta == order.points_earned == sum(line.points_earned for line in order.lines.all())
    )


def test_stored_value_beyond_the_balance_writes_nothing(sell, stocked, member, with_stored_value):
    with_stored_value(member, 1000)
    with pytest.raises(DomainError) as refused:
        sell([("RICE", 1)], member=member, pay=[("stored_value", 8000)])
    assert refused.value.code == "STORED_VALUE_INSUFFICIENT"
    assert not Order.objects.exists()
    assert stored_value_of(member) == (1000, 0)


def test_a_non_member_cannot_pay_with_stored_value(sell, stocked):
    with pytest.raises(DomainError) as refused:
        sell([("COLA", 1)], pay=[("stored_value", 300)])
    assert refused.value.code == "PAYMENT_MISMATCH"


def test_a_lost_card_is_refused(sell, stocked, member):
    from huiyuan.cards.models import Card

    Card.objects.filter(member=member).update(status="lost")
    with pytest.raises(DomainError) as refused:
        sell([("COLA", 1)], member=member)
    assert refused.value.code.startswith("CARD_")
    assert not Order.objects.exists()


def test_points_earned_are_shared_over_the_earning_lines(sell, stocked, member, earn_rule):
    order = sell([("RICE", 1), ("CIG", 1), ("OIL", 1)], member=member)
    lines = {line.product_code: line.points_earned for line in order.lines.all()}
    assert lines == {"RICE": 80, "CIG": 0, "OIL": 50}
    assert order.points_earned == 130


def test_points_pay_part_of_the_order(sell, stocked, member, earn_rule):
    from huiyuan.points.models import PointsProgram
    from huiyuan.points.services import earn_points
    from tests.sales.fixtures import SYSTEM

    PointsProgram.objects.update(pay_enabled=True, pay_points_per_yuan=100, pay_min_points=0)
    earn_points(actor=SYSTEM, member=member, points=500)
    order = sell([("RICE", 1)], member=member, points_to_use=500)
    [cash, points] = order.payments.order_by("method")
    assert (cash.method, cash.amount_fen, points.amount_fen, points.points) == (
        "cash",
        7500,
        500,
        500,
    )
    assert PointsEntry.objects.get(ref_no=order.order_no, kind="pay").delta == -500


def test_a_used_coupon_fails_the_sale(sell, stocked, member, template, give):
    coupon = give(template("5元券", face_fen=500), member)
    sell([("RICE", 1)], member=member, coupon_codes=[coupon.code])
    with pytest.raises(DomainError) as refused:
        sell([("RICE", 1)], member=member, coupon_codes=[coupon.code], expected=8000)
    assert refused.value.code == "COUPON_USED"
    assert Order.objects.count() == 1


def test_a_coupon_is_used_and_a_ladder_issues_one(sell, stocked, member, template, give, promo):
    five = template("5元券", face_fen=500)
    promo(Kind.ISSUE_COUPONS, name="满68送5", rows=[row(6800, 500, coupon_template=five)])
    coupon = give(template("10元券", face_fen=1000), member)
    order = sell([("RICE", 1)], member=member, coupon_codes=[coupon.code])

    coupon.refresh_from_db()
    assert coupon.state == "used"
    assert coupon.order_ref == order.order_no
    roles = sorted((c.role, c.amount_fen) for c in order.coupons.all())
    assert roles == [("issued", 0), ("used", 1000)]
    assert order.payable_fen == 7000


def test_gifts_with_purchase_are_free_lines_out_of_stock(sell, stocked, store, member, promo):
    promo(Kind.GIFT, name="满50送可乐", rows=[row(5000, 0, product=stocked["COLA"], qty=1)])
    order = sell([("RICE", 1)], member=member)
    gift = order.lines.get(is_gift=True)
    assert (gift.product_code, gift.total_fen, gift.discount_fen) == ("COLA", 0, 300)
    assert LineDiscount.objects.get(line=gift).kind == "gift"
    assert on_hand(store, "COLA") == 99


def test_insufficient_stock_writes_nothing(sell, goods, store):
    with pytest.raises(DomainError) as refused:
        sell([("COLA", 1)])
    assert refused.value.code == "INSUFFICIENT_STOCK"
    assert not Order.objects.exists()
    assert not Payment.objects.exists()


def test_a_purchase_crossing_a_threshold_upgrades_the_tier(sell, stocked, member, tiers, earn_rule):
    from huiyuan.tiers.selectors import tier_of

    sell([("RICE", 4)], member=member)  # ¥320: 320 points ≥ 银卡's 300
    assert tier_of(member).name == "银卡"


def test_a_salesperson_is_kept_on_the_line(sell, stocked, make_operator):
    guide = make_operator("cashier", username="guide1")
    order = sell([("RICE", 1, {"salesperson": guide}), ("COLA", 1)])
    assert [line.salesperson for line in order.lines.all()] == [guide, None]


@pytest.mark.parametrize("key", ["", " ", "x" * 65, "a\nb"])
def test_a_bad_sale_key_is_refused(sell, stocked, key):
    with pytest.raises(DomainError) as refused:
        sell([("COLA", 1)], sale_key=key or " ")
    assert refused.value.code == "IDEMPOTENCY_KEY_INVALID"


def test_the_points_payment_must_match_points_to_use(sell, stocked, member, earn_rule):
    from huiyuan.points.models import PointsProgram
    from huiyuan.points.services import earn_points
    from tests.sales.fixtures import SYSTEM

    PointsProgram.objects.update(pay_enabled=True, pay_points_per_yuan=100, pay_min_points=0)
    earn_points(actor=SYSTEM, member=member, points=500)
    with pytest.raises(DomainError) as refused:
        sell([("RICE", 1)], member=member, points_to_use=500, pay=[("cash", 8000)])
    assert refused.value.code == "PAYMENT_MISMATCH"
    assert "¥5.00" in refused.value.message


def test_an_order_paid_entirely_by_coupon_needs_no_payment(sell, stocked, member, template, give):
    coupon = give(template("大额券", face_fen=1000), member)
    order = sell([("COLA", 2)], member=member, coupon_codes=[coupon.code], pay=[])
    assert order.payable_fen == 0
    assert not order.payments.exists()


def test_the_sale_is_audited(sell, stocked, member):
    from huiyuan.core.models import AuditEvent

    order = sell([("COLA", 1)], member=member, pay=[("alipay", 300, "ALI9")])
    event = AuditEvent.objects.get(action="order.create")
    assert event.target_repr == order.order_no
    assert event.after["payments"] == [{"method": "alipay", "amount_fen": 300}]
