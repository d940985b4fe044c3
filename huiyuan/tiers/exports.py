"""A member's tier history as xlsx (what the history page shows, filters included)."""

from django.utils.translation import gettext_lazy as _

from huiyuan.core import xlsx

COLUMNS = (
    (_("时间"), xlsx.when),
    (_("变动"), lambda c: c.get_kind_display()),
    (_("原等级"), lambda c: c.from_tier.name if c.from_tier else ""),
    (_("新等级"), lambda c: c.to_tier.name),
    (_("评级积分"), lambda c: c.metric_value),
    (_("原因"), lambda c: c.reason),
    (_("操作员"), xlsx.who),
)
