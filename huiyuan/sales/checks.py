"""What `verify_ledgers` proves about returns: each points account's debt equals the points its
member's returns recorded as debt (returns of records merged into it included: their debt went
to the kept member's account) minus what later earnings settled (points/services.credit)."""

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Q, Sum

from huiyuan.core.ledgers import ledger_check
from huiyuan.members.models import Member
from huiyuan.points.models import PointsAccount, PointsEntry
from huiyuan.sales.models import SalesReturn


@ledger_check
def points_debts() -> Iterator[str]:
    merged = dict(
        Member.objects.filter(status=Member.Status.MERGED).values_list("pk", "merged_into")
    )

    def kept(member_id):
        while member_id in merged:
            member_id = merged[member_id]
        return member_id

    expected = defaultdict(int)
    owed = SalesReturn.objects.filter(points_debt__gt=0).values("order__member")
    for row in owed.annotate(total=Sum("points_debt")).order_by():
        expected[kept(row["order__member"])] += row["total"]
    settled = PointsEntry.objects.filter(kind=PointsEntry.Kind.CLAWBACK, ref_type="points_debt")
    for row in settled.values("member").annotate(total=Sum("delta")).order_by():
        expected[kept(row["member"])] += row["total"]  # negative
    accounts = PointsAccount.objects.filter(Q(debt__gt=0) | Q(member__in=list(expected)))
    for account in accounts.select_related("member"):
        if account.debt != expected[account.member_id]:
            yield (
                f"points debt of member {account.member.member_no}: {account.debt}, "
                f"its returns' debt less settlements {expected[account.member_id]}"
            )
