import datetime

from huiyuan.core.dates import add_months, last_day_after_months


def test_add_months_clamps_to_the_end_of_shorter_months():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2028, 1, 31), 1) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2026, 11, 15), 14) == datetime.date(2028, 1, 15)
    assert add_months(datetime.date(2026, 3, 15), -3) == datetime.date(2025, 12, 15)
    assert add_months(datetime.date(2026, 3, 31), -13) == datetime.date(2025, 2, 28)


def test_a_validity_ends_the_day_before_the_same_date():
    assert last_day_after_months(datetime.date(2026, 3, 15), 12) == datetime.date(2027, 3, 14)
    assert last_day_after_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 27)
