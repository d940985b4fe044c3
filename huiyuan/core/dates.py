"""Calendar arithmetic the rules share: points expiry, count-card validity, inactivity windows."""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole calendar months (back when negative); the 31st lands on the month's
    last day when that month is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day_after_months(start: datetime.date, months: int) -> datetime.date:
    """The last day of a validity of `months` starting on `start`: the day before the same date
    `months` later ("12 months" from 15 March is up to 14 March next year)."""
    return add_months(start, months) - datetime.timedelta(days=1)
