"""Properties of the engine over random carts, members and promotions (hypothesis)."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from huiyuan.sales.pricing import (
    AddPriceOffer,
    AddPriceTier,
    BuyNGetM,
    CartLine,
    CouponKind,
    CouponOffer,
    FullReduction,
    GiftStep,
    GiftWithPurchase,
    IssueCouponsOnSpend,
    IssueStep,
    MemberContext,
    PercentOff,
    Scope,
    SpecialPrice,
    price_cart,
)

CODES = ["A", "B", "C", "D"]
CATEGORIES = ["FOOD", "FRUIT", "DRINK"]
prices = st.integers(min_value=0, max_value=200_000)
permilles = st.integers(min_value=0, max_value=1000)
scopes = st.builds(
    Scope,
    product_codes=st.frozensets(st.sampled_from(CODES), max_size=2),
    category_codes=st.frozensets(st.sampled_from(CATEGORIES), max_size=2),
)
quantities = st.one_of(
    st.integers(min_value=1, max_value=12).map(Decimal),
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal("20"), places=3),
)


@st.composite
def carts(draw):
    count = draw(st.integers(min_value=1, max_value=8))
    numbers = draw(st.lists(st.integers(1, 99), min_size=count, max_size=count, unique=True))
    return [
        CartLine(
            line_no=number,
            product_code=draw(st.sampled_from(CODES)),
            category_codes=tuple(draw(st.lists(st.sampled_from(CATEGORIES), max_size=2))),
            qty=draw(quantities),
            unit_price_fen=draw(prices),
            member_price_fen=draw(st.none() | prices),
            member_discount_applies=draw(st.booleans()),
            add_price_offer_id=draw(st.sampled_from([None, None, ADD_PRICE_ID, 1])),
        )
        for number in numbers
    ]


def common(draw, number):
    return {
        "id": number,
        "name": f"促销{number}",
        "priority": draw(st.integers(0, 3)),
        "exclusive": draw(st.booleans()),
        "members_only": draw(st.booleans()),
    }


@st.composite
def tiers(draw):
    thresholds = draw(st.lists(st.integers(1, 50_000), min_size=1, max_size=3, unique=True))
    return tuple((t, draw(st.integers(1, t))) for t in sorted(thresholds))


ADD_PRICE_ID = 100  # some cart lines take this offer's items
add_price_tiers = st.lists(
    st.builds(
        AddPriceTier,
        threshold_fen=st.integers(1, 20_000),
        product_codes=st.frozensets(st.sampled_from(CODES), min_size=1),
        price_fen=st.integers(0, 500),
    ),
    min_size=1,
    max_size=3,
).map(tuple)


@st.composite
def promotion(draw, number):
    kinds = ["percent", "special", "buy", "ladder", "every", "add", "issue", "gift"]
    kind = draw(st.sampled_from(kinds))
    fields = common(draw, number)
    if kind == "gift" and number != ADD_PRICE_ID:
        steps = tuple(
            GiftStep(t, draw(st.sampled_from(CODES)), r % 3 + 1) for t, r in draw(tiers())
        )
        return GiftWithPurchase(**fields, scope=draw(scopes), steps=steps)
    if kind == "issue" and number != ADD_PRICE_ID:
        steps = tuple(IssueStep(t, number, r) for t, r in draw(tiers()))
        return IssueCouponsOnSpend(**fields, scope=draw(scopes), steps=steps)
    if kind == "add" or number == ADD_PRICE_ID:
        return AddPriceOffer(**fields, scope=draw(scopes), tiers=draw(add_price_tiers))
    if kind == "percent":
        return PercentOff(**fields, scope=draw(scopes), permille=draw(permilles))
    if kind == "special":
        price_list = draw(st.dictionaries(st.sampled_from(CODES), prices, max_size=3))
        return SpecialPrice(**fields, prices_fen=price_list)
    if kind == "buy":
        return BuyNGetM(
            **fields,
            scope=draw(scopes),
            buy=draw(st.integers(1, 3)),
            get=draw(st.integers(1, 2)),
            permille=draw(permilles),
        )
    every = kind == "every"
    ladder = draw(tiers())
    return FullReduction(
        **fields,
        scope=draw(scopes),
        tiers=ladder[:1] if every else ladder,
        every=every,
        cap_fen=draw(st.none() | st.integers(0, 20_000)),
    )


@st.composite
def promotion_sets(draw):
    numbers = draw(st.lists(st.integers(1, 12), max_size=5, unique=True))
    numbers += [ADD_PRICE_ID] if draw(st.booleans()) else []
    return [draw(promotion(number)) for number in numbers]


@st.composite
def coupon_sets(draw):
    numbers = draw(st.lists(st.integers(1, 99), max_size=4, unique=True))
    return [draw(coupon(number)) for number in numbers]


@st.composite
def coupon(draw, number):
    kind = draw(st.sampled_from(CouponKind))
    face = draw(st.integers(0 if kind == CouponKind.EXCHANGE else 1, 20_000))
    return CouponOffer(
        id=number,
        code=f"Q{number:02d}",
        name=f"券{number}",
        kind=kind,
        face_fen=face,
        permille=draw(permilles),
        min_spend_fen=draw(st.integers(face if kind == CouponKind.THRESHOLD else 0, 50_000)),
        cap_fen=draw(st.none() | st.integers(0, 20_000)),
        scope=draw(scopes),
        combinable=draw(st.booleans()),
        gift_product_code="GIFT" if kind == CouponKind.GIFT else "",
    )


members = st.builds(
    MemberContext,
    tier_name=st.none() | st.just("金卡"),
    discount_permille=permilles,
    is_member=st.booleans(),
)


@settings(max_examples=300)
@given(carts(), members, promotion_sets(), coupon_sets())
def test_every_total_adds_up_to_the_fen(lines, member, promotions, coupons):
    cart = price_cart(lines, member, promotions, coupons)
    assert cart.payable_fen >= 0
    assert sum(line.total_fen for line in cart.lines) == cart.payable_fen
    assert (
        sum(line.list_total_fen for line in cart.lines)
        - sum(line.discount_fen for line in cart.lines)
        == cart.payable_fen
    )
    for line in cart.lines:
        assert all(adjustment.amount_fen > 0 for adjustment in line.adjustments)
        assert line.discount_fen <= line.list_total_fen
        assert line.total_fen == line.list_total_fen - line.discount_fen >= 0
    for order_adjustment in cart.order_adjustments + cart.coupon_adjustments:
        shares = [
            a.amount_fen
            for line in cart.lines
            for a in line.adjustments
            if (a.kind, a.source_id) == (order_adjustment.kind, order_adjustment.source_id)
        ]
        assert sum(shares) == order_adjustment.amount_fen
    outcome = list(cart.applied_coupon_ids) + [r.coupon_id for r in cart.rejected_coupons]
    assert sorted(outcome) == sorted(c.id for c in coupons)
    coupon_by_id = by_id(coupons)
    for adjustment in cart.coupon_adjustments:
        coupon = coupon_by_id[adjustment.source_id]
        assert coupon.kind != CouponKind.GIFT
        if coupon.kind == CouponKind.EXCHANGE:  # one unit, on one line, up to the face value
            assert len([a for ln in cart.lines for a in ln.adjustments if a == adjustment]) == 1
            assert coupon.face_fen == 0 or adjustment.amount_fen <= coupon.face_fen
    for gift in cart.gifts:
        if gift.kind == "coupon":
            assert coupon_by_id[gift.source_id].kind == CouponKind.GIFT
            assert gift.qty == 1
        else:
            ladder = {p.id: p for p in promotions}[gift.source_id]
            assert member.is_member or not ladder.members_only
            assert (gift.product_code, gift.qty) in {(s.product_code, s.qty) for s in ladder.steps}
    for line, given_line in zip(cart.lines, sorted(lines, key=lambda x: x.line_no), strict=True):
        kinds = {a.kind for a in line.adjustments}
        if given_line.add_price_offer_id is None or line.line_no in cart.add_price_not_earned:
            assert "add_price" not in kinds
        else:  # earned: the add-on price (at most 500 here) and nothing else
            assert kinds <= {"add_price"}
            assert line.total_fen <= 500
    assert member.is_member or not cart.coupons_to_issue
    assert all(issued.face_fen <= cart.payable_fen for issued in cart.coupons_to_issue)
    alone = [a for a in cart.coupon_adjustments if not by_id(coupons)[a.source_id].combinable]
    assert not alone or len(cart.coupon_adjustments) == 1


def by_id(coupons):
    return {coupon.id: coupon for coupon in coupons}


@given(carts(), members, promotion_sets(), coupon_sets())
def test_the_same_input_gives_the_same_output(lines, member, promotions, coupons):
    assert price_cart(lines, member, promotions, coupons) == price_cart(
        lines, member, promotions, coupons
    )


@given(carts(), members, promotion_sets(), coupon_sets(), st.randoms(use_true_random=False))
def test_the_order_of_lines_and_promotions_changes_nothing(
    lines, member, promotions, coupons, random
):
    shuffled_lines, shuffled_promotions, shuffled_coupons = (
        list(lines),
        list(promotions),
        list(coupons),
    )
    for items in (shuffled_lines, shuffled_promotions, shuffled_coupons):
        random.shuffle(items)
    shuffled = price_cart(shuffled_lines, member, shuffled_promotions, shuffled_coupons)
    assert shuffled == price_cart(lines, member, promotions, coupons)


@given(carts(), members)
def test_without_promotions_only_member_benefits_apply(lines, member):
    cart = price_cart(lines, member, [])
    kinds = {a.kind for line in cart.lines for a in line.adjustments}
    assert kinds <= ({"member_price", "member_discount"} if member.is_member else set())
