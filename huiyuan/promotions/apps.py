from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PromotionsConfig(AppConfig):
    name = "huiyuan.promotions"
    label = "promotions"
    verbose_name = _("促销")

    def ready(self):
        from huiyuan.core.audit import ACTION_LABELS
        from huiyuan.points import multipliers
        from huiyuan.promotions.selectors import points_multipliers

        multipliers.register(points_multipliers)
        ACTION_LABELS.update(
            {
                "promotion.create": pgettext_lazy("audit action", "新建促销活动"),
                "promotion.update": pgettext_lazy("audit action", "修改促销活动"),
                "promotion.start": pgettext_lazy("audit action", "启用促销活动"),
                "promotion.stop": pgettext_lazy("audit action", "停止促销活动"),
                "member_day.create": pgettext_lazy("audit action", "新建会员日"),
                "member_day.update": pgettext_lazy("audit action", "修改会员日"),
            }
        )
