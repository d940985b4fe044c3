"""What the engine reads (cart lines, the member) and what it returns (priced lines, the cart).

Amounts are integer fen; quantities are Decimal because weighed goods are sold by the kilogram.
Every priced line explains itself: list total − its adjustments = its total, so a receipt can
print each discount with the promotion or benefit that gave it.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CartLine:
    line_no: int  # unique in the cart: it orders the allocation remainder, not the scan order
    product_code: str
    category_codes: tuple[str, ...]  # the category path, root first
    qty: Decimal
    unit_price_fen: int  # list (retail) price
    member_price_fen: int | None = None
    member_discount_applies: bool = True  # False for goods excluded from the tier/card discount
    add_price_offer_id: int | None = None  # taken as the add-price item of this offer

    def __post_init__(self):
        if self.qty <= 0:
            raise ValueError("qty must be positive")
        if self.unit_price_fen < 0 or (self.member_price_fen or 0) < 0:
            raise ValueError("prices must not be negative")


@dataclass(frozen=True)
class MemberContext:
    tier_name: str | None  # for promotions limited to tiers (eligibility comes with the models)
    discount_permille: int  # already the better of card type's and tier's (members.summary)
    is_member: bool

    def __post_init__(self):
        if not 0 <= self.discount_permille <= 1000:
            raise ValueError("discount_permille must be within 0..1000")


NON_MEMBER = MemberContext(tier_name=None, discount_permille=1000, is_member=False)


@dataclass(frozen=True)
class Adjustment:
    """One discount on a line, with the snapshotted name of what gave it.

    kind is "member_price", "member_discount", "promotion", "coupon" or "add_price"; source_id
    is the promotion's or the coupon's id (None for the member price and the member discount)."""

    kind: str
    source_id: int | None
    source_name: str
    amount_fen: int


@dataclass(frozen=True)
class PricedLine:
    line_no: int
    product_code: str
    qty: Decimal
    list_price_fen: int  # per unit
    unit_price_fen: int  # per unit after the member price / 会员惊爆价
    list_total_fen: int
    adjustments: tuple[Adjustment, ...]
    total_fen: int

    @property
    def discount_fen(self) -> int:
        return sum(adjustment.amount_fen for adjustment in self.adjustments)


@dataclass(frozen=True)
class RejectedCoupon:
    """A coupon the engine did not apply: code is an error code of core.errors, reason says why
    ("min_spend", "nothing_to_discount", "not_combinable")."""

    coupon_id: int
    coupon_code: str
    code: str
    reason: str


@dataclass(frozen=True)
class AddPriceReport:
    """A tier of an add-price offer the cart reached: these products for price_fen each."""

    offer_id: int
    offer_name: str
    threshold_fen: int
    product_codes: tuple[str, ...]
    price_fen: int


@dataclass(frozen=True)
class CouponToIssue:
    """A coupon the member earns with this purchase, issued once it is paid."""

    promotion_id: int
    promotion_name: str
    template_id: int
    face_fen: int


@dataclass(frozen=True)
class GiftToGive:
    """A product handed over free: kind "promotion" (a gift with purchase) or "coupon" (赠品券);
    source_id is the promotion's or the coupon's id."""

    kind: str
    source_id: int
    source_name: str
    product_code: str
    qty: int


@dataclass(frozen=True)
class PricedCart:
    lines: tuple[PricedLine, ...]  # by line_no
    order_adjustments: tuple[Adjustment, ...]  # order-level reductions, whole amounts
    list_total_fen: int
    payable_fen: int
    coupon_adjustments: tuple[Adjustment, ...] = ()  # applied coupons, whole amounts
    rejected_coupons: tuple[RejectedCoupon, ...] = ()
    add_price_offers: tuple[AddPriceReport, ...] = ()  # tiers reached, by offer then threshold
    add_price_not_earned: tuple[int, ...] = ()  # line_nos taken as add-price items, priced normally
    coupons_to_issue: tuple[CouponToIssue, ...] = ()  # by promotion priority
    gifts: tuple[GiftToGive, ...] = ()  # gift coupons in code order, then promotions by priority

    @property
    def applied_coupon_ids(self) -> tuple[int, ...]:
        """The coupons the cart uses: those that took an amount and the gift coupons."""
        ids = [a.source_id for a in self.coupon_adjustments]
        return tuple(sorted(ids + [g.source_id for g in self.gifts if g.kind == "coupon"]))

    @property
    def discount_fen(self) -> int:
        return self.list_total_fen - self.payable_fen
