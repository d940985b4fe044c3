"""The inactivity rule from the seeds: a member who used their card fewer than N times in a year
may have their membership cancelled (一年刷卡消费不满 N 次取消会员资格).

This module only *lists* members for review; cancelling stays a person's decision (the weekly job
in `huiyuan/tasks.py` logs how many there are; a review page can come later).

The rule, configurable in settings (environment variables of the same name):
- `HUIYUAN_INACTIVITY_MONTHS` (default 12): the window looked back over;
- `HUIYUAN_INACTIVITY_MIN_USES` (default 1): fewer card uses than this in the window → listed.
  (The seed text suggests 3 for a strict chain; 1 means "not used at all".)

Only active members who registered before the window began are listed: someone who joined
last month has not had a year to use their card.

**What counts as a card use.** There are no orders yet. Until the till issue lands, a card use is
a `CardEvent` of the member's (issue, loss report, replacement, renewal, …) inside the window;
`expire` events are left out, as the system writes them without the member. So today, in
practice, the rule reads "registered more than a year ago and no card event in the last year".
When orders exist, add their count in `card_uses_expression` — the one place that defines a
card use — and everything else (the list, the job) follows.
"""

import datetime

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from huiyuan.cards.models import CardEvent
from huiyuan.core.dates import add_months
from huiyuan.members.models import Member


def card_uses_expression(since: datetime.datetime, until: datetime.datetime):
    """Per member (`OuterRef("pk")`): how many card uses fall in [since, until).

    The one definition of a card use. Orders plug in here as one more counted subquery, e.g.
    `+ _counted(Order.objects.filter(member=OuterRef("pk"), created_at__gte=since, ...))`.
    """
    events = CardEvent.objects.filter(
        member=OuterRef("pk"), created_at__gte=since, created_at__lt=until
    ).exclude(kind=CardEvent.Kind.EXPIRE)
    return _counted(events)


def members_for_review(
    *,
    now: datetime.datetime | None = None,
    months: int | None = None,
    min_uses: int | None = None,
) -> QuerySet:
    """Active members with fewer than `min_uses` card uses in the last `months` months, who were
    already members when that window began; each annotated with `card_uses`. Oldest first."""
    now = now or timezone.now()
    months = settings.HUIYUAN_INACTIVITY_MONTHS if months is None else months
    min_uses = settings.HUIYUAN_INACTIVITY_MIN_USES if min_uses is None else min_uses
    since = window_start(now, months)
    return (
        Member.objects.filter(status=Member.Status.ACTIVE, created_at__lt=since)
        .annotate(card_uses=card_uses_expression(since, now))
        .filter(card_uses__lt=min_uses)
        .order_by("created_at", "id")
    )


def window_start(now: datetime.datetime, months: int) -> datetime.datetime:
    """`now` moved back `months` calendar months (the 31st falls back to the month's last day),
    in the local time zone so a year is a calendar year in Shanghai."""
    local = timezone.localtime(now)
    day = add_months(local.date(), -months)
    return local.replace(year=day.year, month=day.month, day=day.day)


def _counted(queryset: QuerySet):
    """COUNT(*) of a queryset correlated on its `member`, as an expression (0 for no rows)."""
    count = queryset.order_by().values("member").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(count, output_field=IntegerField()), Value(0))
