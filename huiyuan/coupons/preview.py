"""The template page's live preview: a sample cart priced by the engine with the template (saved
or not) as a member's only coupon — the discount it gives, or why the engine refuses it."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huiyuan.catalog.models import Product
from huiyuan.catalog.selectors import category_code_paths
from huiyuan.coupons.models import CouponTemplate
from huiyuan.coupons.selectors import offer
from huiyuan.sales.pricing import CartLine, MemberContext, PricedCart, price_cart

OTHER_CODE = "SAMPLE"
MEMBER = MemberContext(tier_name=None, discount_permille=1000, is_member=True)
REASONS = {
    "min_spend": gettext_lazy("未达到最低消费"),
    "nothing_to_discount": gettext_lazy("样例购物车中没有适用的商品"),
    "not_combinable": gettext_lazy("不可与其他券同用"),
}


@dataclass(frozen=True)
class SampleLine:
    name: str
    list_total_fen: int
    total_fen: int


@dataclass(frozen=True)
class Preview:
    lines: list[SampleLine]
    list_total_fen: int
    discount_fen: int
    payable_fen: int
    rejection: str = ""
    gift: str = ""


def sample_lines(codes: list[str], other_fen: int) -> tuple[list[CartLine], dict[str, str]]:
    """One unit of each product code (repeats add up) and a line of other goods; names by code."""
    products = {
        product.code: product
        for product in Product.objects.select_related("category").filter(code__in=codes)
    }
    paths = category_code_paths(product.category.path for product in products.values())
    lines, names = [], {OTHER_CODE: _("其他商品")}
    for code in dict.fromkeys(codes):
        product = products.get(code)
        if product is None:
            continue
        names[code] = product.name
        lines.append(
            CartLine(
                line_no=len(lines) + 1,
                product_code=code,
                category_codes=paths[product.category.path],
                qty=Decimal(codes.count(code)),
                unit_price_fen=product.retail_price_fen,
            )
        )
    if other_fen:
        lines.append(CartLine(len(lines) + 1, OTHER_CODE, (), Decimal(1), other_fen))
    return lines, names


def preview(template: CouponTemplate, codes: list[str], other_fen: int) -> Preview:
    lines, names = sample_lines(codes, other_fen)
    if not lines:
        return Preview([], 0, 0, 0, rejection=_("样例购物车是空的"))
    coupon = offer(template, code="PREVIEW", id=0)
    cart: PricedCart = price_cart(lines, MEMBER, [], [coupon])
    rejection = REASONS[cart.rejected_coupons[0].reason] if cart.rejected_coupons else ""
    gift = template.gift_product.name if cart.gifts else ""
    return Preview(
        lines=[
            SampleLine(names[line.product_code], line.list_total_fen, line.total_fen)
            for line in cart.lines
        ],
        list_total_fen=cart.list_total_fen,
        discount_fen=cart.discount_fen,
        payable_fen=cart.payable_fen,
        rejection=str(rejection),
        gift=gift,
    )
