"""The seeds' examples through the quote service, with exact amounts (issue 7's "must show")."""

import datetime

import pytest

from huiyuan.coupons.models import Validity
from tests.sales.fixtures import Kind, row

pytestmark = pytest.mark.django_db


def test_a_130_yuan_member_day_purchase_issues_a_10_yuan_coupon_for_next_tuesday(
    quoting, member, goods, promo, template, member_day
):
    """满68送5, 满128送10 on the Tuesday member day: ¥130 on Tuesday 2026-11-24 earns the ¥10
    coupon, valid on Tuesday 2026-12-01 only."""
    next_day = {"validity": Validity.NEXT_MEMBER_DAY, "member_day": member_day}
    five = template("会员日5元券", face_fen=500, **next_day)
    ten = template("会员日10元券", face_fen=1000, **next_day)
    promo(
        Kind.ISSUE_COUPONS,
        name="满68送5",
        member_day=member_day,
        rows=[row(6800, 500, coupon_template=five), row(12800, 1000, coupon_template=ten)],
    )
    result = quoting(member=member, items=[("RICE", 1), ("OIL", 1)])  # 80 + 50 = 130

    assert result.cart.payable_fen == 13000
    [issue] = result.coupons_to_issue
    assert (issue.template_name, issue.offer.face_fen) == ("会员日10元券", 1000)
    assert issue.valid_from == issue.valid_until == datetime.date(2026, 12, 1)


def test_19_plus_1_yuan_takes_the_add_price_item(quoting, member, goods, promo):
    offer = promo(
        Kind.ADD_PRICE,
        name="加1元换购",
        rows=[row(1900, 100, product=goods["TISSUE"]), row(2900, 100, product=goods["OIL"])],
    )
    bought = [("EGG", 1)]  # member price ¥19
    result = quoting(
        member=member, items=[*bought, ("TISSUE", 1, {"add_price_offer_id": offer.pk})]
    )

    egg, tissue = result.lines
    assert egg.priced.total_fen == 1900
    assert tissue.priced.total_fen == 100
    assert [a.kind for a in tissue.priced.adjustments] == ["add_price"]
    assert result.cart.payable_fen == 2000
    assert [(o.threshold_fen, o.product_codes) for o in result.cart.add_price_offers] == [
        (1900, ("TISSUE",))
    ]


def test_18_yuan_does_not_take_it(quoting, member, goods, promo):
    offer = promo(Kind.ADD_PRICE, rows=[row(1900, 100, product=goods["TISSUE"])])
    result = quoting(
        member=member,
        items=[("MILK", 3), ("COLA", 1), ("TISSUE", 1, {"add_price_offer_id": offer.pk})],
    )
    assert result.cart.add_price_not_earned == (3,)
    assert result.cart.payable_fen == 1800 + 1000


def test_tier_discount_and_special_price_on_one_line_never_stack(
    quoting, gold_member, goods, promo
):
    """金卡 9折 vs 会员惊爆价 on the same eggs: the lower price, never both."""
    promo(Kind.SPECIAL_PRICE, name="会员日惊爆价", rows=[row(amount=1500, product=goods["EGG"])])
    result = quoting(member=gold_member, items=[("EGG", 2), ("RICE", 1)])
    eggs, rice = result.lines
    assert [(a.source_name, a.amount_fen) for a in eggs.priced.adjustments] == [
        ("会员日惊爆价", 1000)
    ]  # 2 × (20 − 15); not 9折 on top
    assert eggs.priced.total_fen == 3000
    assert [(a.kind, a.amount_fen) for a in rice.priced.adjustments] == [("member_discount", 800)]


def test_a_shallow_special_price_loses_to_the_tier_discount(quoting, gold_member, goods, promo):
    promo(Kind.SPECIAL_PRICE, name="小惊爆价", rows=[row(amount=4800, product=goods["OIL"])])
    oil = quoting(member=gold_member, items=[("OIL", 1)]).lines[0]
    assert [(a.kind, a.amount_fen) for a in oil.priced.adjustments] == [("member_discount", 500)]


def test_a_birthday_purchase_earns_double_points(quoting, register, on_tuesday, goods, earn_rule):
    birthday = register(birthday=datetime.date(1990, 11, 24))
    other = register(name="李四", phone="13900139000", birthday=datetime.date(1990, 5, 1))

    on_the_day = quoting(member=birthday, items=[("RICE", 1), ("OIL", 1)])
    another_day = quoting(member=other, items=[("RICE", 1), ("OIL", 1)])

    assert another_day.points.points == 130
    assert on_the_day.points.points == 260
    assert "生日积分 ×2" in on_the_day.points.explanation
