from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionsConfig(AppConfig):
    name = "huiyuan.promotions"
    label = "promotions"
    verbose_name = _("促销")

    def ready(self):
        from huiyuan.points import multipliers
        from huiyuan.promotions.selectors import points_multipliers

        multipliers.register(points_multipliers)
