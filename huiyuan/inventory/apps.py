from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "huiyuan.inventory"
    label = "inventory"
    verbose_name = _("库存")

    def ready(self):
        from huiyuan.inventory import checks  # noqa: F401  (registers the verify_ledgers check)
