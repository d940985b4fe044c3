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


@pytest.mark.parametrize("text", ["0.001", "abc", "", "NaN", "Infinity", "1e400"])
def test_parse_yuan_refuses_what_is_not_an_exact_amount(text):
    with pytest.raises(ValueError):
        parse_yuan(text)


def test_allocate_puts_the_remainder_on_the_last_line():
    assert allocate(100, [1, 1, 1]) == [33, 33, 34]
    assert allocate(1000, [300, 700]) == [300, 700]
    assert allocate(-100, [1, 1, 1]) == [-33, -33, -34]


def test_allocate_spreads_evenly_when_all_weights_are_zero():
    assert allocate(10, [0, 0, 0]) == [3, 3, 4]


def test_allocate_refuses_no_lines_and_negative_weights():
    with pytest.raises(ValueError):
        allocate(10, [])
    with pytest.raises(ValueError):
        allocate(10, [1, -1])


@given(
    amount=st.integers(-(10**9), 10**9),
    weights=st.lists(st.integers(0, 10**7), min_size=1, max_size=30),
)
def test_allocation_always_adds_up_to_the_fen(amount, weights):
    shares = allocate(amount, weights)
    assert sum(shares) == amount
    assert len(shares) == len(weights)
    # Every share but the last is the floor of its exact proportion: never more than its due.
    total = sum(weights) or len(weights)
    effective = weights if sum(weights) else [1] * len(weights)
    for share, weight in zip(shares[:-1], effective[:-1], strict=True):
        assert abs(share) <= abs(amount) * weight / total
