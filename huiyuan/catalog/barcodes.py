"""Barcode formats: check digits, internal codes and scale labels (weighed / price-embedded goods).

A code of 8, 12, 13 or 14 digits is an EAN-8, UPC-A, EAN-13 or GTIN-14 (case code) and must carry
a valid check digit.
Any other code of letters, digits and dashes (1–32 characters) is an in-store code: accepted as is.

A 13-digit code starting with one of the layout's prefixes (by default "2", i.e. 20–29, the range
GS1 leaves to in-store use) is a scale label: prefix digits + PLU + value + check digit. ONE layout
serves the whole chain, set in settings as `HUIYUAN_SCALE_LABEL` (missing keys take the defaults
below). `value` is "price" (the label's total price, `decimals` places of yuan: 2 = fen) or
"weight" (`decimals` places of kg: 3 = grams).
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext
from stdnum import ean

from huiyuan.core.errors import DomainError

DEFAULT_SCALE_LABEL = {
    "prefixes": ["2"],
    "prefix_len": 2,
    "plu_len": 5,
    "value_len": 5,
    "value": "price",
    "decimals": 2,
}
GTIN_LENGTHS = (8, 12, 13, 14)
IN_STORE_CODE = re.compile(r"^[A-Za-z0-9-]{1,32}$")


@dataclass(frozen=True)
class ScaleLabel:
    plu: str
    price_fen: int | None
    weight_kg: Decimal | None


def scale_layout() -> dict:
    layout = {**DEFAULT_SCALE_LABEL, **getattr(settings, "HUIYUAN_SCALE_LABEL", {})}
    if layout["prefix_len"] + layout["plu_len"] + layout["value_len"] != 12:
        raise ValueError("HUIYUAN_SCALE_LABEL: prefix_len + plu_len + value_len must be 12")
    return layout


def normalize(code: str) -> str:
    """The code as stored, or BARCODE_INVALID (bad characters, length or check digit)."""
    code = (code or "").strip()
    if not IN_STORE_CODE.match(code):
        raise DomainError("BARCODE_INVALID", field="barcode")
    if code.isdigit() and len(code) in GTIN_LENGTHS and not ean.is_valid(code):
        raise DomainError("BARCODE_INVALID", field="barcode")
    return code


def with_check_digit(digits: str) -> str:
    """`digits` (7, 11 or 12 of them) followed by their EAN/UPC check digit."""
    return digits + ean.calc_check_digit(digits)


def normalize_plu(plu: str) -> str:
    """A PLU as stored: digits without leading zeros, short enough for the label layout."""
    plu = (plu or "").strip()
    if not plu.isdigit() or len(plu) > scale_layout()["plu_len"] or int(plu) == 0:
        raise DomainError(
            "VALIDATION_ERROR", fields={"plu": _plu_message(scale_layout()["plu_len"])}
        )
    return str(int(plu))


def _plu_message(length):
    return gettext("PLU 码须为 1 至 %(n)d 位数字") % {"n": length}


def parse_scale_label(code: str) -> ScaleLabel | None:
    """The PLU and embedded value of a (check-digit valid) scale label, None if it is not one."""
    layout = scale_layout()
    if len(code) != 13 or not code.isdigit():
        return None
    if not any(code.startswith(p) for p in layout["prefixes"]):
        return None
    start = layout["prefix_len"]
    plu = str(int(code[start : start + layout["plu_len"]]))
    value = int(code[start + layout["plu_len"] : 12])
    if layout["value"] == "weight":
        return ScaleLabel(plu, None, Decimal(value).scaleb(-layout["decimals"]))
    fen = Decimal(value).scaleb(2 - layout["decimals"]).to_integral_value(ROUND_HALF_UP)
    return ScaleLabel(plu, int(fen), None)
