"""Steps 1–3 of the engine (see engine.py) on one line: member price, 会员惊爆价 or the member
discount (the lowest; never two of them), then line promotions. Each discount is rounded
half-up to the fen once, on the line."""

from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _

from huiyuan.sales.pricing.cart import Adjustment, CartLine, MemberContext
from huiyuan.sales.pricing.promotions import LinePromotion, SpecialPrice
from huiyuan.sales.pricing.rounding import half_up, off_permille


@dataclass
class LineState:
    """A line being priced: what it still costs and the discounts so far."""

    line: CartLine
    unit_price_fen: int
    list_total_fen: int
    adjustments: list[Adjustment]
    exclusive: bool = False  # under an exclusive promotion: no further promotions at all

    @property
    def remaining_fen(self) -> int:
        return self.list_total_fen - sum(a.amount_fen for a in self.adjustments)

    def take(self, kind: str, source_id: int | None, name: str, amount_fen: int) -> None:
        """Record a discount, capped at what the line still costs; nothing when it is zero."""
        amount_fen = min(amount_fen, self.remaining_fen)
        if amount_fen > 0:
            self.adjustments.append(Adjustment(kind, source_id, name, amount_fen))


@dataclass(frozen=True)
class BestPrice:
    unit_price_fen: int
    special: SpecialPrice | None  # None: the line's own member price


def price_line(
    line: CartLine,
    member: MemberContext,
    specials: list[SpecialPrice],
    promotions: list[LinePromotion],
) -> LineState:
    list_total = line_amount(line.unit_price_fen, line)
    state = LineState(line, line.unit_price_fen, list_total, [])
    best = _best_price(line, member, specials)
    discount = 0
    if line.member_discount_applies and member.is_member:
        discount = off_permille(list_total, member.discount_permille)
    saved = list_total - line_amount(best.unit_price_fen, line) if best else 0
    if best is not None and saved >= discount:
        state.unit_price_fen = best.unit_price_fen
        if best.special is None:
            state.take("member_price", None, _("会员价"), saved)
        else:
            state.take("promotion", best.special.id, best.special.name, saved)
            state.exclusive = best.special.exclusive
    else:
        state.take("member_discount", None, _("会员折扣"), discount)
    for promotion in promotions:
        if state.exclusive:
            break
        if promotion.applies_to(line, member.is_member):
            discount = promotion.line_discount(state.remaining_fen, line.qty)
            state.take("promotion", promotion.id, promotion.name, discount)
            state.exclusive = promotion.exclusive
    return state


def line_amount(unit_price_fen: int, line: CartLine) -> int:
    return half_up(Fraction(unit_price_fen) * Fraction(line.qty))


def _best_price(line, member, specials) -> BestPrice | None:
    """The lowest of the member price and the 会员惊爆价 covering the line, if below the list
    price. Ties go to the member price, then to the special first in priority order (the list
    comes sorted, and min keeps the first of equals)."""
    candidates = []
    if member.is_member and line.member_price_fen is not None:
        candidates.append(BestPrice(line.member_price_fen, None))
    candidates += [
        BestPrice(special.prices_fen[line.product_code], special)
        for special in specials
        if special.applies_to(line, member.is_member)
    ]
    best = min(candidates, key=lambda candidate: candidate.unit_price_fen, default=None)
    return best if best is not None and best.unit_price_fen < line.unit_price_fen else None
