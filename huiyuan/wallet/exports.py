"""A member's stored-value or count-card ledger as xlsx, with its ledger page's filters."""

from django.utils.translation import gettext_lazy as _

from huiyuan.core.xlsx import when, where, who

STORED_VALUE_COLUMNS = (
    (_("时间"), when),
    (_("类型"), lambda e: e.get_kind_display()),
    (_("资金"), lambda e: e.get_pot_display()),
    (_("变动（元）"), lambda e: e.delta / 100),
    (_("变动后余额（元）"), lambda e: e.balance_after / 100),
    (_("单据类型"), lambda e: e.ref_type),
    (_("单据号"), lambda e: e.ref_no),
    (_("原因"), lambda e: e.reason),
    (_("门店"), where),
    (_("操作员"), who),
)
COUNT_CARD_COLUMNS = (
    (_("时间"), when),
    (_("计次卡"), lambda e: e.holding.package.name),
    (_("售卡单号"), lambda e: e.holding.number),
    (_("类型"), lambda e: e.get_kind_display()),
    (_("次数"), lambda e: e.delta),
    (_("剩余次数"), lambda e: e.balance_after),
    (_("单据号"), lambda e: e.ref_no),
    (_("原因"), lambda e: e.reason),
    (_("门店"), where),
    (_("操作员"), who),
)
