from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "huiyuan.points"
    label = "points"
    verbose_name = _("积分")
