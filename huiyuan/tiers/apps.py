from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TiersConfig(AppConfig):
    name = "huiyuan.tiers"
    label = "tiers"
    verbose_name = _("会员等级")

    def ready(self):
        from huiyuan.points import multipliers
        from huiyuan.tiers import receivers

        multipliers.register(receivers.tier_multipliers)
