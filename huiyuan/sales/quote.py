"""The quote: a cart priced for the till and the API, with nothing written.

`quote()` turns what a till sends (a member or card number, lines by barcode or product code,
coupon codes, points to pay with) into engine values, prices them with `sales.pricing`, and adds
what the engine leaves to the apps: the member's summary, the points the purchase earns
(`points.earning`, with the points-paid part as the points program says), the validity window
of each coupon it would issue (`coupons.services.validity_window`) and the names of gifts and
add-price items.

Decisions:
- Lines are priced as sent, one line each (line_no = position + 1); the till merges repeated
  scans of a product, since 买N送M counts per line.
- A scale label gives the weight (a price label: price ÷ price per kg, to the gram); the line is
  priced at the product's price per kg, so it may differ from the printed price by a fen.
- A product that is not weighed takes whole quantities.
- A coupon the coupons app refuses (not found, used, expired, another member's, …) doesn't fail
  the quote: it comes back among the refused coupons with its error code, like those the cart
  rejects (minimum spend, not combinable). `POST /coupons/{code}/verify` asks about one coupon.
- Points to pay with are refused as an error (POINTS_INSUFFICIENT, POINTS_PAYMENT_NOT_ALLOWED):
  the cashier asked for them explicitly.

Queries: the products of all lines in two (product codes, registered barcodes; a scale label
costs its own two), their category paths in one, then the member, promotions, coupons and points
rules once per quote, whatever the number of lines.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huiyuan.catalog.models import Barcode, Category, Product
from huiyuan.catalog.selectors import find_by_barcode
from huiyuan.core.errors import DomainError
from huiyuan.core.money import allocate
from huiyuan.coupons.models import CouponTemplate
from huiyuan.coupons.selectors import coupon_offers
from huiyuan.coupons.services import validity_window
from huiyuan.members.selectors import lookup_member
from huiyuan.members.summary import MemberSummary, member_summary
from huiyuan.points.earning import PointsQuote, PurchaseLine, points_for_purchase
from huiyuan.points.models import PointsProgram
from huiyuan.points.payment import points_payment_fen
from huiyuan.promotions.selectors import active_promotions
from huiyuan.sales.pricing import (
    NON_MEMBER,
    CartLine,
    CouponOffer,
    CouponToIssue,
    MemberContext,
    PricedCart,
    PricedLine,
    price_cart,
)

MAX_LINES = 200
MAX_COUPONS = 20
MAX_QTY = Decimal(9999)
QTY_PLACES = Decimal("0.001")

# Why the engine rejected a coupon (RejectedCoupon.reason), for the cashier.
REJECTION_MESSAGES = {
    "min_spend": gettext_lazy("未达到最低消费"),
    "nothing_to_discount": gettext_lazy("本单没有该券适用的商品"),
    "not_combinable": gettext_lazy("不可与其他优惠券同用"),
}


@dataclass(frozen=True)
class LineIn:
    """A line as sent: a barcode or a product code; qty defaults to 1 (a scale label: its
    weight); add_price_offer_id marks the line as the item taken from that add-price offer."""

    barcode: str = ""
    product_code: str = ""
    qty: Decimal | None = None
    add_price_offer_id: int | None = None


@dataclass(frozen=True)
class QuoteLine:
    product: Product
    barcode: str
    label_price_fen: int | None  # what a scale label printed
    add_price_offer_id: int | None
    priced: PricedLine


@dataclass(frozen=True)
class RefusedCoupon:
    coupon_code: str
    code: str  # an error code of core.errors
    reason: str  # the engine's reason, or the error code in lower case
    message: str


@dataclass(frozen=True)
class CouponIssue:
    """A coupon the purchase earns, with the window it would have if issued today."""

    offer: CouponToIssue
    template_name: str
    valid_from: datetime.date | None  # None: no member day to be valid on (the template's
    valid_until: datetime.date | None  # setup is wrong; the quote still goes through)


@dataclass(frozen=True)
class Quote:
    member: object | None
    card: object | None
    summary: MemberSummary | None
    lines: list[QuoteLine]
    cart: PricedCart
    coupons: list[CouponOffer]  # the offers the coupons app accepted, in code order
    refused_coupons: list[RefusedCoupon]
    points_used: int
    points_payment_fen: int
    points: PointsQuote
    coupons_to_issue: list[CouponIssue]
    product_names: dict[str, str] = field(default_factory=dict)  # gifts and add-price items

    @property
    def to_pay_fen(self) -> int:
        """What is left to pay after the points payment."""
        return self.cart.payable_fen - self.points_payment_fen


def quote(
    *,
    store,
    lines: list[LineIn],
    member_no: str = "",
    card_no: str = "",
    coupon_codes: list[str] = (),
    points_to_use: int = 0,
    at: datetime.datetime | None = None,
) -> Quote:
    at = at or timezone.now()
    _check_limits(lines, coupon_codes, points_to_use)
    member, card = _member(member_no, card_no)
    summary = member_summary(member, card) if member else None
    items = _cart_lines(lines)
    context = (
        MemberContext(summary.tier, summary.discount_permille, is_member=True)
        if summary
        else NON_MEMBER
    )
    promotions = active_promotions(store, at, member)
    codes = list(dict.fromkeys(code.strip() for code in coupon_codes if code.strip()))
    offers, refused = _coupon_offers(codes, member, store, at)
    cart = price_cart([cart_line for _p, cart_line, _s in items], context, promotions, offers)
    points_fen = _points_payment(member, summary, points_to_use, cart.payable_fen)
    engine_refusals = [
        RefusedCoupon(r.coupon_code, r.code, r.reason, str(REJECTION_MESSAGES[r.reason]))
        for r in cart.rejected_coupons
    ]
    return Quote(
        member=member,
        card=card,
        summary=summary,
        lines=[
            QuoteLine(product, scan.barcode, scan.label_price_fen, line.add_price_offer_id, priced)
            for (product, line, scan), priced in zip(items, cart.lines, strict=True)
        ],
        cart=cart,
        coupons=sorted(offers, key=lambda offer: offer.code),
        refused_coupons=refused + engine_refusals,
        points_used=points_to_use,
        points_payment_fen=points_fen,
        points=_points(member, items, cart, store, at, points_fen),
        coupons_to_issue=_coupon_issues(cart.coupons_to_issue, store, at),
        product_names=_names(cart),
    )


@dataclass(frozen=True)
class CouponCheck:
    """A coupon that may be used: with a cart, what it takes off (a gift coupon: 0)."""

    offer: CouponOffer
    discount_fen: int | None = None
    payable_fen: int | None = None


def verify_coupon(
    code: str,
    *,
    store,
    lines: list[LineIn] = (),
    member_no: str = "",
    card_no: str = "",
    at: datetime.datetime | None = None,
) -> CouponCheck:
    """Whether the member may use this coupon (the coupons app's checks: COUPON_NOT_FOUND,
    COUPON_USED, COUPON_EXPIRED, COUPON_NOT_APPLICABLE) and, given lines, whether the cart takes
    it (else COUPON_NOT_APPLICABLE with the reason under `fields`)."""
    at = at or timezone.now()
    if not lines:
        member, _card = _member(member_no, card_no)
        return CouponCheck(coupon_offers([code], member, store, at)[0])
    result = quote(
        store=store, lines=lines, member_no=member_no, card_no=card_no, coupon_codes=[code], at=at
    )
    for refused in result.refused_coupons:
        fields = {"code": refused.message, "reason": refused.reason}
        raise DomainError(refused.code, refused.message, fields=fields)
    discount = sum(a.amount_fen for a in result.cart.coupon_adjustments)
    return CouponCheck(result.coupons[0], discount, result.cart.payable_fen)


def _check_limits(lines, coupon_codes, points_to_use) -> None:
    if not lines:
        raise DomainError("VALIDATION_ERROR", fields={"lines": _("至少需要一行商品")})
    if len(lines) > MAX_LINES:
        message = _("一单最多 %(n)d 行商品") % {"n": MAX_LINES}
        raise DomainError("VALIDATION_ERROR", fields={"lines": message})
    if len(coupon_codes) > MAX_COUPONS:
        message = _("一单最多使用 %(n)d 张优惠券") % {"n": MAX_COUPONS}
        raise DomainError("VALIDATION_ERROR", fields={"coupon_codes": message})
    if points_to_use < 0:
        raise DomainError("VALIDATION_ERROR", fields={"points_to_use": _("积分不能为负")})


def _member(member_no: str, card_no: str):
    """The member and card by card number (checked usable) or member number; none: a guest."""
    number, name = (card_no, "card_no") if card_no else (member_no, "member_no")
    if not number:
        return None, None
    try:
        return lookup_member(number)
    except DomainError as error:
        if error.code == "MEMBER_NOT_FOUND" and card_no:
            raise DomainError("CARD_NOT_FOUND", field=name) from None
        raise DomainError(error.code, error.custom_message, field=name) from None


@dataclass(frozen=True)
class _Scan:
    barcode: str = ""
    label_price_fen: int | None = None


def _cart_lines(lines: list[LineIn]) -> list[tuple[Product, CartLine, _Scan]]:
    """The engine's cart lines with their products, fetched for all lines at once."""
    codes = {line.product_code for line in lines if line.product_code}
    by_code = {p.code: p for p in Product.objects.select_related("category").filter(code__in=codes)}
    barcodes = Barcode.objects.select_related("product__category").filter(
        code__in={line.barcode.strip() for line in lines if line.barcode}
    )
    by_barcode = {barcode.code: barcode.product for barcode in barcodes}
    found = []
    for index, line in enumerate(lines):
        try:
            product, label_qty, scan = _product(line, by_code, by_barcode)
            found.append((product, _checked_qty(line.qty or label_qty, product), scan))
        except DomainError as error:
            raise DomainError(error.code, fields={f"lines.{index}": error.message}) from None
    paths = _category_paths({product.category.path for product, *_rest in found})
    return [
        (
            product,
            CartLine(
                line_no=number,
                product_code=product.code,
                category_codes=paths[product.category.path],
                qty=qty,
                unit_price_fen=product.retail_price_fen,
                member_price_fen=product.member_price_fen,
                member_discount_applies=product.member_discount_applies,
                add_price_offer_id=line.add_price_offer_id,
            ),
            scan,
        )
        for number, ((product, qty, scan), line) in enumerate(zip(found, lines, strict=True), 1)
    ]


def _product(line: LineIn, by_code, by_barcode) -> tuple[Product, Decimal | None, _Scan]:
    if line.product_code:
        if line.product_code not in by_code:
            raise DomainError("PRODUCT_NOT_FOUND")
        return by_code[line.product_code], None, _Scan()
    if not line.barcode:
        raise DomainError("VALIDATION_ERROR", _("须填写条码或商品编码"))
    registered = by_barcode.get(line.barcode.strip())
    if registered is not None:
        return registered, None, _Scan(line.barcode.strip())
    scanned = find_by_barcode(line.barcode)  # a scale label, or the error
    return scanned.product, scanned.qty, _Scan(scanned.barcode, scanned.price_fen)


def _checked_qty(qty: Decimal | None, product: Product) -> Decimal:
    if qty is None:
        if product.is_weighed:
            raise DomainError("VALIDATION_ERROR", _("称重商品须填写数量"))
        return Decimal(1)
    if not 0 < qty <= MAX_QTY or qty != qty.quantize(QTY_PLACES):
        raise DomainError("VALIDATION_ERROR", _("数量须大于 0、不超过 9999，最多三位小数"))
    if not product.is_weighed and qty != qty.to_integral_value():
        raise DomainError("VALIDATION_ERROR", _("非称重商品的数量须为整数"))
    return qty


def _category_paths(paths: set[str]) -> dict[str, tuple[str, ...]]:
    """Each category path → the codes along it, root first (one query)."""
    step = Category.steplen
    prefixes = {path[:end] for path in paths for end in range(step, len(path) + 1, step)}
    codes = dict(Category.objects.filter(path__in=prefixes).values_list("path", "code"))
    return {
        path: tuple(codes[path[:end]] for end in range(step, len(path) + 1, step)) for path in paths
    }


def _coupon_offers(codes: list[str], member, store, at):
    """The coupons the coupons app accepts, and the refused ones with their error. One call for
    them all; only when it refuses one, a call per code to tell which."""
    if not codes:
        return [], []
    try:
        return coupon_offers(codes, member, store, at), []
    except DomainError:
        pass
    offers, refused = [], []
    for code in codes:
        try:
            offers += coupon_offers([code], member, store, at)
        except DomainError as error:
            refused.append(RefusedCoupon(code, error.code, error.code.lower(), error.message))
    return offers, refused


def _points_payment(member, summary, points: int, payable_fen: int) -> int:
    if not points:
        return 0
    if member is None:
        raise DomainError("VALIDATION_ERROR", fields={"points_to_use": _("非会员不能用积分抵现")})
    program = PointsProgram.current()
    try:
        return points_payment_fen(program, points, payable_fen, summary.points)
    except DomainError as error:
        raise DomainError(error.code, field="points_to_use") from None


def _points(member, items, cart: PricedCart, store, at, points_fen: int) -> PointsQuote:
    """The points the paid lines earn; the points payment is shared over all lines by what they
    cost, and only the earning lines' share goes to the points service."""
    if member is None:
        return PointsQuote(0, [_("非会员不积分")])
    earning = [
        PurchaseLine(product.code, priced.total_fen, line.category_codes)
        for (product, line, _scan), priced in zip(items, cart.lines, strict=True)
        if product.earns_points
    ]
    if not earning:
        return PointsQuote(0, [_("本单商品均不积分")])
    paid = [p.paid_fen for p in earning]
    by_points = 0
    if points_fen and cart.payable_fen:
        others = cart.payable_fen - sum(paid)
        by_points = allocate(points_fen, [sum(paid), others])[0]
    return points_for_purchase(member, earning, store, at, paid_by_points_fen=by_points)


def _coupon_issues(issues, store, at) -> list[CouponIssue]:
    if not issues:
        return []
    templates = CouponTemplate.objects.select_related("member_day").in_bulk(
        {issue.template_id for issue in issues}
    )
    today = timezone.localdate(at)
    result = []
    for issue in issues:
        template = templates[issue.template_id]
        try:
            valid_from, valid_until = validity_window(template, today, store)
        except DomainError:
            valid_from = valid_until = None
        result.append(CouponIssue(issue, template.name, valid_from, valid_until))
    return result


def _names(cart: PricedCart) -> dict[str, str]:
    codes = {gift.product_code for gift in cart.gifts}
    codes |= {code for offer in cart.add_price_offers for code in offer.product_codes}
    if not codes:
        return {}
    return dict(Product.objects.filter(code__in=codes).values_list("code", "name"))
