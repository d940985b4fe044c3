"""Products in xlsx: the import template, reading an upload, and exporting a list.

The columns are `COLUMNS` (any order; 商品编码, 名称, 类别编码 and 零售价 required) plus one
column per extension attribute, headed by the attribute's name: a row fills the attributes of
its own category and ignores the others. Prices are in yuan; yes/no columns take 是/否.
"""

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from huiyuan.catalog.models import Attribute, Product
from huiyuan.core.money import format_fen

MAX_ROWS = 20_000

# Column → (key, required, help).
COLUMNS = {
    "商品编码": ("code", True, gettext_lazy("必填，唯一，最多 30 个字符")),
    "名称": ("name", True, gettext_lazy("必填")),
    "类别编码": ("category", True, gettext_lazy("必填，商品类别页上的编码")),
    "零售价": ("retail_price_fen", True, gettext_lazy("必填，元，如 12.80；称重商品为每千克价")),
    "会员价": ("member_price_fen", False, gettext_lazy("元，可留空")),
    "进价": ("cost_price_fen", False, gettext_lazy("元，可留空")),
    "单位": ("unit", False, gettext_lazy("如 件、瓶、千克；留空为“件”")),
    "规格": ("spec", False, gettext_lazy("如 500ml")),
    "品牌": ("brand", False, ""),
    "供应商": ("supplier", False, gettext_lazy("供应商名称，须已存在")),
    "条码": ("barcodes", False, gettext_lazy("多个条码用逗号分隔")),
    "称重": ("is_weighed", False, gettext_lazy("是 / 否，留空为否")),
    "PLU": ("plu", False, gettext_lazy("称重商品在电子秤上的商品号")),
    "积分": ("earns_points", False, gettext_lazy("是 / 否，留空为是")),
    "会员折扣": ("member_discount_applies", False, gettext_lazy("是 / 否，留空为是")),
    "服务项目": ("is_service", False, gettext_lazy("是 / 否，留空为否")),
    "状态": ("status", False, gettext_lazy("在售 / 停售，留空为在售")),
}


class FileError(Exception):
    """The whole file is refused (with a Chinese message); nothing was written."""


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores typed digits as numbers
    return str(value).strip()


def read_rows(data: bytes) -> list[tuple[int, dict]]:
    """(row number, {column name: text}) for each non-empty row, or FileError."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # not a zip, not a workbook, damaged
        raise FileError(_("不是有效的 xlsx 文件，或文件已损坏")) from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [text(cell) for cell in next(rows, ())]
        missing = [name for name, (_k, required, _h) in COLUMNS.items() if required]
        missing = [name for name in missing if name not in header]
        if missing:
            raise FileError(_("缺少必填列：%(columns)s") % {"columns": "、".join(missing)})
        found = []
        for number, values in enumerate(rows, start=2):
            cells = {name: text(v) for name, v in zip(header, values, strict=False) if name}
            if any(cells.values()):
                found.append((number, cells))
            if len(found) > MAX_ROWS:
                raise FileError(_("文件超过 %(max)s 行，请分成几个文件导入") % {"max": MAX_ROWS})
        return found
    finally:
        book.close()


def template_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("商品")
    attributes = sorted(set(Attribute.objects.values_list("name", flat=True)))
    sheet.append([*COLUMNS, *attributes])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in ("A", "K"):  # codes and barcodes as text, so Excel keeps every digit
        for row in range(2, 1001):
            sheet[f"{column}{row}"].number_format = "@"
    help_sheet = book.create_sheet(_("填写说明"))
    help_sheet.append([_("列"), _("说明")])
    for name, (_key, required, help_text) in COLUMNS.items():
        help_sheet.append([name + (_("（必填）") if required else ""), str(help_text)])
    help_sheet.append([_("其余列"), _("扩展属性，列名为属性名称；只填写商品所属类别的属性")])
    return _save(book)


def export_workbook(products) -> bytes:
    """The products (any filtered list) in the import layout, so an export can be re-imported."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("商品"))
    attributes = list(Attribute.objects.order_by("name"))
    names = list(dict.fromkeys(a.name for a in attributes))
    sheet.append([*COLUMNS, *names])
    products = products.select_related("category", "supplier").prefetch_related("barcodes")
    for p in products.iterator(chunk_size=2000):
        row = [
            p.code, p.name, p.category.code, _yuan(p.retail_price_fen), _yuan(p.member_price_fen),
            _yuan(p.cost_price_fen), p.unit, p.spec, p.brand, p.supplier.name if p.supplier else "",
            ",".join(b.code for b in p.barcodes.all()), _yes(p.is_weighed), p.plu or "",
            _yes(p.earns_points), _yes(p.member_discount_applies), _yes(p.is_service),
            p.get_status_display(),
        ]  # fmt: skip
        by_name = {a.name: p.attributes.get(a.key) for a in attributes if a.key in p.attributes}
        row += [_cell(by_name.get(name)) for name in names]
        sheet.append(row)
    return _save(book)


def _yuan(fen):
    return "" if fen is None else format_fen(fen, symbol="").replace(",", "")


def _yes(flag):
    return _("是") if flag else _("否")


def _cell(value):
    return _yes(value) if isinstance(value, bool) else ("" if value is None else value)


def _save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


STATUS_BY_LABEL = {"在售": Product.Status.ACTIVE, "停售": Product.Status.INACTIVE, "": "active"}
