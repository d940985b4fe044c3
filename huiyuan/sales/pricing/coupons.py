"""Step 5 of the engine (see engine.py): the member's coupons, after order-level reductions.

A coupon counts what the lines in its scope still cost (lines under an exclusive promotion are
out of every coupon's scope); when that misses its minimum spend it is not applied and comes back
in `PricedCart.rejected_coupons` with the reason. What a cash, percentage or 满X减Y coupon takes
is spread over its lines like 满减 (core.money.allocate), never above what they still cost.

A 商品兑换券 (exchange) takes one unit of a covered product off its line: the dearest unit that
still costs something (a unit is what the line still costs over its quantity, rounded half-up;
a weighed line under 1 kg is one unit; ties go to the lower line_no), capped at the face value
when it has one (face 0: the whole unit). A 赠品券 (gift) takes nothing off and gives its gift
product × 1 (`PricedCart.gifts`, kind "coupon"); it counts as applied (combinability, marking it
used) once its scope has something to pay and reaches its minimum spend.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from huiyuan.core.money import allocate
from huiyuan.sales.pricing.cart import Adjustment, GiftToGive, RejectedCoupon
from huiyuan.sales.pricing.lines import LineState
from huiyuan.sales.pricing.promotions import WHOLE_ORDER, Scope, check_permille
from huiyuan.sales.pricing.rounding import half_up, off_permille


class CouponKind(StrEnum):
    CASH = "cash"  # 代金券: face value off, optionally from a minimum spend
    PERCENT = "percent"  # 折扣券: pay `permille`, optionally capped
    THRESHOLD = "threshold"  # 满X减Y: Y = face value off once the scope reaches X = min spend
    EXCHANGE = "exchange"  # 商品兑换券: one unit of a covered product, up to the face value if any
    GIFT = "gift"  # 赠品券: the gift product × 1


NOT_APPLICABLE = "COUPON_NOT_APPLICABLE"


@dataclass(frozen=True, kw_only=True)
class CouponOffer:
    """A coupon the member presents, as plain values (the coupon's code identifies it)."""

    id: int
    code: str
    name: str
    kind: CouponKind
    face_fen: int = 0
    permille: int = 1000
    min_spend_fen: int = 0
    cap_fen: int | None = None  # the most a percentage coupon takes
    scope: Scope = WHOLE_ORDER
    combinable: bool = True
    gift_product_code: str = ""  # what a gift coupon gives

    def __post_init__(self):
        if self.min_spend_fen < 0 or (self.cap_fen is not None and self.cap_fen < 0):
            raise ValueError("min spend and cap must not be negative")
        if self.kind == CouponKind.PERCENT:
            check_permille(self.permille)
        elif self.kind == CouponKind.GIFT:
            if not self.gift_product_code:
                raise ValueError("a gift coupon names its gift product")
        elif self.kind == CouponKind.EXCHANGE:
            if self.face_fen < 0:
                raise ValueError("an exchange coupon's face value must not be negative")
        elif self.face_fen <= 0:
            raise ValueError("a voucher has a positive face value")
        if self.kind == CouponKind.THRESHOLD and self.face_fen > self.min_spend_fen:
            raise ValueError("满X减Y takes Y ≤ X")

    def discount_for(self, base_fen: int) -> int:
        if self.kind == CouponKind.PERCENT:
            amount = off_permille(base_fen, self.permille)
            if self.cap_fen is not None:
                amount = min(amount, self.cap_fen)
        else:
            amount = self.face_fen
        return min(amount, base_fen)


@dataclass
class CouponOutcome:
    applied: list[Adjustment] = field(default_factory=list)  # whole amounts, in code order
    rejected: list[RejectedCoupon] = field(default_factory=list)
    gifts: list[GiftToGive] = field(default_factory=list)  # from gift coupons


def apply_coupons(states: list[LineState], coupons: list[CouponOffer]) -> CouponOutcome:
    """Coupons come in code order. A non-combinable coupon is applied only as the first and then the
    only one: any coupon after it, or itself after another, is rejected (`not_combinable`)."""
    outcome = CouponOutcome()
    used = False  # a coupon was applied
    alone = False  # a non-combinable coupon was applied
    for coupon in coupons:
        if alone or (used and not coupon.combinable):
            outcome.rejected.append(
                RejectedCoupon(coupon.id, coupon.code, NOT_APPLICABLE, "not_combinable")
            )
            continue
        covered = [s for s in states if not s.exclusive and coupon.scope.covers(s.line)]
        base = sum(state.remaining_fen for state in covered)
        reason = "min_spend" if base < coupon.min_spend_fen else _apply(coupon, covered, outcome)
        if reason:
            outcome.rejected.append(RejectedCoupon(coupon.id, coupon.code, NOT_APPLICABLE, reason))
            continue
        used = True
        alone = not coupon.combinable
    return outcome


def _apply(coupon: CouponOffer, covered: list[LineState], outcome: CouponOutcome) -> str:
    """Apply a coupon whose minimum spend is met; "" or the reason it is rejected."""
    payable = [state for state in covered if state.remaining_fen > 0]
    if not payable:
        return "nothing_to_discount"
    if coupon.kind == CouponKind.GIFT:
        gift = GiftToGive("coupon", coupon.id, coupon.name, coupon.gift_product_code, 1)
        outcome.gifts.append(gift)
        return ""
    if coupon.kind == CouponKind.EXCHANGE:
        state = max(payable, key=lambda state: (_unit_fen(state), -state.line.line_no))
        amount = (
            _unit_fen(state) if coupon.face_fen == 0 else min(_unit_fen(state), coupon.face_fen)
        )
        shares = [(state, amount)]
    else:
        weights = [state.remaining_fen for state in payable]
        amount = coupon.discount_for(sum(weights))
        shares = zip(payable, allocate(amount, weights), strict=True)
    if amount == 0:
        return "nothing_to_discount"
    for state, share in shares:
        state.take("coupon", coupon.id, coupon.name, share)
    outcome.applied.append(Adjustment("coupon", coupon.id, coupon.name, amount))
    return ""


def _unit_fen(state: LineState) -> int:
    """What one unit of the line still costs (a line under one unit is one unit)."""
    qty = max(Fraction(state.line.qty), Fraction(1))
    return half_up(Fraction(state.remaining_fen) / qty)
