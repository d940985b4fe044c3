"""When points expire, by the program's expiry mode (PointsProgram.ExpiryMode)."""

import calendar
import datetime

from huiyuan.points.models import PointsProgram


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole months; the 31st lands on the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def lot_expiry(program: PointsProgram, earned_on: datetime.date) -> datetime.date | None:
    """The last day a lot earned on `earned_on` is valid; None when no date is fixed (never, or
    inactivity: then the whole balance lapses together, see `inactive_since`)."""
    mode = program.expiry_mode
    if mode == PointsProgram.ExpiryMode.LOT_MONTHS:
        return add_months(earned_on, program.expiry_months) - datetime.timedelta(days=1)
    if mode == PointsProgram.ExpiryMode.CALENDAR:
        return datetime.date(earned_on.year + 1, 12, 31)
    return None


def lapses_on(program: PointsProgram, last_purchase_on: datetime.date) -> datetime.date:
    """Inactivity mode: the first day with no purchase for `expiry_months` months."""
    return add_months(last_purchase_on, program.expiry_months)
