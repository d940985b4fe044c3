"""A promotion (saved, or a draft being edited) as the pricing engine's value (sales.pricing).

The rows come in their table order (PromotionRow.position); the scope is product and category
codes. A points multiplier is not priced by the engine (points/multipliers.py): it has no value.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from huiyuan.promotions.models import Promotion, PromotionRow
from huiyuan.sales import pricing

Kind = Promotion.Kind


@dataclass
class Draft:
    """A promotion with everything that goes with it, saved or not: what the edit form builds,
    what the service saves, what the preview prices."""

    promotion: Promotion
    rows: list[PromotionRow] = field(default_factory=list)
    products: list = field(default_factory=list)  # catalog.Product
    categories: list = field(default_factory=list)  # catalog.Category
    stores: list = field(default_factory=list)
    tiers: list = field(default_factory=list)
    card_types: list = field(default_factory=list)

    @classmethod
    def of(cls, promotion: Promotion) -> "Draft":
        """The saved promotion's draft (from prefetched relations where they are)."""
        return cls(
            promotion=promotion,
            rows=list(promotion.rows.all()),
            products=list(promotion.products.all()),
            categories=list(promotion.categories.all()),
            stores=list(promotion.stores.all()),
            tiers=list(promotion.tiers.all()),
            card_types=list(promotion.card_types.all()),
        )


def to_engine(
    promotion: Promotion,
    rows: Iterable[PromotionRow],
    product_codes: Iterable[str] = (),
    category_codes: Iterable[str] = (),
) -> pricing.Promotion | None:
    """The engine's value (raises ValueError on values the engine refuses)."""
    rows = list(rows)
    common = {
        "id": promotion.pk or 0,
        "name": promotion.name,
        "priority": promotion.priority,
        "exclusive": promotion.exclusive,
        "members_only": promotion.members_only,
        "scope": pricing.Scope(frozenset(product_codes), frozenset(category_codes)),
    }
    kind = promotion.kind
    if kind == Kind.PERCENT:
        return pricing.PercentOff(permille=promotion.permille, **common)
    if kind == Kind.BUY_N_GET_M:
        return pricing.BuyNGetM(
            buy=promotion.buy, get=promotion.get, permille=promotion.permille, **common
        )
    if kind == Kind.SPECIAL_PRICE:
        common.pop("scope")  # its price list is its scope
        return pricing.SpecialPrice(
            prices_fen={row.product.code: row.amount_fen for row in rows}, **common
        )
    if kind == Kind.FULL_REDUCTION:
        return pricing.FullReduction(
            tiers=tuple((row.threshold_fen, row.amount_fen) for row in rows),
            every=promotion.every,
            cap_fen=promotion.cap_fen,
            **common,
        )
    if kind == Kind.ISSUE_COUPONS:
        steps = (
            pricing.IssueStep(row.threshold_fen, row.coupon_template_id, row.amount_fen)
            for row in rows
        )
        return pricing.IssueCouponsOnSpend(steps=tuple(steps), **common)
    if kind == Kind.ADD_PRICE:
        return pricing.AddPriceOffer(tiers=_add_price_tiers(rows), **common)
    if kind == Kind.GIFT:
        steps = (pricing.GiftStep(row.threshold_fen, row.product.code, row.qty) for row in rows)
        return pricing.GiftWithPurchase(steps=tuple(steps), **common)
    return None  # Kind.POINTS


def _add_price_tiers(rows: list[PromotionRow]) -> tuple[pricing.AddPriceTier, ...]:
    """Rows of one threshold and add-on price make one tier of products."""
    tiers: dict[tuple[int, int], set[str]] = {}
    for row in rows:
        tiers.setdefault((row.threshold_fen, row.amount_fen), set()).add(row.product.code)
    return tuple(
        pricing.AddPriceTier(threshold, frozenset(codes), price)
        for (threshold, price), codes in tiers.items()
    )


def draft_to_engine(draft: Draft) -> pricing.Promotion | None:
    return to_engine(
        draft.promotion,
        draft.rows,
        [product.code for product in draft.products],
        [category.code for category in draft.categories],
    )
