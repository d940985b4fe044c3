"""Tiers when two records of one person are merged: the kept member holds the better of the two
earned tiers (one history row), and the absorbed member's history stays where it was written."""

from django.db import transaction
from django.utils.translation import gettext as _

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.tiers.models import TierChange, TierStanding
from huiyuan.tiers.services import place_member


@transaction.atomic
def merge_tiers(*, actor: Actor, source, target) -> TierChange | None:
    """Called by the merge after the points moved. Standings are locked in member id order."""
    if source.pk == target.pk:
        raise DomainError("MERGE_NOT_ALLOWED")
    ids = sorted((source.pk, target.pk))
    standings = {
        standing.member_id: standing
        for standing in TierStanding.objects.select_for_update(of=("self",))
        .select_related("tier")
        .filter(member_id__in=ids)
        .order_by("member_id")
    }
    absorbed, kept = standings.get(source.pk), standings.get(target.pk)
    if absorbed is None or (kept is not None and kept.tier.rank >= absorbed.tier.rank):
        return None
    reason = _("合并会员 %(member_no)s") % {"member_no": source.member_no}
    return place_member(actor, target, kept, absorbed.tier, TierChange.Kind.UPGRADE, reason)
