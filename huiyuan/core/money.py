"""Money is an integer number of fen (分); these helpers are the only place it meets yuan."""

import re
from collections.abc import Sequence

# [0-9], not \d: \d also matches Arabic-Indic, fullwidth and other Unicode digits.
AMOUNT = re.compile(r"(-?)([0-9]{1,12})(?:\.([0-9]{1,2}))?")


def format_fen(fen: int, symbol: str = "¥") -> str:
    """1230 → '¥12.30', -5 → '-¥0.05', 123456 → '¥1,234.56'."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{symbol}{yuan:,}.{cents:02d}"


def parse_yuan(text: str | int) -> int:
    """'12.3' → 1230, '¥1,234.56' → 123456. Refuses more than two decimals rather than rounding
    someone's money, and anything that isn't written as a plain amount (exponents, NaN)."""
    cleaned = str(text).strip().replace(",", "").replace("¥", "", 1)
    match = AMOUNT.fullmatch(cleaned)
    if match is None:
        raise ValueError(f"not an amount of yuan: {text!r}")
    sign, yuan, cents = match.groups()
    fen = int(yuan) * 100 + int((cents or "").ljust(2, "0"))
    return -fen if sign else fen


def allocate(amount: int, weights: Sequence[int]) -> list[int]:
    """Spread `amount` fen over lines in proportion to `weights`.

    Cumulative flooring: line i gets floor(|amount|·Wᵢ/total) − floor(|amount|·Wᵢ₋₁/total), Wᵢ
    being the sum of the first i weights, with the amount's sign. So the shares sum to `amount`
    exactly, each is within one fen of its exact proportion, the rounding remainder falls on
    later lines (100 over [1, 1, 1] → [33, 33, 34]), a zero-weight line gets nothing, and when
    |amount| ≤ sum(weights) no share exceeds its weight: a discount never takes a line below
    zero. With all weights zero the amount is spread evenly by count.
    """
    if not weights:
        raise ValueError("no lines to allocate over")
    if any(weight < 0 for weight in weights):
        raise ValueError("weights must not be negative")
    total = sum(weights)
    if total == 0:
        weights, total = [1] * len(weights), len(weights)
    sign = -1 if amount < 0 else 1
    magnitude = abs(amount)
    shares = []
    running = previous = 0
    for weight in weights:
        running += weight
        reached = magnitude * running // total
        shares.append(sign * (reached - previous))
        previous = reached
    return shares
