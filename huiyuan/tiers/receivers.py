"""How tiers plug into points: upgrade at once on points earned, and the tier's multipliers."""

import datetime

from django.dispatch import receiver
from django.utils.translation import gettext as _

from huiyuan.points.multipliers import Multiplier, is_birthday
from huiyuan.points.signals import points_earned
from huiyuan.tiers import services
from huiyuan.tiers.selectors import tier_of


@receiver(points_earned, dispatch_uid="tiers.upgrade_on_points_earned")
def upgrade_on_points_earned(sender, member, entry, **kwargs):
    """Inside the earning's transaction, after the points account's lock (lock order)."""
    services.check_upgrade(member=member)


def tier_multipliers(member, store, at: datetime.datetime) -> list[Multiplier]:
    """The tier's points multiplier, and its birthday multiplier on the member's birthday."""
    tier = tier_of(member)
    if tier is None:
        return []
    found = [Multiplier("tier", tier.name, tier.points_multiplier_permille)]
    if tier.birthday_multiplier_permille and is_birthday(member, at):
        label = _("%(tier)s生日积分") % {"tier": tier.name}
        found.append(Multiplier("birthday", label, tier.birthday_multiplier_permille))
    return found
