"""The live preview: a sample cart priced with an unsaved promotion through the engine.

The sample is typed "商品编码 数量" one per line; by default it is the promotion's own products
(its items, steps or scope) topped up with a few catalogue products, so every kind shows
something. The preview prices as a member without a member discount (members-only promotions
show), or as a customer without a card.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from huiyuan.catalog.models import Product
from huiyuan.catalog.selectors import category_code_paths
from huiyuan.core.forms import split_list
from huiyuan.promotions.engine_values import Draft, draft_to_engine
from huiyuan.sales import pricing

SAMPLE_SIZE = 4
MEMBER = pricing.MemberContext(tier_name=None, discount_permille=1000, is_member=True)


@dataclass
class Preview:
    priced: pricing.PricedCart | None
    products: dict  # code → Product
    error: str = ""

    def product_name(self, code: str) -> str:
        product = self.products.get(code)
        return product.name if product else code

    def lines(self) -> list[tuple[pricing.PricedLine, str]]:
        return [(line, self.product_name(line.product_code)) for line in self.priced.lines]

    def add_price_offers(self) -> list[tuple[pricing.AddPriceReport, str]]:
        return [
            (offer, "、".join(self.product_name(code) for code in offer.product_codes))
            for offer in self.priced.add_price_offers
        ]

    def gifts(self) -> list[tuple[pricing.GiftToGive, str]]:
        return [(gift, self.product_name(gift.product_code)) for gift in self.priced.gifts]


def default_sample(draft: Draft) -> str:
    """Up to SAMPLE_SIZE products: the promotion's own first, then active catalogue ones. Each
    line's quantity is 2 (a 买N送M shows), an add-price item 1."""
    own = [row.product for row in draft.rows if row.product] + list(draft.products)
    chosen = list(dict.fromkeys(own))[:SAMPLE_SIZE]
    if len(chosen) < SAMPLE_SIZE:
        more = Product.objects.filter(status="active").exclude(pk__in=[p.pk for p in chosen])
        chosen += list(more.order_by("code")[: SAMPLE_SIZE - len(chosen)])
    return "\n".join(f"{product.code} 2" for product in chosen)


def parse_sample(text: str) -> tuple[list[tuple[Product, Decimal]], str]:
    """(product, qty) pairs and an error message for lines that don't read."""
    if "\x00" in (text or ""):  # no product code holds NUL (PostgreSQL refuses it in a lookup)
        return [], _("示例购物车每行：商品编码 数量")
    wanted = []
    for line in (text or "").splitlines()[:30]:
        parts = split_list(line)
        if not parts:
            continue
        try:
            qty = Decimal(parts[1]) if len(parts) > 1 else Decimal(1)
            if not 0 < qty <= 9999:
                return [], _("数量须在 0 到 9999 之间")
        except InvalidOperation:  # not a number, or NaN
            return [], _("示例购物车每行：商品编码 数量")
        wanted.append((parts[0], qty))
    products = Product.objects.select_related("category").in_bulk(
        [code for code, _qty in wanted], field_name="code"
    )
    missing = [code for code, _qty in wanted if code not in products]
    if missing:
        return [], _("没有这些商品编码：%(codes)s") % {"codes": "、".join(missing)}
    return [(products[code], qty) for code, qty in wanted], ""


def cart_lines(pairs: list[tuple[Product, Decimal]]) -> list[pricing.CartLine]:
    """Cart lines with each product's category path (root first), as the till sends them."""
    paths = category_code_paths(product.category.path for product, _qty in pairs)
    return [
        pricing.CartLine(
            line_no=number,
            product_code=product.code,
            category_codes=paths[product.category.path],
            qty=qty,
            unit_price_fen=product.retail_price_fen,
            member_price_fen=product.member_price_fen,
            member_discount_applies=product.member_discount_applies,
        )
        for number, (product, qty) in enumerate(pairs, 1)
    ]


def price_sample(draft: Draft, sample: str, as_member: bool = True) -> Preview:
    """The sample priced with the draft (not saved) as its only promotion."""
    pairs, error = parse_sample(sample)
    products = {product.code: product for product, _qty in pairs}
    if error or not pairs:
        return Preview(None, products, error or _("请在示例购物车中填写商品"))
    try:
        value = draft_to_engine(draft)
    except (ValueError, TypeError, AttributeError):
        return Preview(None, products, _("促销设置尚不完整，无法预览"))
    promotions = [value] if value is not None else []
    priced = pricing.price_cart(
        cart_lines(pairs), MEMBER if as_member else pricing.NON_MEMBER, promotions
    )
    for report in priced.add_price_offers:
        products.update(Product.objects.in_bulk(report.product_codes, field_name="code"))
    for gift in priced.gifts:
        products.update(Product.objects.in_bulk([gift.product_code], field_name="code"))
    return Preview(priced, products)
