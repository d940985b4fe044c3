"""Steps 1–3 of the engine (see engine.py) on one line: member price or 会员惊爆价, the member
discount, then line promotions. Each discount is rounded half-up to the fen once, on the line."""

from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _

from huiyuan.sales.pricing.cart import Adjustment, CartLine, MemberContext
from huiyuan.sales.pricing.promotions import BuyNGetM, PercentOff, Promotion, SpecialPrice


def half_up(amount: Fraction) -> int:
    """A non-negative amount of fen rounded half-up."""
    return (2 * amount.numerator + amount.denominator) // (2 * amount.denominator)


def off_permille(amount_fen: int, permille: int) -> int:
    """What paying `permille` of `amount_fen` takes off, rounded half-up: 9折 of 1005 takes 101."""
    return half_up(Fraction(amount_fen * (1000 - permille), 1000))


@dataclass
class LineState:
    """A line being priced: what it still costs and the discounts so far."""

    line: CartLine
    unit_price_fen: int
    list_total_fen: int
    adjustments: list[Adjustment]
    exclusive: bool = False  # took an exclusive line promotion: no order-level reductions

    @property
    def remaining_fen(self) -> int:
        return self.list_total_fen - sum(a.amount_fen for a in self.adjustments)

    def take(self, kind: str, source_id: int | None, name: str, amount_fen: int) -> None:
        amount_fen = min(amount_fen, self.remaining_fen)
        if amount_fen > 0:
            self.adjustments.append(Adjustment(kind, source_id, name, amount_fen))


def price_line(
    line: CartLine, member: MemberContext, specials: list[SpecialPrice], promotions: list[Promotion]
) -> LineState:
    list_total = half_up(Fraction(line.unit_price_fen) * Fraction(line.qty))
    state = LineState(line, line.unit_price_fen, list_total, [])
    special = _best_price(line, member, specials)
    if special is not None:
        price, kind, source_id, name = special
        state.unit_price_fen = price
        state.take(
            kind, source_id, name, list_total - half_up(Fraction(price) * Fraction(line.qty))
        )
    elif line.member_discount_applies and member.is_member and member.discount_permille < 1000:
        name = member.tier_name or _("会员折扣")
        state.take(
            "member_discount", None, name, off_permille(list_total, member.discount_permille)
        )
    for promotion in promotions:
        if not promotion.applies_to(line, member.is_member):
            continue
        state.take("promotion", promotion.id, promotion.name, _line_discount(promotion, state))
        if promotion.exclusive:
            state.exclusive = True
            break
    return state


def _best_price(line, member, specials) -> tuple[int, str, int | None, str] | None:
    """The lowest of the member price and the 会员惊爆价 that cover the line, if below the list
    price. Ties go to the member price, then to the promotion first in priority order."""
    candidates = []
    if member.is_member and line.member_price_fen is not None:
        candidates.append((line.member_price_fen, (0, 0, 0), "member_price", None, _("会员价")))
    for special in specials:
        if special.applies_to(line, member.is_member):
            price = special.prices_fen[line.product_code]
            rank = (1, *special.order_key)
            candidates.append((price, rank, "promotion", special.id, special.name))
    if not candidates:
        return None
    price, _rank, kind, source_id, name = min(candidates, key=lambda c: (c[0], c[1]))
    return (price, kind, source_id, name) if price < line.unit_price_fen else None


def _line_discount(promotion: Promotion, state: LineState) -> int:
    remaining = state.remaining_fen
    if isinstance(promotion, PercentOff):
        return off_permille(remaining, promotion.permille)
    if isinstance(promotion, BuyNGetM):
        whole_units = int(state.line.qty)
        discounted = whole_units // (promotion.buy + promotion.get) * promotion.get
        share = Fraction(discounted) / Fraction(state.line.qty)
        return half_up(remaining * share * Fraction(1000 - promotion.permille, 1000))
    raise TypeError(f"not a line promotion: {promotion!r}")
