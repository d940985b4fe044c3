"""The rebate preview as an xlsx download (one write-only sheet: header, one row per member)."""

import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from huiyuan.core.xlsx import XLSX


def rebate_workbook(period, rows) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("积分返利"))
    sheet.append([_("期间"), str(period)])
    sheet.append(
        [_("会员号"), _("姓名"), _("期间获得积分"), _("返利金额（分）"), _("返利金额（元）")]
    )
    for row in rows:
        sheet.append([row.member_no, row.name, row.points, row.value_fen, row.value_fen / 100])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="rebate-{period.ref}.xlsx"'
    return response
