"""The points program's own multipliers: birthday (program default) and double-points days."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.points.models import PointsDay, PointsProgram
from huiyuan.points.multipliers import Multiplier, is_birthday


def birthday(member, store, at: datetime.datetime) -> list[Multiplier]:
    if not is_birthday(member, at):
        return []
    permille = PointsProgram.current().birthday_multiplier_permille
    return [Multiplier("birthday", _("生日积分"), permille)]


def points_days(member, store, at: datetime.datetime) -> list[Multiplier]:
    day = timezone.localdate(at)
    days = PointsDay.objects.filter(is_active=True, starts_on__lte=day, ends_on__gte=day)
    days = days.filter(Q(stores=None) | Q(stores=store)).distinct() if store else days
    return [
        Multiplier("day", found.name, found.multiplier_permille)
        for found in days
        if not found.weekdays or str(day.isoweekday()) in found.weekdays
    ]
