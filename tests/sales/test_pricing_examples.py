"""The engine on the seeds' examples, with exact amounts."""

from decimal import Decimal

import pytest

from huiyuan.sales.pricing import (
    NON_MEMBER,
    BuyNGetM,
    CartLine,
    FullReduction,
    MemberContext,
    PercentOff,
    Scope,
    SpecialPrice,
    price_cart,
)

GOLD = MemberContext(tier_name="金卡", discount_permille=900, is_member=True)


def line(no, price, qty="1", code=None, member_price=None, categories=(), discountable=True):
    return CartLine(
        line_no=no,
        product_code=code or f"P{no}",
        category_codes=tuple(categories),
        qty=Decimal(qty),
        unit_price_fen=price,
        member_price_fen=member_price,
        member_discount_applies=discountable,
    )


def amounts(priced_line):
    return [(a.kind, a.source_name, a.amount_fen) for a in priced_line.adjustments]


TUESDAY = SpecialPrice(id=1, name="会员日惊爆价", prices_fen={"EGG": 1500})


def test_special_price_and_tier_discount_do_not_stack():
    cart = price_cart([line(1, 1990, "2", code="EGG"), line(2, 1990, "2")], GOLD, [TUESDAY])
    eggs, other = cart.lines
    assert eggs.unit_price_fen == 1500
    assert amounts(eggs) == [("promotion", "会员日惊爆价", 980)]
    assert eggs.total_fen == 3000
    assert amounts(other) == [("member_discount", "会员折扣", 398)]
    assert other.total_fen == 3582
    assert cart.payable_fen == 6582


def test_lower_of_member_price_and_special_price_wins_and_they_do_not_add():
    cheaper_member_price = line(1, 1990, code="EGG", member_price=1400)
    assert amounts(price_cart([cheaper_member_price], GOLD, [TUESDAY]).lines[0]) == [
        ("member_price", "会员价", 590)
    ]
    dearer_member_price = line(1, 1990, code="EGG", member_price=1800)
    assert price_cart([dearer_member_price], GOLD, [TUESDAY]).payable_fen == 1500


def test_an_exclusive_special_price_takes_no_other_promotion():
    exclusive = SpecialPrice(id=12, name="独享惊爆价", prices_fen={"EGG": 9000}, exclusive=True)
    everything = PercentOff(id=13, name="全场95折", permille=950)
    lines = [line(1, 10000, code="EGG"), line(2, 10000)]
    cart = price_cart(lines, GOLD, [exclusive, everything, LADDER])
    eggs, other = cart.lines
    assert amounts(eggs) == [("promotion", "独享惊爆价", 1000)]
    # The other line: 9折 member discount, then 95折 on 9000, then 满100减10 is not reached.
    assert amounts(other) == [("member_discount", "会员折扣", 1000), ("promotion", "全场95折", 450)]
    assert cart.payable_fen == 9000 + 8550


def test_non_members_pay_the_list_price():
    cart = price_cart([line(1, 1990, code="EGG", member_price=1800)], NON_MEMBER, [TUESDAY])
    assert cart.payable_fen == 1990
    assert cart.lines[0].adjustments == ()


def test_goods_excluded_from_member_discount_keep_their_price():
    assert price_cart([line(1, 5000, discountable=False)], GOLD, []).payable_fen == 5000


def test_member_discount_rounds_half_up_once_per_line():
    # 9折 of 1005 fen takes 100.5 → 101.
    assert price_cart([line(1, 1005)], GOLD, []).lines[0].total_fen == 904


LADDER = FullReduction(id=2, name="满100减10/满200减25", tiers=((10000, 1000), (20000, 2500)))


@pytest.mark.parametrize(
    ("spent", "payable"), [(9999, 9999), (10000, 9000), (19999, 18999), (20000, 17500)]
)
def test_tiered_full_reduction(spent, payable):
    assert price_cart([line(1, spent)], NON_MEMBER, [LADDER]).payable_fen == payable


@pytest.mark.parametrize(
    ("spent", "cap", "payable"), [(9999, None, 9999), (35000, None, 32000), (35000, 2000, 33000)]
)
def test_every_hundred_minus_ten(spent, cap, payable):
    every = FullReduction(id=3, name="每满100减10", tiers=((10000, 1000),), every=True, cap_fen=cap)
    assert price_cart([line(1, spent)], NON_MEMBER, [every]).payable_fen == payable


def test_order_reduction_is_allocated_by_line_totals_to_the_fen():
    cart = price_cart([line(1, 1000), line(2, 2000), line(3, 7001)], NON_MEMBER, [LADDER])
    assert [line.discount_fen for line in cart.lines] == [99, 200, 701]
    assert [a.amount_fen for a in cart.order_adjustments] == [1000]
    assert cart.payable_fen == 9001


def test_full_reduction_counts_only_its_scope_after_line_promotions():
    fruit = FullReduction(
        id=4, name="水果满100减10", tiers=((10000, 1000),), scope=Scope(category_codes={"FRUIT"})
    )
    half = PercentOff(id=5, name="苹果5折", permille=500, scope=Scope(product_codes={"APPLE"}))
    lines = [
        line(1, 12000, code="APPLE", categories=("FOOD", "FRUIT")),
        line(2, 9000, categories=("FOOD", "FRUIT")),
        line(3, 50000, categories=("FOOD",)),
    ]
    cart = price_cart(lines, NON_MEMBER, [fruit, half])
    # Fruit still costs 6000 + 9000 = 15000 after the apples' 5折: 满100减10 over 6000 : 9000.
    assert [line.discount_fen for line in cart.lines] == [6000 + 400, 600, 0]
    assert cart.payable_fen == 5600 + 8400 + 50000


def test_buy_two_get_one():
    offer = BuyNGetM(id=6, name="买二送一", buy=2, get=1, scope=Scope(product_codes={"MILK"}))
    cart = price_cart([line(1, 500, "7", code="MILK")], NON_MEMBER, [offer])
    assert amounts(cart.lines[0]) == [("promotion", "买二送一", 1000)]  # 7 = 3 + 3 + 1: two free
    assert cart.payable_fen == 2500


def test_second_item_half_price_rounds_half_up():
    offer = BuyNGetM(id=7, name="第二件半价", buy=1, get=1, permille=500)
    assert price_cart([line(1, 999, "3")], NON_MEMBER, [offer]).payable_fen == 2997 - 500


def test_line_promotions_apply_by_priority_and_an_exclusive_one_stops_the_rest():
    big = PercentOff(id=8, name="全场9折", permille=900, priority=1)
    only = PercentOff(id=9, name="独享8折", permille=800, priority=5, exclusive=True)
    cart = price_cart([line(1, 10000)], NON_MEMBER, [big, only, LADDER])
    assert amounts(cart.lines[0]) == [("promotion", "独享8折", 2000)]
    assert cart.order_adjustments == ()  # a line under an exclusive promotion takes no 满减


def test_stackable_line_promotions_compound():
    first = PercentOff(id=10, name="9折", permille=900, priority=2)
    second = PercentOff(id=11, name="95折", permille=950, priority=1)
    cart = price_cart([line(1, 10000)], NON_MEMBER, [second, first])
    assert amounts(cart.lines[0]) == [("promotion", "9折", 1000), ("promotion", "95折", 450)]


def test_weighed_goods_round_the_line_half_up():
    cart = price_cart([line(1, 1599, "0.375")], NON_MEMBER, [])  # 599.625 fen
    assert cart.lines[0].list_total_fen == 600


@pytest.mark.parametrize(
    "build",
    [
        lambda: PercentOff(id=1, name="x", permille=1001),
        lambda: BuyNGetM(id=1, name="x", buy=0, get=1),
        lambda: FullReduction(id=1, name="x", tiers=()),
        lambda: FullReduction(id=1, name="x", tiers=((1000, 1001),)),
        lambda: FullReduction(id=1, name="x", tiers=((1, 1), (2, 1)), every=True),
        lambda: line(1, 100, "0"),
        lambda: line(1, -1),
    ],
)
def test_impossible_rules_and_lines_are_refused(build):
    with pytest.raises(ValueError):
        build()


def test_line_numbers_must_be_unique():
    with pytest.raises(ValueError):
        price_cart([line(1, 100), line(1, 200, code="X")], NON_MEMBER, [])


def test_the_tier_discount_wins_over_a_special_price_that_saves_less():
    shallow = SpecialPrice(id=14, name="小惊爆价", prices_fen={"EGG": 1950})
    cart = price_cart([line(1, 1990, "2", code="EGG")], GOLD, [shallow])
    assert amounts(cart.lines[0]) == [("member_discount", "会员折扣", 398)]  # not both
    assert cart.lines[0].unit_price_fen == 1990
    assert cart.payable_fen == 3582
