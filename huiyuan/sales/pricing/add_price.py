"""加价购 (加1元换购): spend a threshold, then buy an item from a list for an add-on price.

The engine prices the cart twice: first without the lines the customer took as add-price items
(`CartLine.add_price_offer_id`), which decides the tiers reached on what those lines still cost
after every step (coupons included); then the whole cart, where an earned line costs the add-on
price and takes nothing else (it is exclusive), and a line that was not earned is priced like
any other and reported in `PricedCart.add_price_not_earned`.

A taken line earns when its quantity is 1 and its product is in a tier reached (the highest or a
lower one: spending 29 may still take the 19 item); each offer gives one item per cart, to the
first qualifying line by line_no, at the lowest add-on price among the tiers reached.
"""

from dataclasses import dataclass

from huiyuan.sales.pricing.cart import AddPriceReport, CartLine
from huiyuan.sales.pricing.lines import LineState, line_amount
from huiyuan.sales.pricing.promotions import Promotion


@dataclass(frozen=True)
class AddPriceTier:
    threshold_fen: int
    product_codes: frozenset[str]
    price_fen: int  # the add-on price of one item

    def __post_init__(self):
        if self.threshold_fen <= 0 or self.price_fen < 0 or not self.product_codes:
            raise ValueError("a tier has a positive threshold, products and a price ≥ 0")


@dataclass(frozen=True, kw_only=True)
class AddPriceOffer(Promotion):
    """The scope says which lines count towards the thresholds."""

    tiers: tuple[AddPriceTier, ...]

    def __post_init__(self):
        if not self.tiers:
            raise ValueError("an add-price offer has at least one tier")


def tiers_reached(
    states: list[LineState], offers: list[AddPriceOffer], is_member: bool
) -> list[AddPriceReport]:
    reports = []
    for offer in offers:
        base = sum(s.remaining_fen for s in states if offer.applies_to(s.line, is_member))
        reports += [
            AddPriceReport(
                offer.id,
                offer.name,
                tier.threshold_fen,
                tuple(sorted(tier.product_codes)),
                tier.price_fen,
            )
            for tier in sorted(offer.tiers, key=lambda tier: tier.threshold_fen)
            if base >= tier.threshold_fen
        ]
    return reports


def earned_lines(taken: list[CartLine], reports: list[AddPriceReport]) -> dict[int, AddPriceReport]:
    """line_no → the tier it earns, for the taken lines that earn one (see the docstring)."""
    earned: dict[int, AddPriceReport] = {}
    offers_used = set()
    for line in taken:
        offer_id = line.add_price_offer_id
        tiers = [
            report
            for report in reports
            if report.offer_id == offer_id and line.product_code in report.product_codes
        ]
        if tiers and line.qty == 1 and offer_id not in offers_used:
            earned[line.line_no] = min(tiers, key=lambda report: report.price_fen)
            offers_used.add(offer_id)
    return earned


def add_price_state(line: CartLine, tier: AddPriceReport) -> LineState:
    """An earned line: the add-on price, and no other discount."""
    list_total = line_amount(line.unit_price_fen, line)
    unit_price = min(tier.price_fen, line.unit_price_fen)
    state = LineState(line, unit_price, list_total, [], exclusive=True)
    state.take("add_price", tier.offer_id, tier.offer_name, list_total - tier.price_fen)
    return state
