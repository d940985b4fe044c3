from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouponsConfig(AppConfig):
    name = "huiyuan.coupons"
    label = "coupons"
    verbose_name = _("优惠券")

    def ready(self):
        from huiyuan.coupons import receivers  # noqa: F401  (trigger receivers)
