from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huiyuan.core.money import allocate, format_fen, parse_yuan


@pytest.mark.parametrize(
    ("fen", "text"),
    [(0, "¥0.00"), (5, "¥0.05"), (1230, "¥12.30"), (123456, "¥1,234.56"), (-5, "-¥0.05")],
)
def test_format_fen(fen, text):
    assert format_fen(fen) == text


@pytest.mark.parametrize(
    ("text", "fen"), [("12.3", 1230), ("¥1,234.56", 123456), ("0.01", 1), (" 7 ", 700), (5, 500)]
)
def test_parse_yuan(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    "text",
    ["0.001", "abc", "", "NaN", "Infinity", "1e400", "١٢", "１２", "1.٥", "¥١٢٣.٤٥", "१२"],
)
def test_parse_yuan_refuses_what_is_not_an_exact_amount(text):
    with pytest.raises(ValueError):
        parse_yuan(text)


def test_allocate_puts_the_rounding_remainder_on_later_lines():
    assert allocate(100, [1, 1, 1]) == [33, 33, 34]
    assert allocate(1000, [300, 700]) == [300, 700]
    assert allocate(-100, [1, 1, 1]) == [-33, -33, -34]
    assert allocate(2, [1, 1, 1]) == [0, 1, 1]


def test_allocate_never_gives_a_line_more_than_its_weight():
    """A 50-fen discount over 100+100+100+1: the 1-fen line must not be discounted by 2."""
    assert allocate(50, [100, 100, 100, 1]) == [16, 17, 16, 1]
    assert allocate(-50, [100, 100, 100, 1]) == [-16, -17, -16, -1]
    assert allocate(3, [1, 1, 1, 0]) == [1, 1, 1, 0]


def test_allocate_gives_nothing_to_a_zero_weight_line():
    assert allocate(100, [0, 5, 0, 5, 0]) == [0, 50, 0, 50, 0]
    assert allocate(7, [3, 0]) == [7, 0]


def test_allocate_spreads_evenly_when_all_weights_are_zero():
    assert allocate(10, [0, 0, 0]) == [3, 3, 4]
    assert allocate(-10, [0, 0, 0]) == [-3, -3, -4]


def test_allocate_refuses_no_lines_and_negative_weights():
    with pytest.raises(ValueError):
        allocate(10, [])
    with pytest.raises(ValueError):
        allocate(10, [1, -1])


amounts = st.integers(-(10**9), 10**9)
weight_lists = st.lists(st.integers(0, 10**7), min_size=1, max_size=30)


def effective(weights):
    """The weights `allocate` spreads over: all-zero weights count every line once."""
    return weights if sum(weights) else [1] * len(weights)


@given(amount=amounts, weights=weight_lists)
def test_allocation_always_adds_up_to_the_fen(amount, weights):
    shares = allocate(amount, weights)

    assert len(shares) == len(weights)
    assert sum(shares) == amount


@given(amount=amounts, weights=weight_lists)
def test_every_share_has_the_amounts_sign(amount, weights):
    for share in allocate(amount, weights):
        assert share == 0 or (share > 0) == (amount > 0)


@given(amount=amounts, weights=weight_lists)
def test_every_share_is_within_one_fen_of_its_exact_proportion(amount, weights):
    lines = effective(weights)
    total = sum(lines)
    for share, weight in zip(allocate(amount, weights), lines, strict=True):
        assert abs(share - Fraction(amount * weight, total)) < 1


@given(data=st.data(), weights=st.lists(st.integers(0, 10**4), min_size=1, max_size=30))
def test_no_share_exceeds_its_weight_when_the_amount_fits(data, weights):
    """A discount no larger than the order never takes a line below zero."""
    lines = effective(weights)
    amount = data.draw(st.integers(-sum(lines), sum(lines)), label="amount")
    for share, weight in zip(allocate(amount, weights), lines, strict=True):
        assert abs(share) <= weight
