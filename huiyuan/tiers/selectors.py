"""Reads of tiers that the till, the API, the pages and the points program share."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from huiyuan.core.ledgers import newest_first
from huiyuan.tiers import metrics
from huiyuan.tiers.models import Tier, TierChange, TierProgram, TierStanding


@dataclass(frozen=True)
class Benefits:
    """What a member's tier gives them. No tier (none configured) gives nothing extra."""

    tier: Tier | None = None
    discount_permille: int = 1000
    points_multiplier_permille: int = 1000
    birthday_multiplier_permille: int | None = None
    perks: list[str] = field(default_factory=list)


def current_program() -> TierProgram:
    """The settings row, or the defaults before anyone saved them."""
    return TierProgram.objects.first() or TierProgram(pk=1)


def ladder() -> list[Tier]:
    """The active tiers, lowest first."""
    return list(Tier.objects.filter(is_active=True).order_by("rank"))


def base_tier() -> Tier | None:
    """Where a member without a standing is: the lowest active tier."""
    return Tier.objects.filter(is_active=True).order_by("rank").first()


def standing_of(member) -> TierStanding | None:
    return (
        TierStanding.objects.select_related("tier", "override_tier", "override_by")
        .filter(member=member)
        .first()
    )


def override_running(standing: TierStanding, today: datetime.date | None = None) -> bool:
    """Whether a manual override applies (its end date included)."""
    today = today or timezone.localdate()
    return standing.override_tier_id is not None and standing.override_until >= today


def effective_tier(standing: TierStanding, today: datetime.date | None = None) -> Tier:
    """The override while it runs, else the earned tier."""
    return standing.override_tier if override_running(standing, today) else standing.tier


def tier_of(member) -> Tier | None:
    """The member's tier as the till applies it, a running override included."""
    standing = standing_of(member)
    return effective_tier(standing) if standing else base_tier()


def benefits_of(member) -> Benefits:
    return benefits_of_tier(tier_of(member))


def benefits_of_tier(tier: Tier | None) -> Benefits:
    if tier is None:
        return Benefits()
    return Benefits(
        tier=tier,
        discount_permille=tier.discount_permille,
        points_multiplier_permille=tier.points_multiplier_permille,
        birthday_multiplier_permille=tier.birthday_multiplier_permille,
        perks=list(tier.perks),
    )


def qualifying_tier(tiers: list[Tier], value: int) -> Tier | None:
    """The highest of `tiers` (lowest first) whose entry threshold `value` reaches; the lowest
    tier is everyone's floor."""
    reached = [tier for tier in tiers if tier.entry_threshold <= value]
    return reached[-1] if reached else (tiers[0] if tiers else None)


def next_tier(tiers: list[Tier], tier: Tier | None) -> Tier | None:
    """The next active tier above `tier` (the lowest one for no tier)."""
    above = [t for t in tiers if tier is None or t.rank > tier.rank]
    return above[0] if above else None


@dataclass(frozen=True)
class Progress:
    """Where a member stands against the thresholds today, for the member page and the API."""

    value: int  # the metric today: points earned in the program's window
    measure: str  # the value in words: '近 12 个月获得 250 分'
    next_tier: Tier | None
    needed: int  # points still to earn for the next tier (0 at the top)
    percent: int
    next_review_on: datetime.date


def progress_of(member, tier: Tier | None) -> Progress:
    program = current_program()
    today = timezone.localdate()
    value = metrics.measure([member.pk], program, today)[member.pk]
    following = next_tier(ladder(), tier)
    target = following.entry_threshold if following else 0
    return Progress(
        value=value,
        measure=metrics.describe(program, value, today),
        next_tier=following,
        needed=max(target - value, 0),
        percent=min(100, value * 100 // target) if target else 100,
        next_review_on=next_review_on(program, today),
    )


def review_date(program: TierProgram, year: int) -> datetime.date:
    return datetime.date(year, program.review_month, program.review_day)


def next_review_on(program: TierProgram, today: datetime.date) -> datetime.date:
    due = review_date(program, today.year)
    if due < today or (due == today and program.last_reviewed_on == today):
        due = review_date(program, today.year + 1)
    return due


@dataclass(frozen=True)
class MemberTier:
    """Everything the member page and the API show about one member's tier."""

    standing: TierStanding | None
    tier: Tier | None  # as the till applies it, a running override included
    overriding: bool
    benefits: Benefits
    progress: Progress


def member_tier(member) -> MemberTier:
    standing = standing_of(member)
    overriding = standing is not None and override_running(standing)
    tier = effective_tier(standing) if standing else base_tier()
    return MemberTier(
        standing=standing,
        tier=tier,
        overriding=overriding,
        benefits=benefits_of_tier(tier),
        # Progress is measured from the earned tier: an override doesn't move the goalposts.
        progress=progress_of(member, standing.tier if standing else tier),
    )


def history_of(member, *, kind: str = "", since=None, until=None) -> QuerySet:
    """The member's tier history, newest first, optionally one kind and a date window."""
    changes = TierChange.objects.filter(member=member).select_related(
        "from_tier", "to_tier", "operator"
    )
    return newest_first(changes, kind=kind, since=since, until=until)


def members_in_tier(members: QuerySet, tier: Tier, today: datetime.date | None = None) -> QuerySet:
    """`members` narrowed to those whose tier, as the till applies it, is `tier` (for the
    `?tier=` search filter and coupons per tier). One query, no per-member work."""
    today = today or timezone.localdate()
    running = Q(tier_standing__override_tier__isnull=False) & Q(
        tier_standing__override_until__gte=today
    )
    holds = (running & Q(tier_standing__override_tier=tier)) | (
        ~running & Q(tier_standing__tier=tier)
    )
    if tier == base_tier():
        holds |= Q(tier_standing__isnull=True)
    return members.filter(holds)
