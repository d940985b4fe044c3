"""A member's tier history as xlsx (what the history page shows, filters included)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook


def history_workbook(member, changes) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("等级变动"))
    sheet.append([_("会员号"), member.member_no, _("姓名"), member.name])
    sheet.append(
        [_("时间"), _("变动"), _("原等级"), _("新等级"), _("评级积分"), _("原因"), _("操作员")]
    )
    for change in changes.iterator(chunk_size=2000):
        sheet.append(
            [
                timezone.localtime(change.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                change.get_kind_display(),
                change.from_tier.name if change.from_tier else "",
                change.to_tier.name,
                change.metric_value,
                change.reason,
                str(change.operator) if change.operator else _("系统"),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
