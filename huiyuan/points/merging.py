"""Points of a duplicate member move to the kept one when two records are merged.

History is never rewritten: the absorbed account gets one transfer row drawing all its live lots,
and the kept account one transfer row per lot, each opening a lot with the original earned date
and expiry, so nothing lapses sooner or later than it would have. Transfers are not earnings:
they don't count towards a tier (selectors.points_earned). Points debt (a return's clawback the
member had already spent) moves to the kept account too."""

from django.db import transaction
from django.utils import timezone

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.points.models import PointsEntry
from huiyuan.points.services import credit, debit, expire_account, locked_account

Kind = PointsEntry.Kind


@transaction.atomic
def transfer_points(*, actor: Actor, source, target, reason: str) -> int:
    """Move every live point of `source` to `target`; returns the points moved. The two points
    accounts are locked in member id order, so two merges never wait on each other in a circle."""
    if source.pk == target.pk:
        raise DomainError("MERGE_NOT_ALLOWED")
    accounts = {member.pk: locked_account(member) for member in sorted((source, target), key=_pk)}
    absorbed, kept = accounts[source.pk], accounts[target.pk]
    expire_account(absorbed, timezone.localdate())
    if absorbed.debt:  # a return's points debt follows the member, like the points
        kept.debt, absorbed.debt = kept.debt + absorbed.debt, 0
        kept.save(update_fields=["debt"])
        absorbed.save(update_fields=["debt"])
    lots = list(absorbed.lots.filter(remaining__gt=0))
    moving = [(lot, lot.remaining) for lot in lots]
    total = sum(points for _lot, points in moving)
    if total == 0:
        return 0
    debit(
        absorbed, actor, Kind.TRANSFER, total, lots=lots, ref_type="merge",
        ref_no=target.member_no, reason=reason,
    )  # fmt: skip
    for lot, points in moving:
        credit(
            kept, actor, Kind.TRANSFER, points, earned_at=lot.earned_at,
            expires_on=lot.expires_on, ref_type="merge", ref_no=source.member_no, reason=reason,
        )  # fmt: skip
    return total


def _pk(member) -> int:
    return member.pk
