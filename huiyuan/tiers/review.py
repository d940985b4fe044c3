"""The re-evaluation (评定): on the program's yearly date every active member keeps, gains or loses
a tier by the points they earned up to the day before (marketing's 立即评定: up to now), with one
history row each.

Rules, for a member in tier C who earned `value`:
- `value` reaches a higher tier's entry threshold → upgrade to the highest such tier;
- else `value` reaches C's retention threshold (保级) → keep C;
- else downgrade: one level, or (`to_qualifying`) to the highest lower tier whose retention
  threshold `value` still reaches (the lowest tier is the floor).
A member without a standing (imported, or registered before tiers existed) starts at the tier
their points qualify for. One transaction and a fixed number of queries for any number of members
(`points_earned_by_member` measures them all at once); standings are locked for its duration.
"""

import datetime
from collections import Counter

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.members.models import Member
from huiyuan.tiers import metrics
from huiyuan.tiers.models import Tier, TierChange, TierProgram, TierStanding
from huiyuan.tiers.selectors import current_program, ladder, qualifying_tier, review_date
from huiyuan.tiers.services import clear_override

Kind = TierChange.Kind


def review_due(program: TierProgram, today: datetime.date) -> bool:
    """On the configured day; or later in the year when the job missed that day (server down)
    and an earlier review is on record."""
    due = review_date(program, today.year)
    last = program.last_reviewed_on
    if today == due:
        return last != today
    return last is not None and last < due < today


def run_daily(today: datetime.date) -> dict:
    """The daily job: end expired overrides, and re-evaluate everyone when the date has come."""
    ended = end_expired_overrides(today=today)
    program = current_program()
    if not review_due(program, today):
        return {"overrides_ended": ended}
    # The period under review ends with the day before: a 1 January review measures the year
    # just ended (with the calendar-year metric, the new year has barely begun).
    summary = reevaluate_tiers(today=today, through=today - datetime.timedelta(days=1))
    return {**summary, "overrides_ended": ended + summary["overrides_ended"]}


@transaction.atomic
def end_expired_overrides(*, today: datetime.date, actor: Actor | None = None) -> int:
    """Overrides whose end date has passed give way to the earned tier (one history row each)."""
    standings = list(
        TierStanding.objects.select_for_update().filter(
            override_tier__isnull=False, override_until__lt=today
        )
    )
    changes = []
    for standing in standings:
        changes.append(
            _change(
                standing.member_id,
                Kind.OVERRIDE_END,
                standing.override_tier_id,
                standing.tier_id,
                _("手动指定已到期"),
                actor=actor,
            )
        )
        clear_override(standing)
    fields = ["override_tier", "override_until", "override_by", "override_reason"]
    TierStanding.objects.bulk_update(standings, fields)
    TierChange.objects.bulk_create(changes)
    return len(standings)


@transaction.atomic
def reevaluate_tiers(
    *, today: datetime.date, through: datetime.date | None = None, actor: Actor | None = None
) -> dict:
    """Re-evaluate every active member by the points earned up to the end of `through` (default:
    today, as marketing's 立即评定 does); returns how many started, went up, kept, went down."""
    actor = actor or Actor.system()
    program = current_program()
    tiers = ladder()
    summary = Counter(dict.fromkeys((Kind.START, Kind.UPGRADE, Kind.KEEP, Kind.DOWNGRADE), 0))
    summary["overrides_ended"] = end_expired_overrides(today=today, actor=actor)
    if tiers:
        _review_everyone(program, tiers, through or today, actor, summary)
    program.last_reviewed_on = today
    program.last_review_summary = dict(summary)
    program.save()
    audit.record(actor, "tier.review", program, after={"on": today, **summary})
    return dict(summary)


def _review_everyone(program, tiers, through, actor, summary: Counter) -> None:
    member_ids = list(
        Member.objects.filter(status=Member.Status.ACTIVE).values_list("pk", flat=True)
    )
    # Only the standings are locked (not their members or tiers), in member id order: the order
    # a merge locks two standings in, so a merge during the review can't deadlock with it.
    locked = TierStanding.objects.select_for_update(of=("self",)).select_related("tier")
    standings = {
        standing.member_id: standing
        for standing in locked.filter(member__status=Member.Status.ACTIVE).order_by("member_id")
    }
    values = metrics.measure(member_ids, program, through)
    by_id = {tier.pk: tier for tier in tiers}
    now = timezone.now()
    created, moved, changes = [], [], []
    for member_id in member_ids:
        value = values[member_id]
        standing = standings.get(member_id)
        current = by_id.get(standing.tier_id) if standing else None
        target, kind = decide(program, tiers, standing, current, value)
        measure = metrics.describe(program, value, through)
        reason = _("等级评定：%(measure)s") % {"measure": measure}
        from_tier = standing.tier_id if standing else None
        changes.append(_change(member_id, kind, from_tier, target.pk, reason, value, actor))
        summary[kind] += 1
        if standing is None:
            created.append(TierStanding(member_id=member_id, tier=target, since=now))
        elif target.pk != standing.tier_id:
            standing.tier, standing.since = target, now
            moved.append(standing)
    TierStanding.objects.bulk_create(created)
    TierStanding.objects.bulk_update(moved, ["tier", "since"])
    TierChange.objects.bulk_create(changes)


def decide(program, tiers: list[Tier], standing, current: Tier | None, value: int):
    """(target tier, kind of change) for one member; `current` is None when the member has no
    standing or their tier was deactivated."""
    qualified = qualifying_tier(tiers, value)
    if current is None:
        if standing is None:
            return qualified, Kind.START
        return qualified, _direction(standing.tier.rank, qualified.rank)
    if qualified.rank > current.rank:
        return qualified, Kind.UPGRADE
    if value >= current.retention_threshold:
        return current, Kind.KEEP
    below = [tier for tier in tiers if tier.rank < current.rank]
    if not below:
        return current, Kind.KEEP
    if program.downgrade == TierProgram.Downgrade.ONE_LEVEL:
        return below[-1], Kind.DOWNGRADE
    kept = [tier for tier in below if value >= tier.retention_threshold]
    return (kept[-1] if kept else below[0]), Kind.DOWNGRADE


def _direction(old_rank: int, new_rank: int) -> str:
    if new_rank > old_rank:
        return Kind.UPGRADE
    return Kind.DOWNGRADE if new_rank < old_rank else Kind.KEEP


def _change(member_id, kind, from_id, to_id, reason, value=None, actor=None) -> TierChange:
    return TierChange(
        member_id=member_id,
        kind=kind,
        from_tier_id=from_id,
        to_tier_id=to_id,
        reason=reason,
        metric_value=value,
        operator=actor.operator if actor else None,
    )
