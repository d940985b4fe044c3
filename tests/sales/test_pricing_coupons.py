"""Coupons (step 5) with exact amounts."""

import pytest

from huiyuan.sales.pricing import (
    NON_MEMBER,
    CouponKind,
    CouponOffer,
    FullReduction,
    MemberContext,
    RejectedCoupon,
    Scope,
    SpecialPrice,
    price_cart,
)
from tests.sales.test_pricing_examples import line

GOLD = MemberContext(tier_name="金卡", discount_permille=900, is_member=True)


def cash(number, face, min_spend=0, **extra):
    return CouponOffer(
        id=number,
        code=f"C{number:03d}",
        name=f"{face // 100}元代金券",
        kind=CouponKind.CASH,
        face_fen=face,
        min_spend_fen=min_spend,
        **extra,
    )


def test_cash_voucher_after_full_reduction_allocated_over_lines():
    ladder = FullReduction(id=1, name="满100减10", tiers=((10000, 1000),))
    cart = price_cart([line(1, 4000), line(2, 8000)], NON_MEMBER, [ladder], [cash(1, 500, 10000)])
    # 12000 − 满减 1000 = 11000 ≥ 10000: the ¥5 voucher applies over 3667 : 7333.
    assert [a.amount_fen for a in cart.coupon_adjustments] == [500]
    assert [line.total_fen for line in cart.lines] == [4000 - 333 - 166, 8000 - 667 - 334]
    assert cart.payable_fen == 10500
    assert cart.rejected_coupons == ()


def test_min_spend_counts_what_the_cart_still_costs_after_reductions():
    ladder = FullReduction(id=1, name="满100减10", tiers=((10000, 1000),))
    cart = price_cart([line(1, 10500)], NON_MEMBER, [ladder], [cash(1, 500, 10000)])
    assert cart.payable_fen == 9500
    assert cart.rejected_coupons == (
        RejectedCoupon(1, "C001", "COUPON_NOT_APPLICABLE", "min_spend"),
    )


def test_threshold_coupon_counts_only_its_scope():
    fruit = Scope(category_codes=frozenset({"FRUIT"}))
    coupon = CouponOffer(
        id=2, code="F", name="水果满50减8", kind="threshold", face_fen=800, min_spend_fen=5000,
        scope=fruit,
    )  # fmt: skip
    lines = [line(1, 3000, categories=("FRUIT",)), line(2, 9000)]
    assert price_cart(lines, NON_MEMBER, [], [coupon]).rejected_coupons[0].reason == "min_spend"
    lines = [line(1, 6000, categories=("FRUIT",)), line(2, 9000)]
    cart = price_cart(lines, NON_MEMBER, [], [coupon])
    assert [line.total_fen for line in cart.lines] == [5200, 9000]


def test_percentage_coupon_rounds_half_up_and_is_capped():
    coupon = CouponOffer(id=3, code="P", name="9折券", kind="percent", permille=900, cap_fen=500)
    assert price_cart([line(1, 1005)], GOLD, [], [coupon]).payable_fen == 905 - 91
    assert price_cart([line(1, 10000)], NON_MEMBER, [], [coupon]).payable_fen == 9500


def test_cash_voucher_never_takes_the_cart_below_zero():
    cart = price_cart([line(1, 300)], NON_MEMBER, [], [cash(1, 500)])
    assert cart.payable_fen == 0
    assert [a.amount_fen for a in cart.coupon_adjustments] == [300]


def test_an_exclusive_special_price_line_takes_no_coupon():
    special = SpecialPrice(id=1, name="独享惊爆价", prices_fen={"EGG": 900}, exclusive=True)
    cart = price_cart([line(1, 1000, code="EGG")], GOLD, [special], [cash(1, 500)])
    assert cart.payable_fen == 900
    assert cart.rejected_coupons[0].reason == "nothing_to_discount"


def test_combinable_coupons_stack_in_code_order():
    cart = price_cart([line(1, 10000)], NON_MEMBER, [], [cash(2, 300), cash(1, 500)])
    assert [a.source_id for a in cart.coupon_adjustments] == [1, 2]
    assert cart.payable_fen == 9200


def test_a_non_combinable_coupon_stands_alone():
    alone = cash(1, 1000, combinable=False)
    cart = price_cart([line(1, 10000)], NON_MEMBER, [], [alone, cash(2, 300), cash(3, 200)])
    assert cart.payable_fen == 9000
    assert [r.coupon_id for r in cart.rejected_coupons] == [2, 3]
    assert {r.reason for r in cart.rejected_coupons} == {"not_combinable"}
    cart = price_cart(
        [line(1, 10000)], NON_MEMBER, [], [cash(2, 300), cash(5, 1000, combinable=False)]
    )
    assert cart.payable_fen == 9700
    assert cart.rejected_coupons == (
        RejectedCoupon(5, "C005", "COUPON_NOT_APPLICABLE", "not_combinable"),
    )


def test_a_rejected_non_combinable_coupon_does_not_block_the_others():
    picky = cash(1, 1000, min_spend=50000, combinable=False)
    cart = price_cart([line(1, 10000)], NON_MEMBER, [], [picky, cash(2, 300)])
    assert cart.payable_fen == 9700
    assert [r.reason for r in cart.rejected_coupons] == ["min_spend"]


@pytest.mark.parametrize(
    "build",
    [
        lambda: CouponOffer(id=1, code="x", name="x", kind="cash"),
        lambda: CouponOffer(id=1, code="x", name="x", kind="percent", permille=1200),
        lambda: CouponOffer(
            id=1, code="x", name="x", kind="threshold", face_fen=900, min_spend_fen=800
        ),
        lambda: price_cart([line(1, 100)], NON_MEMBER, [], [cash(1, 100), cash(1, 200)]),
    ],
)
def test_impossible_coupons_are_refused(build):
    with pytest.raises(ValueError):
        build()
