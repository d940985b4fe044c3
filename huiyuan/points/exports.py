"""A member's points ledger as xlsx (what the ledger page shows, filters included)."""

from django.utils.translation import gettext_lazy as _

from huiyuan.core import xlsx

COLUMNS = (
    (_("时间"), xlsx.when),
    (_("类型"), lambda e: e.get_kind_display()),
    (_("变动"), lambda e: e.delta),
    (_("变动后余额"), lambda e: e.balance_after),
    (_("单据类型"), lambda e: e.ref_type),
    (_("单据号"), lambda e: e.ref_no),
    (_("原因"), lambda e: e.reason),
    (_("操作员"), xlsx.who),
    (_("门店"), xlsx.where),
)
