"""Every write to points: earn, redeem, pay, adjust, claw back, refund, expire.

Each movement is one ledger row written with the balance and the lots it moves, under the
account's row lock (lock order in core/ledgers.py: the points account comes first). Crediting
rows open one lot; debiting rows draw lots first-expiring first and record each draw, so the
lots stay exact. Due lots are expired before any debit, so a balance is never spent from points
that have already lapsed.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.members.selectors import with_absorbed
from huiyuan.points import expiry, payment
from huiyuan.points.models import (
    EARNING_KINDS,
    PointsAccount,
    PointsDraw,
    PointsEntry,
    PointsLot,
    PointsProgram,
)
from huiyuan.points.signals import points_earned

Kind = PointsEntry.Kind
BY_RULE = object()  # a lot's expiry as the program's rule sets it


def locked_account(member) -> PointsAccount:
    """The member's points account, created if missing, locked for this transaction."""
    PointsAccount.objects.bulk_create([PointsAccount(member=member)], ignore_conflicts=True)
    return PointsAccount.objects.select_for_update().get(member=member)


def _positive(points: int, field: str = "points") -> int:
    if not isinstance(points, int) or isinstance(points, bool) or points <= 0:
        raise DomainError("VALIDATION_ERROR", fields={field: _("积分必须是正整数")})
    return points


def _entry(account, actor, kind, delta, *, ref_type="", ref_no="", reason="") -> PointsEntry:
    account.balance += delta
    account.save(update_fields=["balance", "last_purchase_on", "last_check_in_on"])
    return PointsEntry.objects.create(
        account=account,
        member_id=account.member_id,
        kind=kind,
        delta=delta,
        balance_after=account.balance,
        ref_type=ref_type,
        ref_no=ref_no,
        reason=reason,
        **PointsEntry.actor_fields(actor),
    )


def credit(
    account,
    actor,
    kind,
    points,
    *,
    earned_at=None,
    expires_on=BY_RULE,
    ref_type="",
    ref_no="",
    reason="",
) -> PointsEntry:
    """One crediting row and its lot, expiring on `expires_on` (None: no fixed date) or, by
    default, by the program's rule."""
    earned_at = earned_at or timezone.now()
    if expires_on is BY_RULE:
        expires_on = expiry.lot_expiry(PointsProgram.current(), timezone.localdate(earned_at))
    entry = _entry(account, actor, kind, points, ref_type=ref_type, ref_no=ref_no, reason=reason)
    lot = PointsLot.objects.create(
        account=account,
        entry=entry,
        earned_at=earned_at,
        expires_on=expires_on,
        original=points,
        remaining=points,
        source=kind,
        ref_type=ref_type,
        ref_no=ref_no,
    )
    if kind in EARNING_KINDS:
        _settle_debt(account, actor, lot)
        points_earned.send(sender=PointsEntry, member=account.member, entry=entry)
    return entry


def _settle_debt(account, actor, lot) -> None:
    """Earned points first pay the account's points debt (a return's clawback the member had
    already spent): a clawback row drawing the new lot, so tier progress drops with it."""
    settled = min(account.debt, lot.original)
    if settled <= 0:
        return
    account.debt -= settled
    account.save(update_fields=["debt"])
    debit(
        account,
        actor,
        Kind.CLAWBACK,
        settled,
        lots=[lot],
        ref_type="points_debt",
        reason=_("抵扣退货积分欠账"),
    )


def debit(account, actor, kind, points, *, lots=None, ref_type="", ref_no="", reason=""):
    """One debiting row drawing `points` from `lots` (default: live lots, first-expiring first).
    POINTS_INSUFFICIENT, nothing written, when they hold fewer."""
    lots = list(lots if lots is not None else account.lots.filter(remaining__gt=0))
    if sum(lot.remaining for lot in lots) < points:
        raise DomainError("POINTS_INSUFFICIENT", field="points")
    entry = _entry(account, actor, kind, -points, ref_type=ref_type, ref_no=ref_no, reason=reason)
    left = points
    for lot in lots:
        taken = min(lot.remaining, left)
        if taken == 0:
            continue
        lot.remaining -= taken
        lot.save(update_fields=["remaining"])
        PointsDraw.objects.create(entry=entry, lot=lot, points=taken)
        left -= taken
    return entry


def expire_account(account, today: datetime.date) -> int:
    """Expire the account's lapsed lots (one ledger row per lot); returns the points expired."""
    program = PointsProgram.current()
    live = account.lots.filter(remaining__gt=0)
    inactivity = program.expiry_mode == PointsProgram.ExpiryMode.INACTIVITY
    if inactivity and _inactive(account, program, today):
        due = list(live)
    else:  # a lot keeps the expiry date it was earned with, whatever the mode is now
        due = list(live.filter(expires_on__lt=today))
    expired = 0
    for lot in due:
        expired += lot.remaining
        debit(
            account,
            Actor.system(),
            Kind.EXPIRE,
            lot.remaining,
            lots=[lot],
            ref_type=lot.ref_type,
            ref_no=lot.ref_no,
            reason=_("积分到期") if lot.expires_on else _("长期无消费，积分失效"),
        )
    return expired


def _inactive(account, program, today: datetime.date) -> bool:
    """No purchase for the program's months (counted from the latest lot before any purchase)."""
    since = account.last_purchase_on
    if since is None:
        latest = account.lots.order_by("-earned_at").values_list("earned_at", flat=True).first()
        if latest is None:
            return False
        since = timezone.localdate(latest)
    return expiry.lapses_on(program, since) <= today


def _open(member) -> PointsAccount:
    """The locked account of an active member with its lapsed lots expired, ready to move."""
    member.check_active()
    account = locked_account(member)
    expire_account(account, timezone.localdate())
    return account


@transaction.atomic
def earn_points(
    *,
    actor: Actor,
    member,
    points: int,
    kind: str = Kind.EARN,
    ref_type: str = "",
    ref_no: str = "",
    reason: str = "",
    earned_at: datetime.datetime | None = None,
) -> PointsEntry:
    """Credit earned points as a new lot expiring by the program's rule. A purchase (kind earn)
    also counts as activity for the inactivity expiry mode."""
    _positive(points)
    if kind not in (*EARNING_KINDS, Kind.ADJUST, Kind.REFUND, Kind.TRANSFER):
        raise ValueError(f"{kind!r} does not credit points")
    account = _open(member)
    if repeat := _repeat(account, kind, points, ref_type, ref_no):
        return repeat
    if kind == Kind.EARN:
        day = timezone.localdate(earned_at) if earned_at else timezone.localdate()
        account.last_purchase_on = max(day, account.last_purchase_on or day)
    return credit(
        account,
        actor,
        kind,
        points,
        earned_at=earned_at,
        ref_type=ref_type,
        ref_no=ref_no,
        reason=reason,
    )


@transaction.atomic
def redeem_points(
    *,
    actor: Actor,
    member,
    points: int,
    ref_type: str,
    ref_no: str,
    reason: str = "",
    typed_reference: bool = False,
) -> PointsEntry:
    """Points exchanged for a gift or service at the desk (the generic points_redeem).

    A till retrying a call gets the first row back. `typed_reference`: a person typed the
    reference (the desk), so one already used is a second redemption with a reused number, not
    a retry: POINTS_REFERENCE_USED, nothing moved."""
    _positive(points)
    account = _open(member)
    if typed_reference and ref_no:
        used = account.entries.filter(kind=Kind.REDEEM, ref_type=ref_type, ref_no=ref_no)
        if used.exists():
            message = _("该单号已用于另一次兑换，请填写新的兑换单号")
            raise DomainError("POINTS_REFERENCE_USED", fields={"ref_no": message})
    if repeat := _repeat(account, Kind.REDEEM, -points, ref_type, ref_no):
        return repeat
    entry = debit(
        account, actor, Kind.REDEEM, points, ref_type=ref_type, ref_no=ref_no, reason=reason
    )
    audit.record(actor, "points.redeem", member, after=_summary(entry))
    return entry


@transaction.atomic
def spend_points(
    *,
    actor: Actor,
    member,
    points: int,
    ref_type: str,
    ref_no: str,
    order_total_fen: int | None = None,
) -> PointsEntry:
    """Points used as payment for an order. With `order_total_fen` the program's points-as-payment
    rule is checked under the lock (POINTS_PAYMENT_NOT_ALLOWED); `payment.points_value_fen` says
    what the points are worth."""
    _positive(points)
    account = _open(member)
    if repeat := _repeat(account, Kind.PAY, -points, ref_type, ref_no):
        return repeat
    if order_total_fen is not None:
        payment.points_payment_fen(
            PointsProgram.current(), points, order_total_fen, account.balance
        )
    return debit(account, actor, Kind.PAY, points, ref_type=ref_type, ref_no=ref_no)


def _repeat(account, kind: str, delta: int, ref_type: str, ref_no: str) -> PointsEntry | None:
    """The row an earlier call with the same kind and reference wrote (a till retrying after a
    timeout gets it back and nothing moves again); POINTS_REFERENCE_USED when the points differ."""
    if not ref_no:
        return None
    earlier = account.entries.filter(kind=kind, ref_type=ref_type, ref_no=ref_no).first()
    if earlier is not None and earlier.delta != delta:
        raise DomainError("POINTS_REFERENCE_USED", field="ref_no")
    return earlier


@transaction.atomic
def adjust_points(*, actor: Actor, member, delta: int, reason: str) -> PointsEntry:
    """A manual correction: positive opens a lot, negative draws lots. A reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("VALIDATION_ERROR", fields={"reason": _("请填写调整原因")})
    if not isinstance(delta, int) or isinstance(delta, bool) or delta == 0:
        raise DomainError("VALIDATION_ERROR", fields={"delta": _("调整积分必须是非零整数")})
    account = _open(member)
    if delta > 0:
        entry = credit(account, actor, Kind.ADJUST, delta, ref_type="adjust", reason=reason)
    else:
        entry = debit(account, actor, Kind.ADJUST, -delta, ref_type="adjust", reason=reason)
    audit.record(actor, "points.adjust", member, after=_summary(entry))
    return entry


@dataclass(frozen=True)
class Clawback:
    entry: PointsEntry | None
    points: int  # clawed back
    shortfall: int  # asked for but already spent: the checkout may deduct it from the refund


@transaction.atomic
def clawback_points(
    *, actor: Actor, member, ref_no: str, points: int, ref_type: str = "order", reason: str = ""
) -> Clawback:
    """Take back points earned on an order's returned lines: from that order's own lots first,
    then first-expiring. Never more than the order earned net of earlier clawbacks
    (POINTS_CLAWBACK_EXCEEDS_EARNED), never below zero: what the member already spent is the
    shortfall."""
    _positive(points)
    account = _open(member)
    if points > _net(account, ref_no, EARNING_KINDS, Kind.CLAWBACK):
        raise DomainError("POINTS_CLAWBACK_EXCEEDS_EARNED", field="points")
    taken = min(points, account.balance)
    if taken == 0:
        return Clawback(None, 0, points)
    live = account.lots.filter(remaining__gt=0)
    lots = [*live.filter(ref_no=ref_no), *live.exclude(ref_no=ref_no)]
    entry = debit(
        account,
        actor,
        Kind.CLAWBACK,
        taken,
        lots=lots,
        ref_type=ref_type,
        ref_no=ref_no,
        reason=reason or _("退货扣回积分"),
    )
    return Clawback(entry, taken, points - taken)


@transaction.atomic
def owe_points(*, member, points: int) -> PointsAccount:
    """Record a clawback's shortfall as points debt (the returns setting "debt"): the balance
    stays as it is, never negative; the next earnings settle the debt first."""
    _positive(points)
    account = locked_account(member)
    account.debt += points
    account.save(update_fields=["debt"])
    return account


@transaction.atomic
def refund_points(
    *, actor: Actor, member, ref_no: str, points: int, ref_type: str = "order"
) -> PointsEntry:
    """Give back points that paid for returned goods, as a lot valid as long as the latest lot
    they were drawn from (never more than the order's points payment net of earlier refunds)."""
    _positive(points)
    account = _open(member)
    if points > _net(account, ref_no, (Kind.PAY,), Kind.REFUND, sign=-1):
        raise DomainError("POINTS_REFUND_EXCEEDS_PAID", field="points")
    latest = (
        PointsLot.objects.filter(
            draws__entry__account=account, draws__entry__kind=Kind.PAY, draws__entry__ref_no=ref_no
        )
        .order_by(F("expires_on").desc(nulls_first=True))
        .first()
    )
    return credit(
        account,
        actor,
        Kind.REFUND,
        points,
        ref_type=ref_type,
        ref_no=ref_no,
        expires_on=latest.expires_on if latest else BY_RULE,
        reason=_("退货退回抵现积分"),
    )


def _net(account, ref_no: str, kinds, undo_kind: str, sign: int = 1) -> int:
    """Points moved on `ref_no` by `kinds`, minus what `undo_kind` rows already reversed (over
    the member's own rows and those of records merged into it: a merged record's order is
    returned on the kept member's account, where its points went)."""
    rows = PointsEntry.objects.filter(
        member_id__in=with_absorbed(account.member), ref_no=ref_no
    ).filter(Q(kind__in=kinds) | Q(kind=undo_kind))
    return sign * (rows.aggregate(total=Sum("delta"))["total"] or 0)


def _summary(entry: PointsEntry) -> dict:
    return {
        "kind": entry.kind,
        "delta": entry.delta,
        "balance_after": entry.balance_after,
        "reason": entry.reason,
        "ref_no": entry.ref_no,
    }
