"""The file: its columns and limits, FileError, and reading xlsx/csv into rows."""

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huiyuan.members import validation

MAX_ROWS = 100_000
BATCH_SIZE = 2_000
# Files from this size on are read and checked in a second process (about 15,000 rows).
PARALLEL_FROM_BYTES = 1_000_000
MAX_ERRORS_SHOWN = 100_000  # every bad row is kept; the page paginates them

# Template column → (key, required, help shown in the template's second sheet).
COLUMNS = {
    "姓名": ("name", True, gettext_lazy("必填，最多 50 字")),
    "手机号": ("phone", True, gettext_lazy("必填，中国大陆 11 位手机号")),
    "性别": ("gender", False, gettext_lazy("男 / 女，可留空")),
    "生日": ("birthday", False, gettext_lazy("日期，如 1990-03-07，不能晚于今天")),
    "证件类型": (
        "id_type",
        False,
        gettext_lazy("居民身份证 / 护照 / 港澳通行证 / 台湾通行证；有证件号码而留空时按居民身份证"),
    ),
    "证件号码": ("id_number", False, gettext_lazy("一证一卡：已有会员卡的证件不能再导入")),
    "邮箱": ("email", False, gettext_lazy("可留空")),
    "地址": ("address", False, gettext_lazy("最多 200 字")),
    "卡类型编码": ("card_type", False, gettext_lazy("如 STD；留空则只登记会员、不发卡")),
    "备注": ("notes", False, gettext_lazy("可留空")),
}
GENDERS = {"男": "M", "女": "F", "M": "M", "F": "F", "男性": "M", "女性": "F"}
ID_TYPES = {
    "居民身份证": validation.RESIDENT_ID,
    "身份证": validation.RESIDENT_ID,
    "护照": validation.PASSPORT,
    "港澳居民来往内地通行证": validation.HK_MACAO_PERMIT,
    "港澳通行证": validation.HK_MACAO_PERMIT,
    "回乡证": validation.HK_MACAO_PERMIT,
    "台湾居民来往大陆通行证": validation.TAIWAN_PERMIT,
    "台湾通行证": validation.TAIWAN_PERMIT,
    "台胞证": validation.TAIWAN_PERMIT,
}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
MAX_LENGTH = {"name": 50, "address": 200, "email": 254, "notes": 2000}


class FileError(Exception):
    """The file as a whole can't be imported (not a spreadsheet, wrong columns, too many rows)."""


# --- Reading -----------------------------------------------------------------------------------


def read_rows(path: Path | str, file_name: str = "") -> tuple[list[str], Iterator[tuple]]:
    """(the header's keys, an iterator of (row number, values)) — or FileError."""
    path = Path(path)
    kind = _kind(path, file_name)
    rows = _xlsx_rows(path) if kind == "xlsx" else _csv_rows(path)
    try:
        header = next(rows)
    except StopIteration:
        raise FileError(_("文件是空的")) from None
    keys = _header_keys(header)
    numbered = ((number, values) for number, values in enumerate(rows, start=2))
    return keys, ((number, values) for number, values in numbered if any(_text(v) for v in values))


def _kind(path: Path, file_name: str) -> str:
    with path.open("rb") as handle:
        start = handle.read(4)
    if start == b"PK\x03\x04":
        return "xlsx"
    if b"\x00" in start or start.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileError(_("不是可导入的表格文件：请上传 xlsx 或 csv（旧版 xls 请先另存为 xlsx）"))
    if (file_name or path.name).lower().endswith((".csv", ".txt")):
        return "csv"
    raise FileError(_("不是可导入的表格文件：请上传 xlsx 或 csv"))


def _xlsx_rows(path: Path) -> Iterator[tuple]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # zip but not a workbook, or damaged
        raise FileError(_("不是有效的 xlsx 文件，或文件已损坏")) from None
    try:
        sheet = book.worksheets[0]
        # The size Excel records in the sheet: a file over the limit is refused before a row is
        # written (`_run` still counts, for files written without it).
        _check_size((sheet.max_row or 1) - 1)
        yield from sheet.iter_rows(values_only=True)
    finally:
        book.close()


def _csv_rows(path: Path) -> Iterator[tuple]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes nearly anything
        raise FileError(_("无法识别文件编码：请保存为 UTF-8 或 GB18030 编码的 csv"))
    if "\x00" in text:
        raise FileError(_("不是可导入的表格文件：请上传 xlsx 或 csv"))
    _check_size(sum(1 for _row in csv.reader(io.StringIO(text, newline=""))) - 1)
    yield from (tuple(row) for row in csv.reader(io.StringIO(text, newline="")))


def _check_size(rows: int) -> None:
    if rows > MAX_ROWS:
        raise FileError(_("文件超过 %(max)s 行，请分成几个文件导入") % {"max": f"{MAX_ROWS:,}"})


def _header_keys(header: tuple) -> list[str]:
    names = [_text(cell) for cell in header]
    while names and not names[-1]:
        names.pop()
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        raise FileError(
            _("表头不正确：不认识的列“%(columns)s”。请使用导入模板的列名：%(expected)s")
            % {
                "columns": "、".join(n or _("（空白）") for n in unknown),
                "expected": "、".join(COLUMNS),
            }
        )
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise FileError(_("表头不正确：列“%(columns)s”重复") % {"columns": "、".join(repeated)})
    missing = [
        name for name, (_key, required, _help) in COLUMNS.items() if required and name not in names
    ]
    if missing:
        raise FileError(
            _("表头不正确：缺少必填列“%(columns)s”。请使用导入模板")
            % {"columns": "、".join(missing)}
        )
    return [COLUMNS[name][0] for name in names]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 13800138000 typed into Excel as a number
    return str(value).strip()
