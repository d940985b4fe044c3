"""Coupons: issue, use, restore after a return, revoke, expire. Every state change writes a
`CouponEvent` in the same transaction; a refusal writes nothing.

- Validity is fixed at issue (`validity_window`): fixed dates, N days from the issue day (the
  issue day counts as day 1), or the next member day only (valid_from = valid_until = that day,
  strictly after the issue day: a coupon earned on a Tuesday member day is for next Tuesday).
- The per-member limit counts the member's coupons of the template that were not revoked (a
  coupon revoked by mistake can be issued again), those of records merged into the member too
  (a merge doesn't renew a limit: the duplicate's used coupons stay in its history). Issuing
  with a limit or once per occasion locks the member's row, so two tills can't both pass the
  check.
- Only an issued coupon inside its window (and at a store of its scope) can be used; a used one
  comes back with a return (`restore`) as issued while its window lasts, else expired.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import Store
from huiyuan.coupons import codes
from huiyuan.coupons.models import (
    Coupon,
    CouponEvent,
    CouponKind,
    CouponSource,
    CouponState,
    CouponTemplate,
    Validity,
)
from huiyuan.members.models import Member
from huiyuan.members.selectors import with_absorbed

Kind = CouponEvent.Kind
CODE_ATTEMPTS = 5
EXPIRY_BATCH = 1000
# Codes of refusals for a coupon that can't be used, by state.
STATE_ERRORS = {
    CouponState.USED: "COUPON_USED",
    CouponState.EXPIRED: "COUPON_EXPIRED",
    CouponState.REVOKED: "COUPON_NOT_APPLICABLE",
}
MEMBER_ERRORS = {Member.Status.CANCELLED: "MEMBER_CANCELLED", Member.Status.MERGED: "MEMBER_MERGED"}


def validity_window(
    template: CouponTemplate, issued_on: datetime.date, store: Store | None = None
) -> tuple[datetime.date, datetime.date]:
    """The first and last day (both included) a coupon issued on `issued_on` is valid."""
    if template.validity == Validity.FIXED:
        return template.valid_from, template.valid_until
    if template.validity == Validity.DAYS:
        return issued_on, issued_on + datetime.timedelta(days=template.valid_days - 1)
    member_day = template.member_day or store_member_day(store)
    day = member_day.next_occurrence(issued_on) if member_day is not None else None
    if day is None:
        raise DomainError(
            "VALIDATION_ERROR", _("没有可用的会员日，无法确定该券的有效日期"), field="validity"
        )
    return day, day


def store_member_day(store: Store | None):
    """The member day a template without one follows: the store's own (a village store's market
    days), else the chain-wide one (no stores named)."""
    from huiyuan.promotions.models import MemberDay

    days = MemberDay.objects.filter(is_active=True).order_by("pk")
    own = days.filter(stores=store).first() if store is not None else None
    return own or days.filter(stores=None).first()


@transaction.atomic
def issue_coupon(
    template: CouponTemplate,
    member: Member,
    *,
    source: str,
    actor: Actor,
    at: datetime.datetime | None = None,
    face_fen: int | None = None,
    source_ref: str = "",
    store: Store | None = None,
    once: bool = False,
    note: str = "",
) -> Coupon:
    """One coupon of `template` for `member`. `face_fen` overrides the template's (a rebate's or
    a ladder step's value); with `once`, a coupon of this template, source and reference already
    issued to the member is returned instead of a second one (triggers, jobs, retries). `note`
    goes on the issue event (default: the source's name)."""
    at = at or timezone.now()
    store = store or actor.store
    if once or template.per_member_limit:
        member = Member.objects.select_for_update().get(pk=member.pk)
    if once:
        existing = Coupon.objects.filter(
            template=template, member=member, source=source, source_ref=source_ref
        ).first()
        if existing is not None:
            return existing
    _check_can_issue(template, member, face_fen)
    valid_from, valid_until = validity_window(template, timezone.localdate(at), store)
    if valid_until < timezone.localdate(at):
        raise DomainError("COUPON_EXPIRED", _("该券模板的有效期已过，不能再发放"), field="template")
    coupon = _create(
        template=template,
        member=member,
        face_fen=template.face_fen if face_fen is None else face_fen,
        valid_from=valid_from,
        valid_until=valid_until,
        source=source,
        source_ref=source_ref[:64],
    )
    note = note or coupon.get_source_display()
    _event(coupon, Kind.ISSUED, actor, store=store, ref=source_ref, note=note)
    return coupon


@transaction.atomic
def issue_by_hand(
    template: CouponTemplate, member: Member, *, actor: Actor, note: str = ""
) -> Coupon:
    """手工发券 (the member page, the API): one coupon, audited with its reason."""
    note = note.strip()
    coupon = issue_coupon(template, member, source=CouponSource.MANUAL, actor=actor, note=note)
    after = {"template": template.name, "face_fen": coupon.face_fen, "reason": note}
    audit.record(actor, "coupon.issue", coupon, after=after, store=member.store)
    return coupon


def _check_can_issue(template: CouponTemplate, member: Member, face_fen: int | None) -> None:
    if not template.is_active:
        raise DomainError("COUPON_TEMPLATE_NOT_FOUND", _("该优惠券模板已停用"), field="template")
    if member.status != Member.Status.ACTIVE:
        raise DomainError(MEMBER_ERRORS[member.status])
    if face_fen is not None and (face_fen <= 0 or template.kind == CouponKind.PERCENT):
        raise ValueError("a face value override is positive, for a voucher")
    limit = template.per_member_limit
    if limit:
        held = Coupon.objects.filter(template=template, member__in=with_absorbed(member)).exclude(
            state=CouponState.REVOKED
        )
        if held.count() >= limit:
            raise DomainError("COUPON_LIMIT_REACHED", field="template")


def _create(**fields) -> Coupon:
    """The coupon under a fresh random code (drawn again on the one-in-billions clash)."""
    for _attempt in range(CODE_ATTEMPTS):
        code = codes.new_code()
        if not Coupon.objects.filter(code=code).exists():
            return Coupon.objects.create(code=code, **fields)
    raise RuntimeError("no free coupon code: is the random source broken?")


def _event(coupon: Coupon, kind: str, actor: Actor, *, store=None, ref="", note="") -> None:
    CouponEvent.objects.create(
        coupon=coupon,
        kind=kind,
        store=store or actor.store,
        operator=actor.operator,
        ref=ref[:64],
        note=note[:200],
    )


def _locked(coupon: Coupon) -> Coupon:
    return Coupon.objects.select_for_update().select_related("template").get(pk=coupon.pk)


def check_usable(coupon: Coupon, store: Store | None, on: datetime.date) -> None:
    """Refuse a coupon that can't be used today at this store (the cart's checks are the
    engine's); `fields["code"]` names the coupon."""
    fields = {"code": coupon.code}
    if coupon.state != CouponState.ISSUED:
        raise DomainError(STATE_ERRORS[coupon.state], fields=fields)
    if on > coupon.valid_until:
        raise DomainError("COUPON_EXPIRED", fields=fields)
    if on < coupon.valid_from:
        message = _("该优惠券 %(day)s 起才能使用") % {"day": coupon.valid_from.isoformat()}
        raise DomainError("COUPON_NOT_APPLICABLE", message, fields=fields)
    stores = coupon.template.stores.all()
    if stores and store not in stores:
        raise DomainError("COUPON_NOT_APPLICABLE", _("该优惠券不能在本门店使用"), fields=fields)


@transaction.atomic
def mark_used(
    coupon: Coupon, *, order_ref: str, store: Store | None, actor: Actor, at: datetime.datetime
) -> Coupon:
    coupon = _locked(coupon)
    check_usable(coupon, store, timezone.localdate(at))
    coupon.state, coupon.used_at, coupon.order_ref = CouponState.USED, at, order_ref[:64]
    coupon.save(update_fields=["state", "used_at", "order_ref"])
    _event(coupon, Kind.USED, actor, store=store, ref=order_ref)
    return coupon


@transaction.atomic
def restore(coupon: Coupon, *, ref: str, actor: Actor) -> Coupon:
    """A return gives a used coupon back: issued again while its window lasts, else expired."""
    coupon = _locked(coupon)
    if coupon.state != CouponState.USED:
        raise DomainError(
            "COUPON_NOT_APPLICABLE", _("只有已使用的优惠券才能退回"), fields={"code": coupon.code}
        )
    coupon.used_at, coupon.order_ref = None, ""
    still_valid = timezone.localdate() <= coupon.valid_until
    coupon.state = CouponState.ISSUED if still_valid else CouponState.EXPIRED
    coupon.save(update_fields=["state", "used_at", "order_ref"])
    _event(coupon, Kind.RESTORED, actor, ref=ref)
    if not still_valid:
        _event(coupon, Kind.EXPIRED, actor, ref=ref, note=_("退回时已过有效期"))
    return coupon


@transaction.atomic
def revoke(coupon: Coupon, *, actor: Actor, reason: str) -> Coupon:
    """作废 an unused coupon (issued by mistake, a member's complaint settled otherwise)."""
    coupon = _locked(coupon)
    if coupon.state != CouponState.ISSUED:
        raise DomainError(
            STATE_ERRORS[coupon.state],
            _("只有未使用的优惠券才能作废"),
            fields={"code": coupon.code},
        )
    reason = reason.strip()
    if not reason:
        raise DomainError("VALIDATION_ERROR", _("请填写作废原因"), field="reason")
    coupon.state = CouponState.REVOKED
    coupon.save(update_fields=["state"])
    _event(coupon, Kind.REVOKED, actor, note=reason)
    audit.record(
        actor,
        "coupon.revoke",
        coupon,
        after={"state": coupon.state, "reason": reason},
        store=coupon.member.store,
    )
    return coupon


def expire_due_coupons(today: datetime.date) -> int:
    """The daily job: issued coupons whose last day is before `today` become expired, each with
    its event; batches commit separately. Returns how many expired."""
    expired = 0
    while True:
        with transaction.atomic():
            due = list(
                Coupon.objects.select_for_update(skip_locked=True)
                .filter(state=CouponState.ISSUED, valid_until__lt=today)
                .values_list("pk", flat=True)[:EXPIRY_BATCH]
            )
            if not due:
                return expired
            Coupon.objects.filter(pk__in=due).update(state=CouponState.EXPIRED)
            CouponEvent.objects.bulk_create(
                CouponEvent(coupon_id=pk, kind=Kind.EXPIRED, note=_("有效期已过")) for pk in due
            )
            expired += len(due)
