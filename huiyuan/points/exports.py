"""A member's points ledger as xlsx (what the ledger page shows, filters included)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook


def ledger_workbook(member, entries) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("积分流水"))
    sheet.append([_("会员号"), member.member_no, _("姓名"), member.name])
    sheet.append(
        [_("时间"), _("类型"), _("变动"), _("变动后余额"), _("单据类型"), _("单据号"), _("原因"),
         _("操作员"), _("门店")]
    )  # fmt: skip
    for entry in entries.iterator(chunk_size=2000):
        sheet.append(
            [
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.get_kind_display(),
                entry.delta,
                entry.balance_after,
                entry.ref_type,
                entry.ref_no,
                entry.reason,
                str(entry.operator) if entry.operator else "",
                entry.store.name if entry.store else "",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
