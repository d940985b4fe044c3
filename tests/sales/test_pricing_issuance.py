"""满68送5 … : the coupons a purchase earns, with exact amounts."""

import pytest

from huiyuan.sales.pricing import (
    NON_MEMBER,
    CouponToIssue,
    IssueCouponsOnSpend,
    IssueStep,
    MemberContext,
    Scope,
    price_cart,
)
from tests.sales.test_pricing_examples import line

GOLD = MemberContext(tier_name="金卡", discount_permille=900, is_member=True)
PLAIN = MemberContext(tier_name="普通卡", discount_permille=1000, is_member=True)
# The seeds' ladder to 30 yuan; the steps between 128 and the top are this test's guess.
FACES = {6800: 500, 12800: 1000, 19800: 1500, 26800: 2000, 33800: 2500, 39800: 3000}
LADDER = IssueCouponsOnSpend(
    id=30,
    name="满68送5",
    steps=tuple(IssueStep(threshold, 700 + face, face) for threshold, face in FACES.items()),
)


def test_a_130_yuan_purchase_issues_the_10_yuan_coupon():
    cart = price_cart([line(1, 8000), line(2, 5000)], PLAIN, [LADDER])
    assert cart.payable_fen == 13000
    assert cart.coupons_to_issue == (CouponToIssue(30, "满68送5", 1700, 1000),)


@pytest.mark.parametrize(
    ("spent", "face"), [(6799, None), (6800, 500), (12799, 500), (39800, 3000), (99900, 3000)]
)
def test_the_highest_step_reached(spent, face):
    issued = price_cart([line(1, spent)], PLAIN, [LADDER]).coupons_to_issue
    assert [coupon.face_fen for coupon in issued] == ([face] if face else [])


def test_the_payable_counts_not_the_list_price():
    cart = price_cart([line(1, 14000)], GOLD, [LADDER])  # 9折: 126 yuan
    assert [coupon.face_fen for coupon in cart.coupons_to_issue] == [500]


def test_only_members_earn_coupons():
    assert price_cart([line(1, 50000)], NON_MEMBER, [LADDER]).coupons_to_issue == ()


def test_a_scoped_ladder_counts_its_lines():
    fruit = IssueCouponsOnSpend(
        id=31,
        name="水果满68送5",
        steps=(IssueStep(6800, 1, 500),),
        scope=Scope(category_codes=frozenset({"FRUIT"})),
    )
    lines = [line(1, 6000, categories=("FRUIT",)), line(2, 9000)]
    assert price_cart(lines, PLAIN, [fruit]).coupons_to_issue == ()


@pytest.mark.parametrize(
    "build",
    [
        lambda: IssueStep(6800, 1, 0),
        lambda: IssueStep(500, 1, 600),
        lambda: IssueCouponsOnSpend(id=1, name="x", steps=()),
    ],
)
def test_impossible_ladders_are_refused(build):
    with pytest.raises(ValueError):
        build()
