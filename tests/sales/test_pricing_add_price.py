"""加1元换购 with exact amounts."""

from dataclasses import replace

import pytest

from huiyuan.sales.pricing import (
    NON_MEMBER,
    AddPriceOffer,
    AddPriceReport,
    AddPriceTier,
    CouponOffer,
    MemberContext,
    price_cart,
)
from tests.sales.test_pricing_examples import line

GOLD = MemberContext(tier_name="金卡", discount_permille=900, is_member=True)
LADDER = AddPriceOffer(
    id=20,
    name="加1元换购",
    tiers=(
        AddPriceTier(1900, frozenset({"TISSUE"}), 100),
        AddPriceTier(2900, frozenset({"OIL"}), 100),
    ),
)


def taken(no, price, code, offer=20, qty="1"):
    return replace(line(no, price, qty, code=code), add_price_offer_id=offer)


def test_spend_19_and_add_1_yuan_takes_the_item():
    cart = price_cart([line(1, 1900), taken(2, 590, "TISSUE")], NON_MEMBER, [LADDER])
    assert cart.add_price_offers == (AddPriceReport(20, "加1元换购", 1900, ("TISSUE",), 100),)
    tissue = cart.lines[1]
    assert (tissue.unit_price_fen, tissue.total_fen) == (100, 100)
    assert [(a.kind, a.source_name, a.amount_fen) for a in tissue.adjustments] == [
        ("add_price", "加1元换购", 490)
    ]
    assert cart.payable_fen == 2000
    assert cart.add_price_not_earned == ()


def test_the_threshold_must_be_reached_without_the_item():
    # 1800 + the tissue's 590 would pass 19 yuan, but the item does not count towards it.
    cart = price_cart([line(1, 1800), taken(2, 590, "TISSUE")], NON_MEMBER, [LADDER])
    assert cart.add_price_offers == ()
    assert cart.add_price_not_earned == (2,)
    assert cart.payable_fen == 2390


def test_the_threshold_counts_after_discounts_and_coupons():
    coupon = CouponOffer(id=1, code="C", name="2元券", kind="cash", face_fen=200)
    lines = [line(1, 2000), taken(2, 590, "TISSUE")]
    assert price_cart(lines, GOLD, [LADDER]).add_price_not_earned == (2,)  # 9折: 1800
    assert price_cart(lines, NON_MEMBER, [LADDER], [coupon]).add_price_not_earned == (2,)


def test_a_higher_tier_offers_its_item_and_the_lower_ones():
    cart = price_cart([line(1, 3000), taken(2, 590, "TISSUE")], NON_MEMBER, [LADDER])
    assert [report.threshold_fen for report in cart.add_price_offers] == [1900, 2900]
    assert cart.payable_fen == 3100
    cart = price_cart([line(1, 2000), taken(2, 5990, "OIL")], NON_MEMBER, [LADDER])
    assert cart.add_price_not_earned == (2,)
    assert cart.payable_fen == 7990


def test_one_item_per_offer_and_one_unit_per_item():
    lines = [line(1, 5000), taken(2, 590, "TISSUE"), taken(3, 5990, "OIL")]
    cart = price_cart(lines, NON_MEMBER, [LADDER])
    assert cart.add_price_not_earned == (3,)
    assert cart.payable_fen == 5000 + 100 + 5990
    cart = price_cart([line(1, 5000), taken(2, 590, "TISSUE", qty="2")], NON_MEMBER, [LADDER])
    assert cart.add_price_not_earned == (2,)


def test_an_earned_item_takes_no_member_discount_or_coupon():
    coupon = CouponOffer(id=1, code="C", name="2元券", kind="cash", face_fen=200)
    cart = price_cart([line(1, 3000), taken(2, 590, "TISSUE")], GOLD, [LADDER], [coupon])
    assert cart.lines[1].total_fen == 100
    assert cart.payable_fen == 2700 - 200 + 100


def test_a_members_only_offer_is_not_offered_to_others():
    members_only = replace(LADDER, members_only=True)
    cart = price_cart([line(1, 5000), taken(2, 590, "TISSUE")], NON_MEMBER, [members_only])
    assert cart.add_price_offers == ()
    assert cart.add_price_not_earned == (2,)


@pytest.mark.parametrize(
    "build",
    [
        lambda: AddPriceTier(0, frozenset({"X"}), 100),
        lambda: AddPriceTier(100, frozenset(), 100),
        lambda: AddPriceTier(100, frozenset({"X"}), -1),
        lambda: AddPriceOffer(id=1, name="x", tiers=()),
    ],
)
def test_impossible_offers_are_refused(build):
    with pytest.raises(ValueError):
        build()
