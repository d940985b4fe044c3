"""Stored value and count cards of a duplicate member move to the kept one when two records are
merged (issue 5, item 12). History is never rewritten: each pot moves as a transfer row out of
the absorbed account and one into the kept account; each live count card is closed with a
transfer row and re-opened for the kept member with the same package, uses left and expiry.

Top-ups stay on the absorbed member's record (their history); their principal now sits with the
kept member, so a later refund of such a top-up is refused (STORED_VALUE_INSUFFICIENT).
"""

from dataclasses import dataclass

from django.db import transaction

from huiyuan.core import audit, sequences
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.members.models import Member
from huiyuan.wallet.accounts import locked_account, move
from huiyuan.wallet.count_cards import entry
from huiyuan.wallet.models import CountCardEntry, CountCardHolding, Pot, StoredValueEntry

MERGE_REF = "merge"


@dataclass(frozen=True)
class Moved:
    principal_fen: int
    bonus_fen: int
    count_cards: int


@transaction.atomic
def transfer_wallet(*, actor: Actor, source: Member, target: Member, reason: str) -> Moved:
    """Move `source`'s stored value and live count cards to `target`. Both stored-value accounts
    are locked in member id order, then the holdings by id (core/ledgers.py lock order)."""
    if source.pk == target.pk:
        raise DomainError("MERGE_NOT_ALLOWED")
    accounts = {m.pk: locked_account(m) for m in sorted((source, target), key=lambda m: m.pk)}
    absorbed, kept = accounts[source.pk], accounts[target.pk]
    moved = {}
    for pot, field in ((Pot.PRINCIPAL, "principal_fen"), (Pot.BONUS, "bonus_fen")):
        amount = moved[pot] = getattr(absorbed, field)
        if amount:
            kind = StoredValueEntry.Kind.TRANSFER
            move(actor, absorbed, pot, kind, -amount, ref_type=MERGE_REF,
                 ref_no=target.member_no, reason=reason)  # fmt: skip
            move(actor, kept, pot, kind, amount, ref_type=MERGE_REF,
                 ref_no=source.member_no, reason=reason)  # fmt: skip
    holdings = CountCardHolding.objects.select_for_update().filter(
        member=source, status=CountCardHolding.Status.ACTIVE
    )
    count = 0
    for holding in holdings.order_by("pk"):
        _reopen(actor, holding, target, reason)
        count += 1
    result = Moved(moved[Pot.PRINCIPAL], moved[Pot.BONUS], count)
    audit.record(
        actor,
        "wallet.transfer",
        target,
        after={"from": source.member_no, **result.__dict__},
        store=target.store,
    )
    return result


def _reopen(actor: Actor, holding: CountCardHolding, target: Member, reason: str) -> None:
    rest = holding.remaining
    holding.remaining, holding.status = 0, CountCardHolding.Status.TRANSFERRED
    holding.save(update_fields=["remaining", "status", "updated_at"])
    (serial,) = sequences.take("count_card_no")
    copy = CountCardHolding.objects.create(
        number=f"JC{serial:010d}",
        member=target,
        package=holding.package,
        uses=holding.uses,
        remaining=rest,
        expires_on=holding.expires_on,
        price_fen=holding.price_fen,
        payment_method=holding.payment_method,
        external_ref=holding.external_ref,
        store=holding.store,
        operator=actor.operator,
    )
    kind = CountCardEntry.Kind.TRANSFER
    entry(actor, holding, kind, -rest, ref_type=MERGE_REF, ref_no=copy.number, reason=reason)
    entry(actor, copy, kind, rest, ref_type=MERGE_REF, ref_no=holding.number, reason=reason)
