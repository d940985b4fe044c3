"""What a member's tier is measured by: points EARNED in the program's window (never the
spendable balance, so spending points never costs a tier).

"Spend in a rolling period" (issue 5, item 8) needs orders, which arrive with the sales issue; it
becomes one more `TierProgram.Metric` then, measured the same way (one query for many members).
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.members.inactivity import window_start
from huiyuan.points.selectors import points_earned_by_member
from huiyuan.tiers.models import TierProgram

# "Lifetime" starts before any points could have been earned.
EPOCH = datetime.date(2000, 1, 1)
# Members measured per query (a database caps the parameters of one statement).
BATCH = 5000


def window(program: TierProgram, as_of: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The days (both included) whose earned points count, for a measure taken at the end of
    `as_of`: the N months up to it, its calendar year so far, or everything up to it."""
    if program.metric == TierProgram.Metric.ROLLING_POINTS:
        midnight = timezone.make_aware(datetime.datetime.combine(as_of, datetime.time()))
        since = window_start(midnight, program.window_months).date() + datetime.timedelta(days=1)
    elif program.metric == TierProgram.Metric.YEAR_POINTS:
        since = as_of.replace(month=1, day=1)
    else:
        since = EPOCH
    return since, as_of


def measure(member_ids, program: TierProgram, as_of: datetime.date) -> dict[int, int]:
    """member id → metric value (0 for members who earned nothing), one query per batch."""
    since, until = window(program, as_of)
    member_ids = list(member_ids)
    earned = {}
    for start in range(0, len(member_ids), BATCH):
        earned.update(points_earned_by_member(member_ids[start : start + BATCH], since, until))
    return {member_id: earned.get(member_id, 0) for member_id in member_ids}


def describe(program: TierProgram, points: int, through: datetime.date | None = None) -> str:
    """'近 12 个月获得 300 分' — a value (or a threshold, without `through`) in a member's words;
    with the calendar-year metric, `through` names the year measured."""
    if program.metric == TierProgram.Metric.ROLLING_POINTS:
        return _("近 %(months)d 个月获得 %(points)d 分") % {
            "months": program.window_months,
            "points": points,
        }
    if program.metric == TierProgram.Metric.YEAR_POINTS:
        if through is None:
            return _("一个自然年内获得 %(points)d 分") % {"points": points}
        return _("%(year)d 年获得 %(points)d 分") % {"year": through.year, "points": points}
    return _("累计获得 %(points)d 分") % {"points": points}
