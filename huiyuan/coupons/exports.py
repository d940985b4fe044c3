"""The rebate preview as an xlsx download: the period, then one row per member."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huiyuan.core.xlsx import download_rows

COLUMNS = [
    (gettext_lazy("会员号"), lambda row: row.member_no),
    (gettext_lazy("姓名"), lambda row: row.name),
    (gettext_lazy("期间获得积分"), lambda row: row.points),
    (gettext_lazy("返利金额（分）"), lambda row: row.value_fen),
    (gettext_lazy("返利金额（元）"), lambda row: row.value_fen / 100),
]


def rebate_workbook(period, rows):
    return download_rows(
        _("积分返利"), COLUMNS, rows, f"rebate-{period.ref}", heading=[_("期间"), period]
    )
