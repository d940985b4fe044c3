"""Tier writes: configure levels and the program, place a new member, upgrade at once when points
earned cross a threshold, override a member's tier by hand. Yearly re-evaluation: `review.py`.

A member's `TierStanding` row is locked (`select_for_update`) before it changes; it is last in the
lock order of `core.ledgers`, so an upgrade inside a points transaction can't deadlock.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.tiers import metrics
from huiyuan.tiers.models import Tier, TierChange, TierProgram, TierStanding
from huiyuan.tiers.selectors import base_tier, current_program, ladder, qualifying_tier

TIER_FIELDS = [
    "rank",
    "name",
    "entry_threshold",
    "retention_threshold",
    "discount_permille",
    "points_multiplier_permille",
    "birthday_multiplier_permille",
    "perks",
    "is_active",
]
PROGRAM_FIELDS = ["metric", "window_months", "review_month", "review_day", "downgrade"]
MAX_MULTIPLIER_PERMILLE = 10_000
MAX_PERKS, MAX_PERK_LENGTH = 20, 50


@transaction.atomic
def create_tier(*, actor: Actor, **fields) -> Tier:
    tier = Tier(**fields)
    _save_valid(tier)
    audit.record(actor, "tier.create", tier, after=audit.snapshot(tier, TIER_FIELDS))
    return tier


@transaction.atomic
def update_tier(*, actor: Actor, tier: Tier, **changes) -> Tier:
    tier = Tier.objects.select_for_update().get(pk=tier.pk)
    before = audit.snapshot(tier, TIER_FIELDS)
    for name, value in changes.items():
        setattr(tier, name, value)
    _save_valid(tier)
    old, new = audit.changes(before, audit.snapshot(tier, TIER_FIELDS))
    if new:
        audit.record(actor, "tier.update", tier, before=old, after=new)
    return tier


def _save_valid(tier: Tier) -> None:
    tier.name = tier.name.strip()
    tier.perks = [perk.strip() for perk in tier.perks if perk.strip()]
    errors = {}
    if tier.retention_threshold > tier.entry_threshold:
        errors["retention_threshold"] = _("保级门槛不能高于升级门槛")
    if not 1 <= tier.discount_permille <= 1000:
        errors["discount_permille"] = _("折扣须在 1 至 1000 之间（1000 = 不打折）")
    if len(tier.perks) > MAX_PERKS or any(len(perk) > MAX_PERK_LENGTH for perk in tier.perks):
        errors["perks"] = _("权益最多 20 项，每项不超过 50 个字")
    multipliers = ("points_multiplier_permille", "birthday_multiplier_permille")
    for name in multipliers:
        value = getattr(tier, name)
        if value is not None and not 1000 <= value <= MAX_MULTIPLIER_PERMILLE:
            errors[name] = _("倍率须在 1000 至 10000 之间（1000 = 1 倍）")
    others = Tier.objects.exclude(pk=tier.pk)
    if others.filter(rank=tier.rank).exists():
        errors["rank"] = _("已有相同级别序号的等级")
    if others.filter(name=tier.name).exists():
        errors["name"] = _("已有同名的等级")
    if tier.is_active and "rank" not in errors:
        errors.update(_ladder_errors(tier, others.filter(is_active=True)))
    if errors:
        raise DomainError("VALIDATION_ERROR", fields=errors)
    try:
        tier.full_clean()
    except ValidationError as exc:
        raise DomainError.from_validation(exc) from exc
    tier.save()


def _ladder_errors(tier: Tier, other_active) -> dict:
    """A higher rank must need more points: entry thresholds grow strictly with the rank."""
    below = other_active.filter(rank__lt=tier.rank).order_by("-rank").first()
    above = other_active.filter(rank__gt=tier.rank).order_by("rank").first()
    if below and tier.entry_threshold <= below.entry_threshold:
        message = _("升级门槛须高于较低等级“%(name)s”的 %(points)d 分")
        return {"entry_threshold": message % {"name": below.name, "points": below.entry_threshold}}
    if above and tier.entry_threshold >= above.entry_threshold:
        message = _("升级门槛须低于较高等级“%(name)s”的 %(points)d 分")
        return {"entry_threshold": message % {"name": above.name, "points": above.entry_threshold}}
    return {}


@transaction.atomic
def update_program(*, actor: Actor, **changes) -> TierProgram:
    program = TierProgram.objects.select_for_update().filter(pk=1).first() or TierProgram(pk=1)
    before = audit.snapshot(program, PROGRAM_FIELDS)
    for name, value in changes.items():
        setattr(program, name, value)
    try:
        program.full_clean()
    except ValidationError as exc:
        raise DomainError.from_validation(exc) from exc
    program.save()
    old, new = audit.changes(before, audit.snapshot(program, PROGRAM_FIELDS))
    if new:
        audit.record(actor, "tier_program.update", program, before=old, after=new)
    return program


@transaction.atomic
def start_member(*, actor: Actor, member, card_type=None) -> TierChange | None:
    """A new member starts in their card type's starting tier, or the lowest tier."""
    tier = getattr(card_type, "starting_tier", None) or base_tier()
    if tier is None:
        return None
    return place_member(actor, member, None, tier, TierChange.Kind.START, _("新会员"))


@transaction.atomic
def check_upgrade(*, member, actor: Actor | None = None) -> TierChange | None:
    """Upgrade at once when the points earned so far reach a higher tier's entry threshold.
    Never downgrades: that waits for the re-evaluation."""
    tiers = ladder()
    if not tiers:
        return None
    program = current_program()
    today = timezone.localdate()
    value = metrics.measure([member.pk], program, today)[member.pk]
    target = qualifying_tier(tiers, value)
    standing = _locked_standing(member)
    current = standing.tier if standing else None
    if current is not None and target.rank <= current.rank:
        return None
    kind = TierChange.Kind.UPGRADE if current else TierChange.Kind.START
    reason = _("%(measure)s，达到“%(tier)s”的升级门槛") % {
        "measure": metrics.describe(program, value, today),
        "tier": target.name,
    }
    return place_member(actor or Actor.system(), member, standing, target, kind, reason, value)


def place_member(actor, member, standing, tier, kind, reason, value=None) -> TierChange:
    """Put a member in `tier` with a history row; the caller holds `standing`'s lock (or the
    member has none yet)."""
    current = standing.tier if standing else None
    _place(standing, member, tier)
    return _history(actor, member, kind, current, tier, reason, value)


@transaction.atomic
def override_tier(
    *, actor: Actor, member, tier: Tier, reason: str, until: datetime.date
) -> TierStanding:
    """Put a member in `tier` by hand until `until` (included); then the earned tier applies."""
    member.check_active()
    reason = reason.strip()
    errors = {}
    if not reason:
        errors["reason"] = _("请填写原因")
    if until < timezone.localdate():
        errors["until"] = _("结束日期不能早于今天")
    if not tier.is_active:
        errors["tier"] = _("该等级已停用")
    if errors:
        raise DomainError("VALIDATION_ERROR", fields=errors)
    standing = _locked_standing(member)
    if standing is None:
        standing = _place(None, member, base_tier() or tier)
    before = standing.override_tier
    standing.override_tier, standing.override_until = tier, until
    standing.override_reason, standing.override_by = reason, actor.operator
    standing.save()
    shown = _("%(reason)s（至 %(until)s）") % {"reason": reason, "until": until.isoformat()}
    _history(actor, member, TierChange.Kind.OVERRIDE, before or standing.tier, tier, shown)
    audit.record(
        actor,
        "tier.override",
        member,
        after={"tier": tier.name, "until": until, "reason": reason},
        store=member.store,
    )
    return standing


@transaction.atomic
def end_override(*, actor: Actor, member, reason: str) -> TierStanding:
    """End a running override now; the member is back in their earned tier."""
    standing = _locked_standing(member)
    if standing is None or standing.override_tier_id is None:
        raise DomainError("VALIDATION_ERROR", _("该会员没有手动指定的等级"))
    ended = standing.override_tier
    clear_override(standing)
    standing.save()
    _history(actor, member, TierChange.Kind.OVERRIDE_END, ended, standing.tier, reason)
    audit.record(
        actor, "tier.override_end", member, before={"tier": ended.name}, store=member.store
    )
    return standing


def clear_override(standing: TierStanding) -> None:
    standing.override_tier = standing.override_until = standing.override_by = None
    standing.override_reason = ""


def _locked_standing(member) -> TierStanding | None:
    return (
        TierStanding.objects.select_for_update(of=("self",))
        .select_related("tier", "override_tier")
        .filter(member=member)
        .first()
    )


def _place(standing: TierStanding | None, member, tier: Tier) -> TierStanding:
    if standing is None:
        return TierStanding.objects.create(member=member, tier=tier, since=timezone.now())
    standing.tier, standing.since = tier, timezone.now()
    standing.save(update_fields=["tier", "since"])
    return standing


def _history(actor, member, kind, from_tier, to_tier, reason="", value=None) -> TierChange:
    return TierChange.objects.create(
        member=member,
        kind=kind,
        from_tier=from_tier,
        to_tier=to_tier,
        reason=reason[:200],
        metric_value=value,
        operator=actor.operator,
    )
