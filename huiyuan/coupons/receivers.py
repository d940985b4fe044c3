"""Triggers that listen to other apps: a new member (registration coupons) and a tier upgrade
(tier-benefit coupons), both inside the transaction that made the change."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from huiyuan.core.actors import Actor
from huiyuan.coupons import triggers
from huiyuan.members.models import Member
from huiyuan.tiers.models import TierChange


@receiver(post_save, sender=Member, dispatch_uid="coupons.registration")
def registration_coupons(sender, instance, created, raw=False, **kwargs):
    """Imports insert members in bulk (no signal): existing members get no welcome coupon."""
    if created and not raw:
        actor = Actor(operator=instance.registered_by, store=instance.store)
        triggers.on_registration(instance, actor)


@receiver(post_save, sender=TierChange, dispatch_uid="coupons.tier_upgrade")
def tier_upgrade_coupons(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.kind == TierChange.Kind.UPGRADE:
        triggers.on_tier_upgrade(instance)
