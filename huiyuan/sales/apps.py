from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "huiyuan.sales"
    label = "sales"
    verbose_name = _("销售")

    def ready(self):
        from huiyuan.sales import checks  # noqa: F401
