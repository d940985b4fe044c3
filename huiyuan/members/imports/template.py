"""The template: the xlsx to fill in."""

import datetime
import io

from django.utils.translation import gettext as _

from huiyuan.members.imports import files
from huiyuan.members.imports.files import COLUMNS

# --- The template ------------------------------------------------------------------------------


def template_workbook() -> bytes:
    """The xlsx to fill in: the columns, one example row, and a sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("会员")
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        ["张三", "13800138000", "男", datetime.date(1990, 3, 7), "居民身份证",
         "110101199003074477", "zhangsan@example.com", "上海市黄浦区南京东路 300 号", "STD", ""]
    )  # fmt: skip
    sheet["D2"].number_format = "yyyy-mm-dd"
    for column in ("B", "F"):  # phone and ID numbers as text, so Excel keeps every digit
        for row in range(2, 1001):
            sheet[f"{column}{row}"].number_format = "@"
    for letter, width in zip("ABCDEFGHIJ", (10, 14, 6, 12, 14, 22, 24, 32, 10, 20), strict=True):
        sheet.column_dimensions[letter].width = width
    help_sheet = book.create_sheet(_("填写说明"))
    help_sheet.append([_("列"), _("说明")])
    for name, (_key, required, text) in COLUMNS.items():
        help_sheet.append([name + ("（必填）" if required else ""), str(text)])
    help_sheet.append([])
    help_sheet.append(
        [_("每个文件最多 %(max)s 行；第一行是表头，请勿修改列名。") % {"max": files.MAX_ROWS}]
    )
    help_sheet.column_dimensions["A"].width = 16
    help_sheet.column_dimensions["B"].width = 70
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
