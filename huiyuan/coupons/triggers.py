"""Coupons issued when something happens to a member (`CouponTrigger` rows, set on the 发券规则
page), each at most once per occasion (`issue_coupon(once=True)` with the occasion as reference):

- registration: a new member (counter, API, member website; imports are existing members and get
  none), from the `post_save` of the member (receivers.py), in the registration's transaction;
- birthday: the daily job, `days_before` the birthday (29 February counts as 28 February in other
  years), once per member and year;
- first purchase and referral: `on_purchase`, which the checkout calls after payment: the first
  purchase's coupons, and the referrer's when the referee's first purchase reaches the points
  program's referral threshold (the same rule as referral points), once per referee;
- tier upgrade: each upgrade (`TierChange` UPGRADE) to the trigger's tier, or to any tier when
  it names none: at once (receivers.py), and the yearly review's bulk upgrades by the daily job;
- after-purchase thresholds (满68送5): the engine's `CouponToIssue`, issued by `on_purchase` with
  the step's face value, one per template and order.
"""

import calendar
import datetime
import logging

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.coupons.models import Coupon, CouponSource, CouponTemplate, CouponTrigger
from huiyuan.coupons.services import issue_coupon
from huiyuan.members.models import Member

log = logging.getLogger(__name__)
Event = CouponTrigger.Event
PURCHASE = CouponSource.PURCHASE
SOURCES = {
    Event.REGISTRATION: CouponSource.REGISTRATION,
    Event.BIRTHDAY: CouponSource.BIRTHDAY,
    Event.FIRST_PURCHASE: CouponSource.FIRST_PURCHASE,
    Event.REFERRAL: CouponSource.REFERRAL,
    Event.TIER_UPGRADE: CouponSource.TIER,
}


MAX_DAYS_BEFORE = 60
TRIGGER_FIELDS = ["event", "template", "days_before", "tier", "is_active"]


@transaction.atomic
def save_trigger(*, actor: Actor, trigger: CouponTrigger) -> CouponTrigger:
    """Create or change a trigger (audited); a birthday coupon goes out at most 60 days ahead."""
    if not 0 <= trigger.days_before <= MAX_DAYS_BEFORE:
        message = _("提前天数须在 0 至 %(max)d 天之间") % {"max": MAX_DAYS_BEFORE}
        raise DomainError("VALIDATION_ERROR", fields={"days_before": message})
    creating = trigger.pk is None
    before = {} if creating else _snapshot(CouponTrigger.objects.get(pk=trigger.pk))
    trigger.save()
    old, new = audit.changes(before, _snapshot(trigger))
    if creating or new:
        audit.record(actor, "coupon_trigger.save", trigger, before=old or None, after=new)
    return trigger


def _snapshot(trigger: CouponTrigger) -> dict:
    picture = audit.snapshot(trigger, TRIGGER_FIELDS)
    picture["template"] = trigger.template.name
    return picture


def _active(event: str):
    return CouponTrigger.objects.filter(
        event=event, is_active=True, template__is_active=True
    ).select_related("template")


def fire(event: str, member: Member, *, actor: Actor, ref: str, triggers=None, at=None) -> list:
    """Issue every active trigger's coupon for this event (once per `ref`)."""
    found = triggers if triggers is not None else _active(event)
    coupons = (_quietly(t.template, member, SOURCES[event], actor, ref, at) for t in found)
    return [coupon for coupon in coupons if coupon is not None]


def _quietly(template, member, source, actor, ref, at, face_fen=None) -> Coupon | None:
    """Issue once per `ref`; a template that refuses (expired window, per-member limit, switched
    off) is skipped and logged: a coupon never blocks the registration, sale or upgrade that
    triggered it."""
    try:
        return issue_coupon(
            template,
            member,
            source=source,
            actor=actor,
            at=at,
            face_fen=face_fen,
            source_ref=ref,
            once=True,
        )
    except DomainError as error:
        log.warning("coupon %s not issued to %s: %s", template, member, error.message)
        return None


def on_registration(member: Member, actor: Actor) -> list[Coupon]:
    return fire(Event.REGISTRATION, member, actor=actor, ref=member.member_no)


def on_tier_upgrade(change) -> list[Coupon]:
    """One `TierChange` of kind UPGRADE: the coupons for its new tier (once per change)."""
    triggers = _active(Event.TIER_UPGRADE).filter(Q(tier=change.to_tier_id) | Q(tier=None))
    actor = Actor(operator=change.operator)
    ref = f"tier-{change.pk}"
    return fire(Event.TIER_UPGRADE, change.member, actor=actor, ref=ref, triggers=triggers)


def tier_upgrade_catch_up(since: datetime.datetime) -> int:
    """The daily job: the yearly tier review writes its changes in bulk (no signal), so its
    upgrades since `since` get their coupons here (once per upgrade: one already served gets
    nothing new). Returns how many upgrades were looked at."""
    from huiyuan.tiers.models import TierChange

    if not _active(Event.TIER_UPGRADE).exists():
        return 0
    changes = TierChange.objects.filter(kind=TierChange.Kind.UPGRADE, created_at__gte=since)
    changes = list(changes.select_related("member", "operator").order_by("pk"))
    for change in changes:
        with transaction.atomic():
            on_tier_upgrade(change)
    return len(changes)


@transaction.atomic
def on_purchase(
    *,
    member: Member,
    order_ref: str,
    at: datetime.datetime,
    coupons_to_issue=(),
    actor: Actor,
    first_purchase: bool = False,
    amount_fen: int = 0,
) -> list[Coupon]:
    """After a member's purchase is paid (the checkout calls this in the sale's transaction):
    the engine's `CouponToIssue` (满68送5: source PURCHASE, the step's face value), and on the
    first purchase the first-purchase coupons and the referrer's referral coupons."""
    templates = CouponTemplate.objects.in_bulk({item.template_id for item in coupons_to_issue})
    issued = [
        _quietly(templates[item.template_id], member, PURCHASE, actor, order_ref, at, item.face_fen)
        for item in coupons_to_issue
    ]
    issued = [coupon for coupon in issued if coupon is not None]
    if first_purchase:
        issued += fire(Event.FIRST_PURCHASE, member, actor=actor, ref=order_ref, at=at)
        issued += _referral(member, actor, amount_fen, at)
    return issued


def _referral(referee: Member, actor: Actor, amount_fen: int, at) -> list[Coupon]:
    from huiyuan.points.models import PointsProgram

    referrer = referee.referrer
    if referrer is None or referrer.status != Member.Status.ACTIVE:
        return []
    if amount_fen < PointsProgram.current().referral_threshold_fen:
        return []
    return fire(Event.REFERRAL, referrer, actor=actor, ref=referee.member_no, at=at)


def birthday_coupons(today: datetime.date, actor: Actor | None = None) -> int:
    """The daily job: each birthday trigger's coupon to the members whose birthday is
    `days_before` days from today; once per member and year (the reference is the year). A member
    the template refuses is skipped. Returns how many were issued."""
    actor = actor or Actor.system()
    issued = 0
    for trigger in _active(Event.BIRTHDAY):
        day = today + datetime.timedelta(days=trigger.days_before)
        ref = str(day.year)
        served = Coupon.objects.filter(
            member=OuterRef("pk"),
            template=trigger.template,
            source=CouponSource.BIRTHDAY,
            source_ref=ref,
        )  # one coupon with all three (an exclude() across coupons__ would mix coupons)
        members = celebrating(day).exclude(Exists(served))
        for member in members:
            issued += len(fire(Event.BIRTHDAY, member, actor=actor, ref=ref, triggers=[trigger]))
    return issued


def celebrating(day: datetime.date):
    """Active members whose birthday falls on `day` (29 February on the 28th in common years)."""
    dates = Q(birthday__month=day.month, birthday__day=day.day)
    if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
        dates |= Q(birthday__month=2, birthday__day=29)
    return Member.objects.filter(dates, status=Member.Status.ACTIVE).order_by("pk")
