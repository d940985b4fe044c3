"""Read-only questions about points (other apps use these, never the models directly)."""

import datetime

from django.db.models import Q, QuerySet, Sum

from huiyuan.core.ledgers import newest_first
from huiyuan.points.models import EARNING_KINDS, PointsAccount, PointsEntry, PointsLot

# Points earned count earnings minus what returns clawed back (never spending or expiry), so
# spending points never costs a tier.
_EARNED = Q(kind__in=EARNING_KINDS) | Q(kind=PointsEntry.Kind.CLAWBACK)


def points_balance(member) -> int:
    balance = PointsAccount.objects.filter(member=member).values_list("balance", flat=True).first()
    return balance or 0


def points_earned(member, since: datetime.date, until: datetime.date) -> int:
    """Points earned from `since` to `until`, both days included."""
    return points_earned_by_member([member.pk], since, until).get(member.pk, 0)


def points_earned_by_member(member_ids, since: datetime.date, until: datetime.date) -> dict:
    """{member id: points earned in the window} in one query; members without any are left out."""
    rows = (
        PointsEntry.objects.filter(_EARNED, member_id__in=member_ids)
        .filter(created_at__date__gte=since, created_at__date__lte=until)
        .values("member_id")
        .annotate(total=Sum("delta"))
        .order_by()
    )
    return {row["member_id"]: row["total"] for row in rows}


def points_debt(member) -> int:
    """Points a return could not claw back (spent already), to be settled by later earnings."""
    return PointsAccount.objects.filter(member=member).values_list("debt", flat=True).first() or 0


def live_lots(member) -> QuerySet:
    """Lots that still hold points, first-expiring first (the order spending takes them)."""
    return PointsLot.objects.filter(account__member=member, remaining__gt=0)


def ledger(member, *, kind: str = "", since=None, until=None) -> QuerySet:
    """The member's points ledger, newest first, optionally one kind and a date window."""
    entries = PointsEntry.objects.filter(member=member).select_related(
        "operator", "store", "api_key"
    )
    return newest_first(entries, kind=kind, since=since, until=until)
