"""Coupons of a duplicate member move to the kept one when two records are merged: the unused
ones (issued), each with a transfer event naming both members; used, expired and revoked coupons
stay in the absorbed record's history. The kept member may then hold more of a template than its
per-member limit: the limit governs issuing, never takes a coupon away."""

from django.db import transaction
from django.utils.translation import gettext as _

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.coupons.models import Coupon, CouponEvent, CouponState


@transaction.atomic
def transfer_coupons(*, actor: Actor, source, target, reason: str) -> int:
    """Move `source`'s unused coupons to `target`; returns how many moved."""
    if source.pk == target.pk:
        raise DomainError("MERGE_NOT_ALLOWED")
    moving = list(
        Coupon.objects.select_for_update()
        .filter(member=source, state=CouponState.ISSUED)
        .values_list("pk", flat=True)
    )
    if not moving:
        return 0
    Coupon.objects.filter(pk__in=moving).update(member=target)
    note = _("会员 %(source)s 合并到 %(target)s：%(reason)s") % {
        "source": source.member_no,
        "target": target.member_no,
        "reason": reason,
    }
    CouponEvent.objects.bulk_create(
        CouponEvent(
            coupon_id=pk,
            kind=CouponEvent.Kind.TRANSFER,
            store=actor.store,
            operator=actor.operator,
            ref=target.member_no,
            note=note[:200],
        )
        for pk in moving
    )
    return len(moving)
