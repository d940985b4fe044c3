"""Lists as xlsx downloads: one write-only sheet (memory stays flat for any length), a header
row, one row per entry, by a list of columns. `member_workbook` + `download`: a member's ledger
or history (a line naming the member first); `download_rows`: any list (reports, exports)."""

import io
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 2_000

# (header, the cell's value for one entry); headers may be lazy translations.
Column = tuple[Any, Callable[[Any], Any]]


def when(entry) -> str:
    return timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S")


def who(entry) -> str:
    """The operator, the API key (a till) or the system that wrote the row."""
    if entry.operator:
        return str(entry.operator)
    api_key = getattr(entry, "api_key", None)
    return f"API {api_key.name}" if api_key else _("系统")


def where(entry) -> str:
    return entry.store.name if entry.store else ""


def member_workbook(member, title, columns: Iterable[Column], entries) -> bytes:
    """`entries` (a queryset, read in chunks) of `member` as one sheet named `title`."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(title))
    sheet.append([_("会员号"), member.member_no, _("姓名"), member.name])
    sheet.append([str(header) for header, _value in columns])
    for entry in entries.iterator(chunk_size=CHUNK):
        sheet.append([value(entry) for _header, value in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download(content: bytes, slug: str, member) -> HttpResponse:
    """The workbook as an attachment named `<slug>-<member no>-<local date and time>.xlsx`."""
    response = HttpResponse(content, content_type=XLSX)
    name = f"{slug}-{member.member_no}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def download_rows(title, columns: Iterable[Column], rows, slug: str, heading=()) -> HttpResponse:
    """`rows` (a queryset, read in chunks, or a list) as one sheet named `title` under an optional
    `heading` line, downloaded as `<slug>-<local date and time>.xlsx`."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(title))
    if heading:
        sheet.append([str(cell) for cell in heading])
    sheet.append([str(header) for header, _value in columns])
    for row in rows.iterator(chunk_size=CHUNK) if isinstance(rows, QuerySet) else rows:
        sheet.append([value(row) for _header, value in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"{slug}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
