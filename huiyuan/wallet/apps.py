from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WalletConfig(AppConfig):
    name = "huiyuan.wallet"
    label = "wallet"
    verbose_name = _("储值与计次")

    def ready(self):
        from huiyuan.wallet import checks  # noqa: F401  (registers the verify_ledgers checks)
