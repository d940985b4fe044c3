"""Discount rounding (DESIGN §4): half-up to the fen, once per line."""

from fractions import Fraction


def half_up(amount: Fraction) -> int:
    """A non-negative amount of fen rounded half-up."""
    return (2 * amount.numerator + amount.denominator) // (2 * amount.denominator)


def off_permille(amount_fen: int | Fraction, permille: int) -> int:
    """What paying `permille` of `amount_fen` takes off, rounded half-up: 9折 of 1005 takes 101."""
    return half_up(Fraction(amount_fen) * (1000 - permille) / 1000)
