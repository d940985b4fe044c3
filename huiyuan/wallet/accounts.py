"""What every stored-value and count-card write shares: who may use the account, the locked
account row, and the ledger row written with each balance change."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from huiyuan.cards import services as card_services
from huiyuan.cards.models import Card
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.members.models import Member
from huiyuan.wallet.models import PaymentMethod, Pot, StoredValueAccount, StoredValueEntry

POT_FIELDS = {Pot.PRINCIPAL: "principal_fen", Pot.BONUS: "bonus_fen"}


def check_positive(value: int, field: str) -> int:
    """Zero or negative amounts are refused before anything is written."""
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise DomainError("VALIDATION_ERROR", fields={field: _("必须是大于 0 的整数")})
    return value


def check_payment_method(method: str) -> str:
    if method not in PaymentMethod.values:
        raise DomainError("VALIDATION_ERROR", fields={"payment_method": _("请选择支付方式")})
    return method


def check_can_use(member: Member, carries: str) -> Card:
    """The member's usable card, whose type must carry the account (`has_stored_value` or
    `has_count_cards`); a cancelled member, a lost/frozen/expired card or none is refused with
    its own code."""
    member = Member.objects.get(pk=member.pk)  # the status as committed, after our locks
    member.check_active(field="member_no")
    card = member.cards.select_related("card_type").order_by("-issued_at", "-id").first()
    if card is None:
        raise DomainError("CARD_NOT_FOUND", field="card_no")
    card_services.check_usable(card)
    if not getattr(card.card_type, carries):
        raise DomainError("ACCOUNT_NOT_AVAILABLE", field="card_no")
    return card


def locked_account(member: Member) -> StoredValueAccount:
    """The member's stored-value account, row-locked (made on first use). Lock order: after the
    points account, before count-card holdings (core/ledgers.py)."""
    accounts = StoredValueAccount.objects.select_for_update()
    account = accounts.filter(member=member).first()
    if account is None:
        try:
            with transaction.atomic():
                StoredValueAccount.objects.create(member=member)
        except IntegrityError:  # made by a concurrent first top-up: use theirs
            pass
        account = accounts.get(member=member)
    return account


def move(
    actor: Actor,
    account: StoredValueAccount,
    pot: str,
    kind: str,
    delta: int,
    *,
    ref_type: str = "",
    ref_no: str = "",
    reason: str = "",
) -> StoredValueEntry:
    """Change one pot of a locked account by `delta` and write its ledger row."""
    field = POT_FIELDS[pot]
    balance = getattr(account, field) + delta
    if balance < 0:
        raise DomainError("STORED_VALUE_INSUFFICIENT", field="amount_fen")
    setattr(account, field, balance)
    account.save(update_fields=[field, "updated_at"])
    return StoredValueEntry.objects.create(
        account=account,
        member_id=account.member_id,
        pot=pot,
        kind=kind,
        delta=delta,
        balance_after=balance,
        ref_type=ref_type,
        ref_no=ref_no,
        reason=reason[:200],
        **StoredValueEntry.actor_fields(actor),
    )
