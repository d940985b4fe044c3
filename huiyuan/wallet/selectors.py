"""Read-only questions about a member's stored value and count cards."""

from django.db.models import QuerySet

from huiyuan.core.ledgers import newest_first
from huiyuan.members.models import Member
from huiyuan.wallet.models import (
    CountCardEntry,
    CountCardHolding,
    StoredValueAccount,
    StoredValueEntry,
)


def stored_value_of(member: Member) -> tuple[int, int]:
    """(principal_fen, bonus_fen); (0, 0) for a member who never topped up."""
    account = StoredValueAccount.objects.filter(member=member).only("principal_fen", "bonus_fen")
    account = account.first()
    return (account.principal_fen, account.bonus_fen) if account else (0, 0)


def stored_value_ledger(member: Member, **filters) -> QuerySet:
    """The member's stored-value rows, newest first; filters: kind, pot, date_from, date_to."""
    entries = StoredValueEntry.objects.filter(member=member)
    return _filtered(entries.select_related("operator", "store", "api_key"), **filters)


def count_cards_of(member: Member) -> QuerySet:
    return (
        CountCardHolding.objects.filter(member=member)
        .select_related("package")
        .order_by("-created_at", "-id")
    )


def count_card_ledger(member: Member, **filters) -> QuerySet:
    """The member's count-card rows, newest first; filters: kind, date_from, date_to."""
    entries = CountCardEntry.objects.filter(member=member)
    related = ("holding__package", "operator", "store", "api_key")
    return _filtered(entries.select_related(*related), **filters)


def _filtered(entries: QuerySet, *, kind="", pot="", date_from=None, date_to=None) -> QuerySet:
    if pot:
        entries = entries.filter(pot=pot)
    return newest_first(entries, kind=kind, since=date_from, until=date_to)
