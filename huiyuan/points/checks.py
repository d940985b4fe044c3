"""What `verify_ledgers` proves about points: each account's balance equals the sum of its ledger
and the sum of its lots, each lot's remaining equals its original minus its draws, each spending
row drew exactly its points from lots and each crediting row opened exactly one lot of its size."""

from collections.abc import Iterator

from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from huiyuan.core.ledgers import ledger_check
from huiyuan.points.models import PointsAccount, PointsDraw, PointsEntry, PointsLot


def _total(queryset, field: str, link: str):
    """Sum of `field` over the rows of `queryset` whose `link` is the outer row (0 if none)."""
    summed = (
        queryset.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(summed), 0)


@ledger_check
def points_accounts() -> Iterator[str]:
    accounts = PointsAccount.objects.annotate(
        ledger_sum=_total(PointsEntry.objects, "delta", "account"),
        lots_sum=_total(PointsLot.objects, "remaining", "account"),
        last_after=Subquery(
            PointsEntry.objects.filter(account=OuterRef("pk"))
            .order_by("-id")
            .values("balance_after")[:1]
        ),
    ).filter(
        ~Q(balance=F("ledger_sum"))
        | ~Q(balance=F("lots_sum"))
        | (Q(last_after__isnull=False) & ~Q(balance=F("last_after")))
    )
    for account in accounts.select_related("member"):
        yield (
            f"points account of member {account.member.member_no}: balance {account.balance}, "
            f"ledger sum {account.ledger_sum}, live lots {account.lots_sum}, "
            f"last balance_after {account.last_after}"
        )


@ledger_check
def points_lots() -> Iterator[str]:
    lots = PointsLot.objects.annotate(drawn=_total(PointsDraw.objects, "points", "lot")).filter(
        ~Q(remaining=F("original") - F("drawn")) | ~Q(original=F("entry__delta"))
    )
    for lot in lots:
        yield (
            f"points lot {lot.pk}: original {lot.original}, drawn {lot.drawn}, "
            f"remaining {lot.remaining}"
        )


@ledger_check
def points_draws() -> Iterator[str]:
    spending = PointsEntry.objects.filter(delta__lt=0).annotate(
        drawn=_total(PointsDraw.objects, "points", "entry")
    )
    for entry in spending.filter(~Q(drawn=-F("delta"))):
        yield f"points entry {entry.pk}: delta {entry.delta} but lots drawn {entry.drawn}"
    for entry in PointsEntry.objects.filter(delta__gt=0, lot__isnull=True):
        yield f"points entry {entry.pk}: credits {entry.delta} without a lot"
