"""Stored value: top up (with the bonus rule and optional points), refund a top-up, spend,
restore after a return, the payment password. Count cards live in `wallet/count_cards.py`
(re-exported here).

Every write locks the member's stored-value account first (core/ledgers.py lock order), writes
one ledger row per pot moved, and is audited; a refusal writes nothing.
"""

from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.core import audit, sequences
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.members.models import Member
from huiyuan.points.models import PointsEntry
from huiyuan.points.services import clawback_points, earn_points
from huiyuan.wallet import rules
from huiyuan.wallet.accounts import (
    check_can_use,
    check_payment_method,
    check_positive,
    locked_account,
    move,
)
from huiyuan.wallet.count_cards import expire_count_cards, sell_count_card, use_count_card
from huiyuan.wallet.models import (
    Pot,
    SpendingOrder,
    StoredValueAccount,
    StoredValueEntry,
    TopUp,
    WalletSettings,
)

__all__ = [
    "Split",
    "expire_count_cards",
    "refund_top_up",
    "restore_stored_value",
    "sell_count_card",
    "set_payment_password",
    "spend_stored_value",
    "top_up",
    "use_count_card",
]

Kind = StoredValueEntry.Kind
TOPUP_REF = "topup"


@dataclass(frozen=True)
class RefundQuote:
    forfeited_fen: int  # the top-up's bonus still in the account, forfeited
    refund_fen: int  # the money the customer gets back


@dataclass(frozen=True)
class Split:
    """How much of a payment came from each pot (a return restores the same proportions)."""

    principal_fen: int
    bonus_fen: int


@transaction.atomic
def top_up(
    *,
    actor: Actor,
    member: Member,
    amount_fen: int,
    payment_method: str,
    external_ref: str = "",
) -> TopUp:
    """充值: the amount into principal, the best matching rule's bonus into bonus."""
    check_positive(amount_fen, "amount_fen")
    check_payment_method(payment_method)
    external_ref = external_ref.strip()[:64]
    _check_not_used(payment_method, external_ref)
    card = check_can_use(member, "has_stored_value")
    (serial,) = sequences.take("topup_no")
    number = f"CZ{serial:010d}"
    points = _points_for(amount_fen, card)
    if points:  # first: the points account comes before the stored-value account (lock order)
        earn_points(
            actor=actor,
            member=member,
            points=points,
            kind=PointsEntry.Kind.BONUS,
            ref_type=TOPUP_REF,
            ref_no=number,
            reason=_("充值送积分"),
        )
    account = locked_account(member)
    check_can_use(member, "has_stored_value")  # again, under the lock: a cancellation may have won
    rule = rules.best_rule(member, amount_fen, timezone.localdate())
    topup = _create_top_up(
        number=number,
        member=member,
        amount_fen=amount_fen,
        bonus_fen=rule.bonus_fen if rule else 0,
        rule=rule,
        points=points,
        payment_method=payment_method,
        external_ref=external_ref,
        store=actor.store,
        operator=actor.operator,
    )
    refs = {"ref_type": TOPUP_REF, "ref_no": topup.number}
    move(actor, account, Pot.PRINCIPAL, Kind.TOPUP, amount_fen, **refs)
    if topup.bonus_fen:
        move(actor, account, Pot.BONUS, Kind.BONUS, topup.bonus_fen, reason=rule.name, **refs)
    audit.record(
        actor,
        "wallet.top_up",
        member,
        after={
            "number": topup.number,
            "amount_fen": amount_fen,
            "bonus_fen": topup.bonus_fen,
            "points": points,
            "payment_method": payment_method,
        },
        store=member.store,
    )
    return topup


def _check_not_used(payment_method: str, external_ref: str) -> None:
    """One payment credits one top-up: a WeChat / Alipay / card reference already on a top-up is
    refused (a double click, or the same receipt keyed twice)."""
    if not external_ref:
        return
    used = TopUp.objects.filter(payment_method=payment_method, external_ref=external_ref).first()
    if used is not None:
        raise _reference_used(used.number)


def _create_top_up(**fields) -> TopUp:
    try:
        with transaction.atomic():
            return TopUp.objects.create(**fields)
    except IntegrityError:  # the same reference, keyed at another till at the same moment
        raise _reference_used("") from None


def _reference_used(number: str) -> DomainError:
    if number:
        message = _("该支付流水号已用于充值单 %(no)s") % {"no": number}
    else:
        message = _("该支付流水号已用于另一笔充值")
    return DomainError("VALIDATION_ERROR", fields={"external_ref": message})


def _points_for(amount_fen: int, card) -> int:
    """Points for a top-up (the program's N points per whole yuan), when the card earns points."""
    per_yuan = WalletSettings.current().topup_points_per_yuan
    return amount_fen // 100 * per_yuan if card.card_type.has_points else 0


def refund_quote(topup: TopUp, bonus_in_account_fen: int) -> RefundQuote:
    """What a refund of `topup` gives back now: the principal leaves the account; what is left
    of the top-up's bonus is forfeited, and the part of it already spent is kept back from the
    money returned, so a refund never leaves the customer with goods the bonus paid for free."""
    forfeited = min(topup.bonus_fen, bonus_in_account_fen)
    return RefundQuote(forfeited, topup.amount_fen - (topup.bonus_fen - forfeited))


@transaction.atomic
def refund_top_up(*, actor: Actor, topup: TopUp, reason: str) -> TopUp:
    """退款 (see `refund_quote`). Refused when the principal was spent since
    (STORED_VALUE_INSUFFICIENT)."""
    if actor.operator is not None and not actor.operator.has_perm("wallet.refund_topup"):
        raise DomainError("PERMISSION_DENIED")
    if not reason.strip():
        raise DomainError("VALIDATION_ERROR", fields={"reason": _("请填写退款原因")})
    if TopUp.objects.filter(pk=topup.pk, status=TopUp.Status.REFUNDED).exists():
        raise DomainError("TOPUP_ALREADY_REFUNDED")
    clawed = 0
    if topup.points:  # points account first (lock order); what was spent already stays spent
        clawed = clawback_points(
            actor=actor,
            member=topup.member,
            ref_type=TOPUP_REF,
            ref_no=topup.number,
            points=topup.points,
            reason=_("充值退款扣回积分"),
        ).points
    account = locked_account(topup.member)
    topup = TopUp.objects.select_for_update().get(pk=topup.pk)
    if topup.status == TopUp.Status.REFUNDED:  # a concurrent refund won
        raise DomainError("TOPUP_ALREADY_REFUNDED")
    if account.principal_fen < topup.amount_fen:
        raise DomainError("STORED_VALUE_INSUFFICIENT", field="amount_fen")
    refs = {"ref_type": TOPUP_REF, "ref_no": topup.number, "reason": reason.strip()}
    quote = refund_quote(topup, account.bonus_fen)
    move(actor, account, Pot.PRINCIPAL, Kind.REFUND, -topup.amount_fen, **refs)
    if quote.forfeited_fen:
        move(actor, account, Pot.BONUS, Kind.FORFEIT, -quote.forfeited_fen, **refs)
    topup.status, topup.refund_fen = TopUp.Status.REFUNDED, quote.refund_fen
    topup.refunded_at = timezone.now()
    topup.refunded_by = actor.operator
    topup.refund_reason = reason.strip()[:200]
    topup.save(
        update_fields=["status", "refund_fen", "refunded_at", "refunded_by", "refund_reason"]
    )
    audit.record(
        actor,
        "wallet.refund_top_up",
        topup.member,
        after={
            "number": topup.number,
            "amount_fen": topup.amount_fen,
            "refund_fen": quote.refund_fen,
            "forfeited_bonus_fen": quote.forfeited_fen,
            "points_clawed_back": clawed,
            "reason": topup.refund_reason,
        },
        store=topup.member.store,
    )
    return topup


def split_payment(account: StoredValueAccount, amount_fen: int, order: str) -> Split:
    """Which pots pay `amount_fen` (≤ the total), by the program's spending order."""
    if order == SpendingOrder.PRINCIPAL_FIRST:
        principal = min(amount_fen, account.principal_fen)
        return Split(principal, amount_fen - principal)
    if order == SpendingOrder.BONUS_FIRST:
        bonus = min(amount_fen, account.bonus_fen)
        return Split(amount_fen - bonus, bonus)
    # Proportional, the fen of rounding on the principal side: ceil(A·P/(P+B)) ≤ P.
    bonus = amount_fen * account.bonus_fen // account.total_fen
    return Split(amount_fen - bonus, bonus)


@transaction.atomic
def spend_stored_value(
    *,
    actor: Actor,
    member: Member,
    amount_fen: int,
    ref_type: str,
    ref_no: str,
    password: str | None = None,
) -> Split:
    """Pay `amount_fen` from stored value (a sale): returns how much came from each pot."""
    check_positive(amount_fen, "amount_fen")
    account = locked_account(member)
    check_can_use(member, "has_stored_value")
    settings = WalletSettings.current()
    _check_password(account, settings, password)
    if account.total_fen < amount_fen:
        raise DomainError("STORED_VALUE_INSUFFICIENT", field="amount_fen")
    split = split_payment(account, amount_fen, settings.spending_order)
    refs = {"ref_type": ref_type, "ref_no": ref_no}
    for pot, part in ((Pot.PRINCIPAL, split.principal_fen), (Pot.BONUS, split.bonus_fen)):
        if part:
            move(actor, account, pot, Kind.PAY, -part, **refs)
    audit.record(
        actor,
        "wallet.spend",
        member,
        after={
            "ref_no": ref_no,
            "principal_fen": split.principal_fen,
            "bonus_fen": split.bonus_fen,
        },
        store=member.store,
    )
    return split


def _check_password(account, settings, password) -> None:
    if not account.payment_password and not settings.password_required:
        return
    if not password:
        raise DomainError("PAYMENT_PASSWORD_REQUIRED", field="password")
    if not account.payment_password or not check_password(password, account.payment_password):
        raise DomainError("PAYMENT_PASSWORD_WRONG", field="password")


@transaction.atomic
def restore_stored_value(
    *,
    actor: Actor,
    member: Member,
    principal_fen: int,
    bonus_fen: int,
    ref_type: str,
    ref_no: str,
    reason: str = "",
) -> Split:
    """退货退回: put back what a return refunds, each pot in the proportions it paid."""
    if principal_fen < 0 or bonus_fen < 0 or principal_fen + bonus_fen <= 0:
        raise DomainError("VALIDATION_ERROR", fields={"amount_fen": _("退回金额必须大于 0")})
    account = locked_account(member)
    refs = {"ref_type": ref_type, "ref_no": ref_no, "reason": reason}
    for pot, part in ((Pot.PRINCIPAL, principal_fen), (Pot.BONUS, bonus_fen)):
        if part:
            move(actor, account, pot, Kind.RESTORE, part, **refs)
    audit.record(
        actor,
        "wallet.restore",
        member,
        after={"ref_no": ref_no, "principal_fen": principal_fen, "bonus_fen": bonus_fen},
        store=member.store,
    )
    return Split(principal_fen, bonus_fen)


@transaction.atomic
def set_payment_password(*, actor: Actor, member: Member, password: str) -> None:
    """A 6-digit password for stored-value spending, stored hashed; "" removes it."""
    if password and not (len(password) == 6 and password.isascii() and password.isdigit()):
        raise DomainError("VALIDATION_ERROR", fields={"password": _("支付密码须为 6 位数字")})
    account = locked_account(member)
    account.payment_password = make_password(password) if password else ""
    account.save(update_fields=["payment_password", "updated_at"])
    audit.record(
        actor,
        "wallet.set_payment_password",
        member,
        after={"set": bool(password)},
        store=member.store,
    )
