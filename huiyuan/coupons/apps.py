from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The coupon actions of the audit log (to move into core.audit.ACTION_LABELS with the others).
AUDIT_ACTIONS = {
    "coupon.issue": pgettext_lazy("audit action", "手工发券"),
    "coupon.revoke": pgettext_lazy("audit action", "作废优惠券"),
    "coupon.bulk_issue": pgettext_lazy("audit action", "批量发券"),
    "coupon_template.create": pgettext_lazy("audit action", "新建优惠券模板"),
    "coupon_template.update": pgettext_lazy("audit action", "修改优惠券模板"),
    "coupon_trigger.save": pgettext_lazy("audit action", "保存发券规则"),
    "rebate.update": pgettext_lazy("audit action", "修改积分返利设置"),
    "rebate.run": pgettext_lazy("audit action", "执行积分返利"),
}


class CouponsConfig(AppConfig):
    name = "huiyuan.coupons"
    label = "coupons"
    verbose_name = _("优惠券")

    def ready(self):
        from huiyuan.core.audit import ACTION_LABELS
        from huiyuan.coupons import receivers  # noqa: F401

        for action, label in AUDIT_ACTIONS.items():
            ACTION_LABELS.setdefault(action, label)
