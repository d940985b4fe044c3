"""A sale's key (the till's, or the API's Idempotency-Key): one order per key and store, and a
repeat of the key must ask for the same sale (orders.py's docstring)."""

import hashlib
import json
from decimal import Decimal

from huiyuan.core.errors import DomainError
from huiyuan.sales.models import Order

MAX_SALE_KEY = 64


def checked_key(sale_key: str) -> str:
    sale_key = (sale_key or "").strip()
    if not sale_key or len(sale_key) > MAX_SALE_KEY or not sale_key.isprintable():
        raise DomainError("IDEMPOTENCY_KEY_INVALID", field="sale_key")
    return sale_key


def sale_fingerprint(
    *, lines, member_no, card_no, coupon_codes, points_to_use, payments, expected_payable_fen
) -> str:
    """What a sale asks for, hashed: a repeat of its key must ask for the same."""

    def qty(value) -> str:
        try:
            return "" if value is None else f"{Decimal(str(value)).normalize():f}"
        except ArithmeticError:
            return str(value)

    asked = [
        [
            [
                line.barcode,
                line.product_code,
                qty(line.qty),
                line.add_price_offer_id,
                getattr(getattr(line, "salesperson", None), "pk", None),
            ]
            for line in lines
        ],
        member_no,
        card_no,
        list(coupon_codes),
        points_to_use,
        [[p.method, p.amount_fen, p.external_ref] for p in payments],
        expected_payable_fen,
    ]
    return hashlib.sha256(json.dumps(asked, default=str).encode()).hexdigest()


def existing_order(store, sale_key: str, fingerprint: str) -> Order | None:
    """The order already placed with this key (IDEMPOTENCY_KEY_REUSED if it asked for another
    sale)."""
    order = Order.objects.filter(store=store, sale_key=sale_key).first()
    if order is not None and order.sale_hash and order.sale_hash != fingerprint:
        raise DomainError("IDEMPOTENCY_KEY_REUSED", field="sale_key")
    return order
