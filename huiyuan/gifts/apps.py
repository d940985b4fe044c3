from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class GiftsConfig(AppConfig):
    name = "huiyuan.gifts"
    label = "gifts"
    verbose_name = _("积分商城")

    def ready(self):
        from huiyuan.core.audit import ACTION_LABELS

        ACTION_LABELS.update(
            {
                "gift.create": pgettext_lazy("audit action", "新建礼品"),
                "gift.update": pgettext_lazy("audit action", "修改礼品"),
                "gift.redeem": pgettext_lazy("audit action", "积分兑换礼品"),
            }
        )
