"""Coupon codes: 16 random digits from `secrets` (about 53 bits), never derived from anything.

Digits because tills key them on a numeric pad, a Code 128 barcode packs digit pairs (a short,
easy-to-scan bar), and a customer can read them out over the phone; 16 of them make guessing
hopeless (a million live coupons: one chance in nine billion per try) and don't look like an
EAN-13 product barcode. The first digit is never 0, so spreadsheets keep the code whole as text.
Shown in groups of four; spaces and dashes typed or scanned with a code are ignored.
"""

import re
import secrets

LENGTH = 16
_LOWEST = 10 ** (LENGTH - 1)
_SEPARATORS = re.compile(r"[\s\-]+")


def new_code() -> str:
    return str(_LOWEST + secrets.randbelow(9 * _LOWEST))


def normalize(text: str) -> str:
    return _SEPARATORS.sub("", text or "").upper()[:40]


def grouped(code: str) -> str:
    """'8123 4567 8901 2345' for print and screen."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))
