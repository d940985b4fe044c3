"""The pricing engine: cart lines + member + active promotions + coupons → a priced cart.

Pure and deterministic: no database, no clock; lines are priced in line_no order, promotions
in (priority descending, id) order and coupons in code order, so the same input gives the same
output whatever order the lists come in. All amounts are integer fen; each discount is rounded
half-up to the fen once, on its line, and the payable is the sum of the rounded line totals
(DESIGN §4).

Order of application and stacking:
1. Unit price: the lower of the line's member price (members only) and the 会员惊爆价
   (`SpecialPrice`) covering it; they never add up. Ties: member price, then priority order.
   A line priced by an exclusive 会员惊爆价 takes no other promotion (steps 3 to 5).
2. Member discount (the better of card type's and tier's, already chosen in MemberContext) on
   lines that allow member discounts, instead of step 1's price when it saves more (ties go to
   the price of step 1): member price / 会员惊爆价 and the tier discount never stack, the member
   pays the lower of the two.
3. Line promotions (`PercentOff`, `BuyNGetM`) by priority, each on what the line still costs
   after the steps before; an exclusive one is the last promotion on its line: no further line
   promotion, no order-level reduction and no coupon.
4. Order-level reductions (`FullReduction`) by priority on what the covered lines still cost,
   allocated over them (order.py); an exclusive one is the last order-level reduction.
5. Coupons (`CouponOffer`, coupons.py) in code order, each on what the lines in its scope still
   cost after step 4 (lines under an exclusive promotion take no coupon), allocated like 满减.
   One that misses its minimum spend is rejected (COUPON_NOT_APPLICABLE); a non-combinable
   coupon is applied only alone: the first applied, and every later coupon is rejected.
   A 商品兑换券 takes one unit of the dearest covered product off its line; a 赠品券 takes
   nothing off and gives its gift (`PricedCart.gifts`), and counts as applied.
6. Add-price items (`AddPriceOffer`, add_price.py): thresholds count what the cart costs after
   step 5 without the lines taken as add-price items; an earned line costs the add-on price and
   takes nothing else, one not earned goes through steps 1–5 like any line.
7. Coupons to issue (`IssueCouponsOnSpend`, issuance.py) and gifts with purchase
   (`GiftWithPurchase`, gifts.py), outputs only: the highest step each ladder's scope reaches on
   the final payable (coupons for members only; gifts as `members_only` says).
No discount takes a line below zero: a discount is capped at what its line still costs.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from huiyuan.sales.pricing.add_price import (
    AddPriceOffer,
    add_price_state,
    earned_lines,
    tiers_reached,
)
from huiyuan.sales.pricing.cart import (
    AddPriceReport,
    CartLine,
    MemberContext,
    PricedCart,
    PricedLine,
)
from huiyuan.sales.pricing.coupons import CouponOffer, CouponOutcome, apply_coupons
from huiyuan.sales.pricing.gifts import GiftWithPurchase, gifts_to_give
from huiyuan.sales.pricing.issuance import IssueCouponsOnSpend, coupons_to_issue
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
    ordered = sorted(lines, key=lambda line: line.line_no)
    if len({line.line_no for line in ordered}) != len(ordered):
        raise ValueError("line numbers must be unique")
    coupons = sorted(coupons, key=lambda coupon: coupon.code)
    if len({c.code for c in coupons}) + len({c.id for c in coupons}) != 2 * len(coupons):
        raise ValueError("coupon codes and ids must be unique")
    rules = _Rules(member, sorted(promotions, key=lambda promotion: promotion.order_key), coupons)
    taken = [line for line in ordered if line.add_price_offer_id is not None]
    offers = [p for p in rules.promotions if isinstance(p, AddPriceOffer)]
    reports: list[AddPriceReport] = []
    if offers:
        untaken = [line for line in ordered if line.add_price_offer_id is None]
        without_taken = rules.price(untaken, {})
        reports = tiers_reached(without_taken.states, offers, member.is_member)
    earned = earned_lines(taken, reports)
    priced = rules.price(ordered, earned)
    ladders = [p for p in rules.promotions if isinstance(p, IssueCouponsOnSpend)]
    issued = coupons_to_issue(priced.states, ladders, member.is_member)
    gift_ladders = [p for p in rules.promotions if isinstance(p, GiftWithPurchase)]
    gifts = priced.coupons.gifts + gifts_to_give(priced.states, gift_ladders, member.is_member)
    lines_out = tuple(_priced(state) for state in priced.states)
    return PricedCart(
        lines=lines_out,
        order_adjustments=tuple(priced.order_adjustments),
        list_total_fen=sum(line.list_total_fen for line in lines_out),
        payable_fen=sum(line.total_fen for line in lines_out),
        coupon_adjustments=tuple(priced.coupons.applied),
        rejected_coupons=tuple(priced.coupons.rejected),
        add_price_offers=tuple(reports),
        add_price_not_earned=tuple(line.line_no for line in taken if line.line_no not in earned),
        coupons_to_issue=tuple(issued),
        gifts=tuple(gifts),
    )


@dataclass
class _Priced:
    states: list[LineState]
    order_adjustments: list
    coupons: CouponOutcome


@dataclass
class _Rules:
    member: MemberContext
    promotions: list[Promotion]  # in priority order
    coupons: list[CouponOffer]  # in code order

    def price(self, lines: list[CartLine], earned: dict[int, AddPriceReport]) -> _Priced:
        """Steps 1–5 on `lines`; the earned add-price lines at their add-on price."""
        specials = [p for p in self.promotions if isinstance(p, SpecialPrice)]
        line_promotions = [p for p in self.promotions if isinstance(p, LINE_PROMOTIONS)]
        reductions = [p for p in self.promotions if isinstance(p, FullReduction)]
        states = [
            add_price_state(line, earned[line.line_no])
            if line.line_no in earned
            else price_line(line, self.member, specials, line_promotions)
            for line in lines
        ]
        order_adjustments = apply_reductions(states, reductions, self.member.is_member)
        return _Priced(states, order_adjustments, apply_coupons(states, self.coupons))


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
