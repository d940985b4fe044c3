"""Card numbers: the card type's prefix, a serial, and a Luhn check digit."""

from stdnum import luhn

from huiyuan.core import sequences


def new_card_numbers(card_type, count: int = 1) -> list[str]:
    """`count` fresh numbers for this card type (one counter per type, reserved in one step)."""
    serial_length = card_type.number_length - len(card_type.number_prefix) - 1
    numbers = []
    for serial in sequences.take(f"card:{card_type.code}", count):
        body = f"{card_type.number_prefix}{serial:0{serial_length}d}"
        if len(body) != card_type.number_length - 1:
            raise ValueError(f"card type {card_type.code} has run out of numbers")
        numbers.append(body + luhn.calc_check_digit(body))
    return numbers


def is_well_formed(number: str) -> bool:
    return number.isdigit() and luhn.is_valid(number)
