"""The e-card: a Code 128 barcode of the card number and a QR code of a short-lived signed token.

The QR never carries the bare card number: it carries `HY1.<card id>.<expiry>.<signature>`, valid
for `HUIYUAN_ECARD_TOKEN_SECONDS` (60 s), so a screenshot passed around stops working within a
minute. The page asks for a fresh QR every `HUIYUAN_ECARD_REFRESH_SECONDS` (50 s).

- Card id and expiry (Unix seconds) are base 36, the signature is the first 80 bits of an
  HMAC-SHA256 in base 32: every character is in the QR alphanumeric set (upper case, digits, `.`),
  so the code stays at version 2 (25×25 modules), easy to scan off a phone screen. A keyboard-wedge
  scanner that sends lower case still works (tokens are read case-insensitively).
- The key is derived from SECRET_KEY with its own salt (`salted_hmac`), used for nothing else.
- The barcode does carry the card number: it is what is printed on a physical card anyway, for
  tills without a QR scanner; the token is the safer code.
"""

import base64
import re
import time

import barcode
import segno
from barcode.writer import SVGWriter
from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from huiyuan.cards.models import Card
from huiyuan.core.errors import DomainError

PREFIX = "HY1."
SALT = "huiyuan.cards.ecard.token"
SIGNATURE_BYTES = 10  # 80 bits: ample for a code that lives a minute
TOKEN_RE = re.compile(r"HY1\.([0-9A-Z]{1,13})\.([0-9A-Z]{1,13})\.([A-Z2-7]{16})")
BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def token_seconds() -> int:
    return settings.HUIYUAN_ECARD_TOKEN_SECONDS


def refresh_seconds() -> int:
    return settings.HUIYUAN_ECARD_REFRESH_SECONDS


def looks_like_token(text: str) -> bool:
    """Whether a scanned or typed text is meant as an e-card token (well-formed or not)."""
    return text.strip().upper().startswith(PREFIX)


def make_token(card: Card, now: float | None = None) -> str:
    """A token for this card, valid for `HUIYUAN_ECARD_TOKEN_SECONDS` from now."""
    expires = int(now if now is not None else time.time()) + token_seconds()
    body = f"{PREFIX}{_base36(card.pk)}.{_base36(expires)}"
    return f"{body}.{_signature(body)}"


def verify_token(token: str, now: float | None = None) -> Card:
    """The card a token was made for; `ECARD_TOKEN_INVALID` (bad form or signature) or
    `ECARD_TOKEN_EXPIRED`. The card's status is not checked here: callers use `check_usable`."""
    match = TOKEN_RE.fullmatch(token.strip().upper())
    if match is None:
        raise DomainError("ECARD_TOKEN_INVALID", field="q")
    card_id, expires, signature = match.groups()
    body = f"{PREFIX}{card_id}.{expires}"
    if not constant_time_compare(signature, _signature(body)):
        raise DomainError("ECARD_TOKEN_INVALID", field="q")
    if int(expires, 36) < (now if now is not None else time.time()):
        raise DomainError("ECARD_TOKEN_EXPIRED", field="q")
    card = Card.objects.select_related("member", "card_type").filter(pk=int(card_id, 36)).first()
    if card is None:  # signed by us, so it existed: only a wiped database gets here
        raise DomainError("ECARD_TOKEN_INVALID", field="q")
    return card


def qr_svg(token: str) -> str:
    """The token as an inline SVG QR code (no XML prolog: it goes straight into the page)."""
    qr = segno.make(token, error="m", micro=False)
    return qr.svg_inline(scale=6, border=2, title="QR", svgclass="ecard-qr-svg")


def barcode_svg(number: str) -> str:
    """The card number as an inline SVG Code 128 barcode, with the number printed under it."""
    code = barcode.get("code128", number, writer=SVGWriter())
    svg = code.render(
        writer_options={
            "module_width": 0.33,
            "module_height": 18,
            "quiet_zone": 4,
            "font_size": 12,
            "text_distance": 6,
        }
    ).decode()
    return svg[svg.index("<svg") :]


def _signature(body: str) -> str:
    digest = salted_hmac(SALT, body, algorithm="sha256").digest()[:SIGNATURE_BYTES]
    return base64.b32encode(digest).decode()  # 10 bytes → 16 characters, no padding


def _base36(number: int) -> str:
    if number < 0:
        raise ValueError("negative")
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = BASE36[rest] + digits
        if number == 0:
            return digits
