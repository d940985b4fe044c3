"""What `verify_ledgers` proves about returns: each points account's debt equals the points its
member's returns recorded as debt minus what later earnings settled (points/services.credit)."""

from collections.abc import Iterator

from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from huiyuan.core.ledgers import ledger_check
from huiyuan.points.models import PointsAccount, PointsEntry
from huiyuan.sales.models import SalesReturn


def _sum(queryset, field: str, link: str, outer: str):
    summed = (
        queryset.filter(**{link: OuterRef(outer)})
        .order_by()
        .values(link)
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(summed), 0)


@ledger_check
def points_debts() -> Iterator[str]:
    settlements = PointsEntry.objects.filter(kind=PointsEntry.Kind.CLAWBACK, ref_type="points_debt")
    accounts = PointsAccount.objects.annotate(
        owed=_sum(SalesReturn.objects, "points_debt", "order__member", "member"),
        settled=_sum(settlements, "delta", "account", "pk"),  # negative
    ).filter(~Q(debt=F("owed") + F("settled")))
    for account in accounts.select_related("member"):
        yield (
            f"points debt of member {account.member.member_no}: {account.debt}, returns owed "
            f"{account.owed}, settled {-account.settled}"
        )
