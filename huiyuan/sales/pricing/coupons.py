"""Step 5 of the engine (see engine.py): the member's coupons, after order-level reductions.

A coupon counts what the lines in its scope still cost (lines under an exclusive promotion are
out of every coupon's scope); when that misses its minimum spend it is not applied and comes back
in `PricedCart.rejected_coupons` with the reason. What it takes is spread over its lines like
满减 (core.money.allocate), never above what they still cost.
"""

from dataclasses import dataclass
from enum import StrEnum

from huiyuan.core.money import allocate
from huiyuan.sales.pricing.cart import Adjustment, RejectedCoupon
from huiyuan.sales.pricing.lines import LineState
from huiyuan.sales.pricing.promotions import WHOLE_ORDER, Scope, check_permille
from huiyuan.sales.pricing.rounding import off_permille


class CouponKind(StrEnum):
    CASH = "cash"  # 代金券: face value off, optionally from a minimum spend
    PERCENT = "percent"  # 折扣券: pay `permille`, optionally capped
    THRESHOLD = "threshold"  # 满X减Y: Y = face value off once the scope reaches X = min spend


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

    def __post_init__(self):
        if self.min_spend_fen < 0 or (self.cap_fen is not None and self.cap_fen < 0):
            raise ValueError("min spend and cap must not be negative")
        if self.kind == CouponKind.PERCENT:
            check_permille(self.permille)
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


def apply_coupons(
    states: list[LineState], coupons: list[CouponOffer]
) -> tuple[list[Adjustment], list[RejectedCoupon]]:
    """Coupons come in code order. A non-combinable coupon is applied only as the first and then the
    only one: any coupon after it, or itself after another, is rejected (`not_combinable`)."""
    applied: list[Adjustment] = []
    rejected: list[RejectedCoupon] = []
    alone = False  # a non-combinable coupon was applied
    for coupon in coupons:
        if alone or (applied and not coupon.combinable):
            rejected.append(
                RejectedCoupon(coupon.id, coupon.code, NOT_APPLICABLE, "not_combinable")
            )
            continue
        covered = [s for s in states if not s.exclusive and coupon.scope.covers(s.line)]
        weights = [state.remaining_fen for state in covered]
        base = sum(weights)
        amount = coupon.discount_for(base) if base >= coupon.min_spend_fen else 0
        if amount == 0:
            reason = "min_spend" if base < coupon.min_spend_fen else "nothing_to_discount"
            rejected.append(RejectedCoupon(coupon.id, coupon.code, NOT_APPLICABLE, reason))
            continue
        for state, share in zip(covered, allocate(amount, weights), strict=True):
            state.take("coupon", coupon.id, coupon.name, share)
        applied.append(Adjustment("coupon", coupon.id, coupon.name, amount))
        alone = not coupon.combinable
    return applied, rejected
