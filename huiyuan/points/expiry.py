"""When points expire, by the program's expiry mode (PointsProgram.ExpiryMode)."""

import datetime

from huiyuan.core.dates import add_months, last_day_after_months
from huiyuan.points.models import PointsProgram


def lot_expiry(program: PointsProgram, earned_on: datetime.date) -> datetime.date | None:
    """The last day a lot earned on `earned_on` is valid; None when no date is fixed (never, or
    inactivity: then the whole balance lapses together, see `inactive_since`)."""
    mode = program.expiry_mode
    if mode == PointsProgram.ExpiryMode.LOT_MONTHS:
        return last_day_after_months(earned_on, program.expiry_months)
    if mode == PointsProgram.ExpiryMode.CALENDAR:
        return datetime.date(earned_on.year + 1, 12, 31)
    return None


def lapses_on(program: PointsProgram, last_purchase_on: datetime.date) -> datetime.date:
    """Inactivity mode: the first day with no purchase for `expiry_months` months."""
    return add_months(last_purchase_on, program.expiry_months)
