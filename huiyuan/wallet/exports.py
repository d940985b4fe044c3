"""A member's stored-value or count-card ledger as xlsx, with its ledger page's filters."""

import io

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _who(entry) -> str:
    if entry.operator:
        return str(entry.operator)
    return f"API {entry.api_key.name}" if entry.api_key else str(_("系统"))


def _when(entry) -> str:
    return timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S")


def _where(entry) -> str:
    return entry.store.name if entry.store else ""


STORED_VALUE_COLUMNS = (
    (_("时间"), _when),
    (_("类型"), lambda e: e.get_kind_display()),
    (_("资金"), lambda e: e.get_pot_display()),
    (_("变动（元）"), lambda e: e.delta / 100),
    (_("变动后余额（元）"), lambda e: e.balance_after / 100),
    (_("单据类型"), lambda e: e.ref_type),
    (_("单据号"), lambda e: e.ref_no),
    (_("原因"), lambda e: e.reason),
    (_("门店"), _where),
    (_("操作员"), _who),
)
COUNT_CARD_COLUMNS = (
    (_("时间"), _when),
    (_("计次卡"), lambda e: e.holding.package.name),
    (_("售卡单号"), lambda e: e.holding.number),
    (_("类型"), lambda e: e.get_kind_display()),
    (_("次数"), lambda e: e.delta),
    (_("剩余次数"), lambda e: e.balance_after),
    (_("单据号"), lambda e: e.ref_no),
    (_("原因"), lambda e: e.reason),
    (_("门店"), _where),
    (_("操作员"), _who),
)


def ledger_workbook(entries, title: str, columns) -> bytes:
    """One sheet: a header row, then one row per entry (write-only: memory stays flat)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(title))
    sheet.append([str(header) for header, _value in columns])
    for entry in entries.iterator(chunk_size=2_000):
        sheet.append([value(entry) for _header, value in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
