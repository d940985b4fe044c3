"""Gifts with purchase, 商品兑换券 and 赠品券, with exact amounts."""

from huiyuan.sales.pricing import (
    NON_MEMBER,
    CouponKind,
    CouponOffer,
    GiftStep,
    GiftToGive,
    GiftWithPurchase,
    MemberContext,
    PercentOff,
    RejectedCoupon,
    Scope,
    price_cart,
)
from tests.sales.test_pricing_examples import line

GOLD = MemberContext(tier_name="金卡", discount_permille=900, is_member=True)
GIFTS = GiftWithPurchase(
    id=5,
    name="满100送纸巾",
    members_only=True,
    steps=(GiftStep(10000, "TISSUE"), GiftStep(20000, "OIL", 1), GiftStep(15000, "TISSUE", 2)),
)


def test_the_highest_step_the_final_payable_reaches_gives_its_gift():
    cart = price_cart([line(1, 12000), line(2, 6000, discountable=False)], GOLD, [GIFTS])
    assert cart.payable_fen == 10800 + 6000  # the 9折 counts: 16800 reaches the 150 step
    assert cart.gifts == (GiftToGive("promotion", 5, "满100送纸巾", "TISSUE", 2),)


def test_members_only_gifts_skip_non_members_and_scopes_count_their_lines():
    assert price_cart([line(1, 30000)], NON_MEMBER, [GIFTS]).gifts == ()
    fruit_only = GiftWithPurchase(
        id=6, name="水果满50送袋", scope=Scope(category_codes=frozenset({"FRUIT"})),
        steps=(GiftStep(5000, "BAG"),),
    )  # fmt: skip
    lines = [line(1, 4000, categories=("FRUIT",)), line(2, 9000)]
    assert price_cart(lines, NON_MEMBER, [fruit_only]).gifts == ()
    lines = [line(1, 5000, categories=("FRUIT",)), line(2, 9000)]
    assert price_cart(lines, NON_MEMBER, [fruit_only]).gifts[0].product_code == "BAG"


def exchange(face=0, **extra):
    return CouponOffer(
        id=7, code="X7", name="兑换券", kind=CouponKind.EXCHANGE, face_fen=face, **extra
    )


def test_an_exchange_coupon_takes_one_unit_of_the_dearest_covered_product():
    drinks = Scope(product_codes=frozenset({"COLA", "TEA"}))
    lines = [line(1, 350, qty="3", code="COLA"), line(2, 500, qty="2", code="TEA"), line(3, 900)]
    cart = price_cart(lines, NON_MEMBER, [], [exchange(scope=drinks)])
    assert [ln.total_fen for ln in cart.lines] == [1050, 500, 900]  # one tea of 5 yuan free
    assert cart.coupon_adjustments[0].amount_fen == 500
    assert cart.applied_coupon_ids == (7,)


def test_an_exchange_coupon_counts_the_unit_after_discounts_and_stops_at_its_face_value():
    half = PercentOff(id=1, name="饮料半价", permille=500)
    cart = price_cart([line(1, 333, qty="3")], NON_MEMBER, [half], [exchange()])
    assert cart.lines[0].total_fen == 500 - 167  # 500 still due over 3 units: 167 a unit
    cart = price_cart([line(1, 2000)], NON_MEMBER, [], [exchange(face=1500)])
    assert cart.payable_fen == 500


def test_an_exchange_coupon_on_a_weighed_line_under_a_kilo_takes_the_line():
    cart = price_cart([line(1, 2000, qty="0.450")], NON_MEMBER, [], [exchange()])
    assert cart.payable_fen == 0


def gift_coupon(code="G1", number=8, **extra):
    return CouponOffer(
        id=number, code=code, name="赠品券", kind=CouponKind.GIFT, gift_product_code="SOAP",
        **extra,
    )  # fmt: skip


def test_a_gift_coupon_gives_its_gift_and_counts_as_applied():
    cash = CouponOffer(id=9, code="Z9", name="5元券", kind=CouponKind.CASH, face_fen=500)
    cart = price_cart([line(1, 3000)], GOLD, [], [gift_coupon(combinable=False), cash])
    assert cart.gifts == (GiftToGive("coupon", 8, "赠品券", "SOAP", 1),)
    assert cart.payable_fen == 2700  # nothing off; the cash coupon can't join a lone coupon
    assert cart.applied_coupon_ids == (8,)
    assert cart.rejected_coupons == (
        RejectedCoupon(9, "Z9", "COUPON_NOT_APPLICABLE", "not_combinable"),
    )


def test_a_gift_coupon_below_its_minimum_spend_is_rejected():
    cart = price_cart([line(1, 3000)], NON_MEMBER, [], [gift_coupon(min_spend_fen=5000)])
    assert cart.gifts == ()
    assert cart.rejected_coupons[0].reason == "min_spend"


def test_coupon_gifts_come_before_promotion_gifts():
    cart = price_cart([line(1, 20000)], GOLD, [GIFTS], [gift_coupon()])
    assert [gift.kind for gift in cart.gifts] == ["coupon", "promotion"]
