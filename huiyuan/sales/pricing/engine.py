"""The pricing engine: cart lines + member + active promotions → a priced cart.

Pure and deterministic: no database, no clock; lines are priced in line_no order and promotions
in (priority descending, id) order, so the same input gives the same output whatever order the
lists come in. All amounts are integer fen; each discount is rounded half-up to the fen once,
on its line, and the payable is the sum of the rounded line totals (DESIGN §4).

Order of application and stacking:
1. Unit price: the lower of the line's member price (members only) and the 会员惊爆价
   (`SpecialPrice`) covering it; they never add up. Ties: member price, then priority order.
   A line priced by an exclusive 会员惊爆价 takes no other promotion (steps 3 and 4).
2. Member discount (the better of card type's and tier's, already chosen in MemberContext) only
   on lines that got no price in step 1 and allow member discounts: member price / 会员惊爆价 and
   the tier discount don't stack.
3. Line promotions (`PercentOff`, `BuyNGetM`) by priority, each on what the line still costs
   after the steps before; an exclusive one is the last promotion on its line: no further line
   promotion and no order-level reduction.
4. Order-level reductions (`FullReduction`) by priority on what the covered lines still cost,
   allocated over them (order.py); an exclusive one is the last order-level reduction.
5. Coupons (`CouponOffer`, coupons.py) in code order, each on what the lines in its scope still
   cost after step 4 (lines under an exclusive promotion take no coupon), allocated like 满减.
   One that misses its minimum spend is rejected (COUPON_NOT_APPLICABLE); a non-combinable
   coupon is applied only alone: the first applied, and every later coupon is rejected.
No discount takes a line below zero: a discount is capped at what its line still costs.
"""

from collections.abc import Iterable

from huiyuan.sales.pricing.cart import CartLine, MemberContext, PricedCart, PricedLine
from huiyuan.sales.pricing.coupons import CouponOffer, apply_coupons
from huiyuan.sales.pricing.lines import LineState, price_line
from huiyuan.sales.pricing.order import apply_reductions
from huiyuan.sales.pricing.promotions import (
    LINE_PROMOTIONS,
    FullReduction,
    Promotion,
    SpecialPrice,
)


def price_cart(
    lines: Iterable[CartLine],
    member: MemberContext,
    promotions: Iterable[Promotion],
    coupons: Iterable[CouponOffer] = (),
) -> PricedCart:
    coupons = list(coupons)
    if len({c.code for c in coupons}) + len({c.id for c in coupons}) != 2 * len(coupons):
        raise ValueError("coupon codes and ids must be unique")
    ordered = sorted(lines, key=lambda line: line.line_no)
    if len({line.line_no for line in ordered}) != len(ordered):
        raise ValueError("line numbers must be unique")
    by_priority = sorted(promotions, key=lambda promotion: promotion.order_key)
    specials = [p for p in by_priority if isinstance(p, SpecialPrice)]
    line_promotions = [p for p in by_priority if isinstance(p, LINE_PROMOTIONS)]
    reductions = [p for p in by_priority if isinstance(p, FullReduction)]
    states = [price_line(line, member, specials, line_promotions) for line in ordered]
    order_adjustments = apply_reductions(states, reductions, member.is_member)
    coupon_adjustments, rejected_coupons = apply_coupons(states, coupons)
    priced = tuple(_priced(state) for state in states)
    return PricedCart(
        lines=priced,
        order_adjustments=tuple(order_adjustments),
        list_total_fen=sum(line.list_total_fen for line in priced),
        payable_fen=sum(line.total_fen for line in priced),
        coupon_adjustments=tuple(coupon_adjustments),
        rejected_coupons=tuple(rejected_coupons),
    )


def _priced(state: LineState) -> PricedLine:
    line = state.line
    return PricedLine(
        line_no=line.line_no,
        product_code=line.product_code,
        qty=line.qty,
        list_price_fen=line.unit_price_fen,
        unit_price_fen=state.unit_price_fen,
        list_total_fen=state.list_total_fen,
        adjustments=tuple(state.adjustments),
        total_fen=state.remaining_fen,
    )
