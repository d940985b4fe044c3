"""The till (收银台): what the till page needs beyond the quote and the order.

The page keeps the sale as a plain cart (its client-side state, also what a suspended sale stores
and what a later offline mode would queue):

    {"lines": [{"barcode", "product_code", "qty", "add_price_offer_id"}],
     "member_no", "card_no", "coupon_codes": [...], "points_to_use"}

- `read_cart` checks that shape (VALIDATION_ERROR on anything else) and gives the quote's inputs.
- `price` quotes it; repeated scans of one product through different barcodes become one line
  (the page merges scans of the same barcode itself), and the cart comes back as the server
  settled it, which the page adopts.
- `suspend` (挂单) stores a cart that prices, labelled for the 取单 list; `open_suspended` lists the
  store's open ones; `resume` (取单) hands one back once (a second till taking it gets NOT_FOUND).
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.catalog.models import Product
from huiyuan.core.errors import DomainError
from huiyuan.core.money import format_fen
from huiyuan.members.selectors import lookup_member
from huiyuan.members.summary import member_summary
from huiyuan.sales.models import SuspendedSale, Tender
from huiyuan.sales.quote import MAX_COUPONS, MAX_LINES, LineIn, Quote, quote
from huiyuan.sales.tenders import PaymentIn

CODE_LENGTH = 512  # a card number or an e-card token
SUSPENDED_SHOWN = 50


@dataclass(frozen=True)
class Cart:
    lines: list[LineIn]
    member_no: str = ""
    card_no: str = ""
    coupon_codes: tuple[str, ...] = ()
    points_to_use: int = 0

    def as_json(self) -> dict:
        return {
            "lines": [
                {
                    "barcode": line.barcode,
                    "product_code": line.product_code,
                    "qty": None if line.qty is None else str(line.qty),
                    "add_price_offer_id": line.add_price_offer_id,
                }
                for line in self.lines
            ],
            "member_no": self.member_no,
            "card_no": self.card_no,
            "coupon_codes": list(self.coupon_codes),
            "points_to_use": self.points_to_use,
        }


def read_cart(data) -> Cart:
    """The page's cart, checked; VALIDATION_ERROR names the part at fault."""
    if not isinstance(data, dict) or not isinstance(data.get("lines"), list):
        raise DomainError("VALIDATION_ERROR", fields={"lines": _("购物车格式不正确")})
    if len(data["lines"]) > MAX_LINES:
        message = _("一单最多 %(n)d 行商品") % {"n": MAX_LINES}
        raise DomainError("VALIDATION_ERROR", fields={"lines": message})
    codes = data.get("coupon_codes", [])
    if not isinstance(codes, list) or len(codes) > MAX_COUPONS:
        raise DomainError("VALIDATION_ERROR", fields={"coupon_codes": _("优惠券格式不正确")})
    points = data.get("points_to_use", 0)
    if type(points) is not int or not 0 <= points <= 10**9:
        raise DomainError("VALIDATION_ERROR", fields={"points_to_use": _("积分须为非负整数")})
    return Cart(
        lines=[_line(index, line) for index, line in enumerate(data["lines"])],
        member_no=_text(data.get("member_no"), "member_no", 32),
        card_no=_text(data.get("card_no"), "card_no", CODE_LENGTH),
        coupon_codes=tuple(_text(code, "coupon_codes", 32) for code in codes),
        points_to_use=points,
    )


def _text(value, name: str, length: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > length or "\x00" in value:
        raise DomainError("VALIDATION_ERROR", fields={name: _("格式不正确")})
    return value.strip()


def _line(index: int, line) -> LineIn:
    field = f"lines.{index}"
    if not isinstance(line, dict):
        raise DomainError("VALIDATION_ERROR", fields={field: _("格式不正确")})
    qty = line.get("qty")
    if qty is not None:
        try:
            qty = Decimal(str(qty))
        except InvalidOperation:
            raise DomainError("VALIDATION_ERROR", fields={field: _("数量须为数字")}) from None
        if not qty.is_finite():
            raise DomainError("VALIDATION_ERROR", fields={field: _("数量须为数字")})
    offer = line.get("add_price_offer_id")
    if offer is not None and (type(offer) is not int or not 0 < offer < 2**31):
        raise DomainError("VALIDATION_ERROR", fields={field: _("格式不正确")})
    return LineIn(
        barcode=_text(line.get("barcode"), field, 32),
        product_code=_text(line.get("product_code"), field, 30),
        qty=qty,
        add_price_offer_id=offer,
    )


def price(*, store, cart: Cart) -> tuple[Cart, Quote | None]:
    """The quote of the cart (None while it has no lines), lines of one product merged (then
    quoted again); a code typed in the scan box that is a product code, not a barcode, is
    taken as the product code."""
    if not cart.lines:
        return cart, None
    try:
        result = _quote(store, cart)
    except DomainError as error:
        cart = _typed_product_code(cart, error)
        result = _quote(store, cart)
    merged = _merged(cart, result)
    if merged is not cart:
        cart, result = merged, _quote(store, merged)
    return cart, result


def _typed_product_code(cart: Cart, error: DomainError) -> Cart:
    """The cart with the line the quote refused read as a product code, or the error again."""
    refused = [name for name in error.fields if name.startswith("lines.")]
    if error.code not in ("PRODUCT_NOT_FOUND", "BARCODE_INVALID") or len(refused) != 1:
        raise error
    index = int(refused[0].removeprefix("lines."))
    line = cart.lines[index]
    if line.product_code or not Product.objects.filter(code=line.barcode).exists():
        raise error
    lines = list(cart.lines)
    lines[index] = LineIn(product_code=line.barcode, qty=line.qty)
    return Cart(lines, cart.member_no, cart.card_no, cart.coupon_codes, cart.points_to_use)


def member_of(cart: Cart):
    """The cart's member, card and summary (Nones for a guest), as the quote finds them."""
    number = cart.card_no or cart.member_no
    if not number:
        return None, None, None
    member, card = lookup_member(number)
    return member, card, member_summary(member, card)


def _quote(store, cart: Cart) -> Quote:
    return quote(
        store=store,
        lines=cart.lines,
        member_no=cart.member_no,
        card_no=cart.card_no,
        coupon_codes=cart.coupon_codes,
        points_to_use=cart.points_to_use,
    )


def is_counted(line) -> bool:
    """A line whose repeated scans add to its quantity: neither weighed nor an add-price item."""
    return not line.product.is_weighed and line.add_price_offer_id is None


def _merged(cart: Cart, result: Quote) -> Cart:
    """The cart with each counted product on one line (the first), or the cart itself."""
    first: dict[str, int] = {}
    lines: list[LineIn] = []
    for sent, line in zip(cart.lines, result.lines, strict=True):
        code = line.product.code
        if is_counted(line) and code in first:
            kept = lines[first[code]]
            qty = (kept.qty or Decimal(1)) + line.priced.qty
            lines[first[code]] = LineIn(kept.barcode, kept.product_code, qty)
            continue
        if is_counted(line):
            first[code] = len(lines)
        lines.append(sent)
    if len(lines) == len(cart.lines):
        return cart
    return Cart(lines, cart.member_no, cart.card_no, cart.coupon_codes, cart.points_to_use)


def suspend(*, actor, store, cart: Cart) -> SuspendedSale:
    """挂单: the cart put aside (it must price: nothing unknown is stored)."""
    if not cart.lines:
        raise DomainError("VALIDATION_ERROR", fields={"lines": _("购物车是空的")})
    cart, result = price(store=store, cart=cart)
    who = result.member.name if result.member else _("散客")
    label = _("%(who)s · %(n)d 行 · %(total)s") % {
        "who": who,
        "n": len(result.lines),
        "total": format_fen(result.cart.payable_fen),
    }
    return SuspendedSale.objects.create(
        store=store, cashier=actor.operator, label=label[:40], cart=cart.as_json()
    )


def open_suspended(store):
    """The store's sales put aside and not yet taken, newest first."""
    sales = SuspendedSale.objects.filter(store=store, resumed_at__isnull=True)
    return sales.select_related("cashier")[:SUSPENDED_SHOWN]


def resume(*, store, pk: int) -> Cart:
    """取单: the suspended cart, taken once (a till that comes second gets NOT_FOUND)."""
    with transaction.atomic():
        sale = (
            SuspendedSale.objects.select_for_update()
            .filter(store=store, pk=pk, resumed_at__isnull=True)
            .first()
        )
        if sale is None:
            raise DomainError("NOT_FOUND", _("该挂单不存在或已被取走"))
        sale.resumed_at = timezone.now()
        sale.save(update_fields=["resumed_at"])
    return read_cart(sale.cart)


SALE_KEY = re.compile(r"[0-9A-Za-z-]{16,64}")
TENDERS = set(Tender.values)
REFERENCE_LENGTH = 64


def read_payment(data: dict) -> dict:
    """The pay dialog's part of a submission, as `place_order` takes it: the sale key, the
    tenders (method, amount in fen — cash as handed over —, an optional reference), the payable
    the cashier saw (before the points payment) and the stored-value password."""
    key = data.get("sale_key")
    if not isinstance(key, str) or not SALE_KEY.fullmatch(key):
        raise DomainError("VALIDATION_ERROR", fields={"sale_key": _("收银请求号格式不正确")})
    expected = data.get("expected_payable_fen")
    if type(expected) is not int or expected < 0:
        raise DomainError("VALIDATION_ERROR", fields={"expected_payable_fen": _("格式不正确")})
    payments = data.get("payments")
    if not isinstance(payments, list) or not 0 < len(payments) <= len(TENDERS):
        raise DomainError("VALIDATION_ERROR", fields={"payments": _("请填写收款金额")})
    return {
        "sale_key": key,
        "expected_payable_fen": expected,
        "payments": [_tender(payment) for payment in payments],
        "stored_value_password": _text(data.get("stored_value_password"), "password", 32),
    }


def _tender(payment) -> PaymentIn:
    if not isinstance(payment, dict) or payment.get("method") not in TENDERS:
        raise DomainError("VALIDATION_ERROR", fields={"payments": _("支付方式不正确")})
    method = payment["method"]
    amount = payment.get("amount_fen")
    if type(amount) is not int or not 0 < amount <= 10**12:
        raise DomainError("VALIDATION_ERROR", fields={f"payments.{method}": _("金额须大于 0")})
    reference = _text(payment.get("reference"), f"payments.{method}", REFERENCE_LENGTH)
    return PaymentIn(method, amount, reference)
