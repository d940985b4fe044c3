"""A member's stored-value ledger as xlsx (what the ledger page shows, same filters)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ledger_workbook(entries) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("储值流水"))
    sheet.append(
        [_("时间"), _("类型"), _("资金"), _("变动（元）"), _("变动后余额（元）"), _("单据类型"),
         _("单据号"), _("原因"), _("门店"), _("操作员")]
    )  # fmt: skip
    for entry in entries.iterator(chunk_size=2_000):
        sheet.append(
            [
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.get_kind_display(),
                entry.get_pot_display(),
                entry.delta / 100,
                entry.balance_after / 100,
                entry.ref_type,
                entry.ref_no,
                entry.reason,
                entry.store.name if entry.store else "",
                str(entry.operator or (entry.api_key.name if entry.api_key else "")),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
