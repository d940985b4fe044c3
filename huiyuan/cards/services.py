"""Card lifecycle: issue, report loss, unlock, replace, renew, freeze, unfreeze, cancel.

Every change writes a CardEvent and an audit event in the same transaction. Balances belong to
the member, never to the card, so replacing a card moves nothing and loses nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from huiyuan.cards.models import Card, CardEvent, CardType
from huiyuan.cards.numbers import new_card_numbers
from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.money import format_fen

# Why a card that is not active can't be used: each status has its own error code.
REFUSAL = {
    Card.Status.LOST: "CARD_LOST",
    Card.Status.FROZEN: "CARD_FROZEN",
    Card.Status.REPLACED: "CARD_REPLACED",
    Card.Status.CANCELLED: "CARD_CANCELLED",
    Card.Status.EXPIRED: "CARD_EXPIRED",
}


# Which card statuses each lifecycle action starts from (and where a plain move lands). Pages show
# a card's buttons from this table too, so it is the one place the rules live.
ALLOWED_FROM = {
    CardEvent.Kind.REPORT_LOSS: (Card.Status.ACTIVE,),
    CardEvent.Kind.UNLOCK: (Card.Status.LOST,),
    CardEvent.Kind.FREEZE: (Card.Status.ACTIVE,),
    CardEvent.Kind.UNFREEZE: (Card.Status.FROZEN,),
    CardEvent.Kind.CANCEL: Card.LIVE,
    CardEvent.Kind.REPLACE: Card.LIVE,
    CardEvent.Kind.RENEW: (Card.Status.ACTIVE,),
}


def check_usable(card: Card, today: datetime.date | None = None) -> Card:
    """The card if it may be used at a till or a desk; otherwise its status's error."""
    if card.status != Card.Status.ACTIVE:
        raise DomainError(REFUSAL[card.status], field="card_no")
    if card.expires_on is not None and card.expires_on < (today or timezone.localdate()):
        raise DomainError("CARD_EXPIRED", field="card_no")
    return card


def card_type_for(code: str) -> CardType:
    card_type = CardType.objects.filter(code=code, is_active=True).first()
    if card_type is None:
        raise DomainError("CARD_TYPE_NOT_FOUND", field="card_type_code")
    return card_type


@transaction.atomic
def issue_card(
    *,
    actor: Actor,
    member,
    card_type: CardType,
    medium: str,
    store,
    fee_fen: int | None = None,
    receipt_total_fen: int | None = None,
) -> Card:
    """A new card for a member who holds no live card (one card per member, and so per ID).

    `receipt_total_fen`: the customer's same-day receipts as the desk entered them, checked
    against the card type's registration threshold.
    """
    from huiyuan.members.models import Member

    member = Member.objects.select_for_update().get(pk=member.pk)
    member.check_active()
    if member.cards.filter(status__in=Card.LIVE).exists():
        raise DomainError("MEMBER_ALREADY_HAS_CARD")
    check_threshold(card_type, receipt_total_fen)
    card = _new_card(actor, member, card_type, medium, store)
    reason = ""
    after = {"card": card.number, "type": card_type.code, "medium": medium}
    if receipt_total_fen is not None:
        after["receipt_total_fen"] = receipt_total_fen
        # Stored data stays Chinese (NOTES), whatever the operator's language.
        reason = gettext_noop("当日小票金额 %(amount)s") % {"amount": format_fen(receipt_total_fen)}
    fee = _fee(card_type, fee_fen)
    _event(actor, card, CardEvent.Kind.ISSUE, store=store, reason=reason, fee_fen=fee)
    audit.record(actor, "card.issue", member, after=after, store=store)
    return card


def check_threshold(card_type: CardType, receipt_total_fen: int | None) -> None:
    """办卡门槛: a card type with a registration threshold needs that much in same-day receipts.

    The desk enters the receipts' total; checking the member's own orders comes with orders.
    """
    if receipt_total_fen is not None and receipt_total_fen < 0:
        raise DomainError("VALIDATION_ERROR", fields={"receipt_total_fen": _("金额不能为负")})
    threshold = card_type.registration_threshold_fen
    if not threshold:
        return
    if receipt_total_fen is None or receipt_total_fen < threshold:
        message = _("%(type)s须当日消费满 %(threshold)s，当日小票金额为 %(total)s") % {
            "type": card_type.name,
            "threshold": format_fen(threshold),
            "total": format_fen(receipt_total_fen or 0),
        }
        raise DomainError("REGISTRATION_THRESHOLD_NOT_MET", fields={"receipt_total_fen": message})


@transaction.atomic
def report_card_loss(*, actor: Actor, card: Card, reason: str = "") -> Card:
    return _move(actor, card, CardEvent.Kind.REPORT_LOSS, Card.Status.LOST, reason)


@transaction.atomic
def unlock_card(*, actor: Actor, card: Card, reason: str = "") -> Card:
    return _move(actor, card, CardEvent.Kind.UNLOCK, Card.Status.ACTIVE, reason)


@transaction.atomic
def freeze_card(*, actor: Actor, card: Card, reason: str = "") -> Card:
    return _move(actor, card, CardEvent.Kind.FREEZE, Card.Status.FROZEN, reason)


@transaction.atomic
def unfreeze_card(*, actor: Actor, card: Card, reason: str = "") -> Card:
    return _move(actor, card, CardEvent.Kind.UNFREEZE, Card.Status.ACTIVE, reason)


@transaction.atomic
def cancel_card(*, actor: Actor, card: Card, reason: str = "") -> Card:
    return _move(actor, card, CardEvent.Kind.CANCEL, Card.Status.CANCELLED, reason)


@transaction.atomic
def replace_card(
    *, actor: Actor, card: Card, medium: str | None = None, fee_fen: int | None = None, reason=""
) -> Card:
    """补卡: a new number for a lost (or damaged) card; the old number is void for ever."""
    return _reissue(actor, card, CardEvent.Kind.REPLACE, medium, fee_fen, reason)


@transaction.atomic
def renew_card(
    *, actor: Actor, card: Card, medium: str | None = None, fee_fen: int | None = None, reason=""
) -> Card:
    """以旧换新: the old card is handed in for a new one (new medium, a fresh validity period)."""
    return _reissue(actor, card, CardEvent.Kind.RENEW, medium, fee_fen, reason)


def _reissue(actor, card, kind, medium, fee_fen, reason) -> Card:
    card = _locked(card)
    if card.status not in ALLOWED_FROM[kind]:
        raise DomainError("CARD_ACTION_NOT_ALLOWED", field="card_no")
    card.status = Card.Status.REPLACED
    card.save(update_fields=["status"])
    store = actor.store or card.store
    new_card = _new_card(actor, card.member, card.card_type, medium or card.medium, store)
    _event(
        actor,
        card,
        kind,
        store=store,
        reason=reason,
        new_card=new_card,
        fee_fen=_fee(card.card_type, fee_fen),
    )
    audit.record(
        actor,
        f"card.{kind}",
        card.member,
        before={"card": card.number},
        after={"card": new_card.number, "medium": new_card.medium},
        store=store,
    )
    return new_card


def _move(actor, card, kind, to_status, reason) -> Card:
    card = _locked(card)
    if card.status not in ALLOWED_FROM[kind]:
        raise DomainError("CARD_ACTION_NOT_ALLOWED", field="card_no")
    before = card.status
    card.status = to_status
    card.save(update_fields=["status"])
    _event(actor, card, kind, store=actor.store or card.store, reason=reason)
    audit.record(
        actor,
        f"card.{kind}",
        card.member,
        before={"card": card.number, "status": before},
        after={"card": card.number, "status": to_status, "reason": reason},
        store=actor.store or card.store,
    )
    return card


def _new_card(actor, member, card_type, medium, store) -> Card:
    if medium not in card_type.media:
        raise DomainError("CARD_MEDIUM_NOT_ALLOWED", field="medium")
    expires_on = None
    if card_type.validity_months:
        today = timezone.localdate()
        months = today.month - 1 + card_type.validity_months
        year, month = today.year + months // 12, months % 12 + 1
        expires_on = today.replace(year=year, month=month, day=min(today.day, 28))
    (number,) = new_card_numbers(card_type)
    return Card.objects.create(
        number=number,
        member=member,
        card_type=card_type,
        medium=medium,
        issued_by=actor.operator,
        store=store,
        expires_on=expires_on,
    )


def _event(actor, card, kind, *, store, reason="", fee_fen=0, new_card=None) -> CardEvent:
    return CardEvent.objects.create(
        card=card,
        member_id=card.member_id,
        kind=kind,
        new_card=new_card,
        operator=actor.operator,
        store=store,
        reason=reason,
        fee_fen=fee_fen,
    )


def _fee(card_type: CardType, fee_fen: int | None) -> int:
    fee = card_type.fee_fen if fee_fen is None else fee_fen
    if fee < 0:
        raise DomainError("VALIDATION_ERROR", fields={"fee_fen": _("费用不能为负")})
    return fee


def _locked(card: Card) -> Card:
    return Card.objects.select_for_update().select_related("member", "card_type").get(pk=card.pk)
