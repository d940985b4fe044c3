"""Promotion rules as plain values: the engine never reads the database.

Every rule has an id, a name (snapshotted on the receipt), a priority (higher first; ties by id,
so the order never depends on how the list was built), `exclusive` (see the engine's stacking
rules), `members_only`, and a scope. Rates are per-mille of the price paid: 800 = 8折.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from huiyuan.sales.pricing.cart import CartLine
from huiyuan.sales.pricing.rounding import off_permille


@dataclass(frozen=True)
class Scope:
    """Products and categories a rule covers; both empty means the whole order."""

    product_codes: frozenset[str] = frozenset()
    category_codes: frozenset[str] = frozenset()

    def covers(self, line: CartLine) -> bool:
        if not self.product_codes and not self.category_codes:
            return True
        return line.product_code in self.product_codes or any(
            code in self.category_codes for code in line.category_codes
        )


WHOLE_ORDER = Scope()


@dataclass(frozen=True, kw_only=True)
class Promotion:
    id: int
    name: str
    priority: int = 0
    exclusive: bool = False
    members_only: bool = False
    scope: Scope = WHOLE_ORDER

    def applies_to(self, line: CartLine, is_member: bool) -> bool:
        return (is_member or not self.members_only) and self.scope.covers(line)

    @property
    def order_key(self) -> tuple[int, int]:
        return (-self.priority, self.id)


def check_permille(permille: int) -> None:
    if not 0 <= permille <= 1000:
        raise ValueError("a discount is within 0..1000 per mille")


@dataclass(frozen=True, kw_only=True)
class PercentOff(Promotion):
    """Pay `permille` of the line (products, categories, or every line of the order)."""

    permille: int

    def __post_init__(self):
        check_permille(self.permille)

    def line_discount(self, remaining_fen: int, qty: Decimal) -> int:
        return off_permille(remaining_fen, self.permille)


@dataclass(frozen=True, kw_only=True)
class SpecialPrice(Promotion):
    """会员惊爆价: a unit price per product code; its price list is its scope. An exclusive one
    leaves the lines it prices out of every other promotion, line or order."""

    prices_fen: dict[str, int] = field(default_factory=dict)
    members_only: bool = True

    def __post_init__(self):
        if any(price < 0 for price in self.prices_fen.values()):
            raise ValueError("special prices must not be negative")

    def applies_to(self, line: CartLine, is_member: bool) -> bool:
        return (is_member or not self.members_only) and line.product_code in self.prices_fen


@dataclass(frozen=True, kw_only=True)
class BuyNGetM(Promotion):
    """Of every N + M whole units on a line, M are paid at `permille` (0: free, so "buy 2 get 1"
    is N=2, M=1, permille=0; "second item half price" is N=1, M=1, permille=500). Counted per line:
    the till merges scans of one product into one line."""

    buy: int
    get: int
    permille: int = 0

    def __post_init__(self):
        if self.buy < 1 or self.get < 1:
            raise ValueError("buy and get are at least 1")
        check_permille(self.permille)

    def line_discount(self, remaining_fen: int, qty: Decimal) -> int:
        """The discounted units' share of what the line still costs, at `permille`."""
        discounted = int(qty) // (self.buy + self.get) * self.get
        return off_permille(Fraction(remaining_fen) * discounted / Fraction(qty), self.permille)


@dataclass(frozen=True, kw_only=True)
class FullReduction(Promotion):
    """满减 on the order: the highest tier reached (满100减10/满200减25), or, with `every`,
    每满100减10 from its single tier, up to `cap_fen`. Thresholds count what the covered lines
    still cost after line promotions."""

    tiers: tuple[tuple[int, int], ...]  # (threshold_fen, reduction_fen)
    every: bool = False
    cap_fen: int | None = None

    def __post_init__(self):
        if not self.tiers or (self.every and len(self.tiers) != 1):
            raise ValueError("每满 takes exactly one tier; a ladder at least one")
        if any(not 0 < reduction <= threshold for threshold, reduction in self.tiers):
            raise ValueError("a reduction is positive and not above its threshold")

    def reduction_for(self, base_fen: int) -> int:
        if self.every:
            threshold, reduction = self.tiers[0]
            amount = base_fen // threshold * reduction
        else:
            reached = [reduction for threshold, reduction in self.tiers if base_fen >= threshold]
            amount = max(reached, default=0)
        if self.cap_fen is not None:
            amount = min(amount, self.cap_fen)
        return min(amount, base_fen)


LINE_PROMOTIONS = (PercentOff, BuyNGetM)
LinePromotion = PercentOff | BuyNGetM  # each has line_discount(remaining_fen, qty)
