from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "huiyuan.points"
    label = "points"
    verbose_name = _("积分")

    def ready(self):
        from huiyuan.points import checks, multipliers, providers  # noqa: F401

        multipliers.register(providers.birthday)
        multipliers.register(providers.points_days)
