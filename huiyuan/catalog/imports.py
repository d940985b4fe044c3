"""Importing products from xlsx: a preview that lists every bad row with its reasons, then a
commit that checks the rows again and creates the good ones in bulk (one transaction, one audit
event). Only new products are created: a code that exists is a bad row ("商品编码已存在")."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from huiyuan.catalog import barcodes
from huiyuan.catalog.models import Barcode, Category, Product, Supplier
from huiyuan.catalog.selectors import attributes_for
from huiyuan.catalog.services import prepare_product
from huiyuan.catalog.spreadsheets import COLUMNS, STATUS_BY_LABEL
from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.money import parse_yuan

YES, NO = {"是", "y", "yes", "1", "true"}, {"否", "n", "no", "0", "false"}
# Yes/no columns and their value when left empty.
BOOLEAN_KEYS = {
    "is_weighed": False,
    "earns_points": True,
    "member_discount_applies": True,
    "is_service": False,
}
PRICE_KEYS = ("retail_price_fen", "member_price_fen", "cost_price_fen")


@dataclass
class Report:
    good: list = field(default_factory=list)  # [(Product, [barcode codes])]
    errors: list = field(default_factory=list)  # [{"row", "code", "reasons"}]


class RowChecker:
    def __init__(self):
        self.categories = {c.code: c for c in Category.objects.all()}
        self.suppliers = {s.name: s for s in Supplier.objects.filter(is_active=True)}
        self.attributes = {}  # category pk → {attribute name: key}
        self.seen = {}  # ("code" | "barcode" | "plu", value) → first row

    def check(self, number, cells) -> tuple[Product | None, list[str], list[str]]:
        reasons = []
        values = {key: cells.get(name, "") for name, (key, _r, _h) in COLUMNS.items()}
        category = self.categories.get(values.pop("category"))
        if category is None:
            reasons.append(_("类别编码不存在"))
        supplier_name = values.pop("supplier")
        supplier = self.suppliers.get(supplier_name) if supplier_name else None
        if supplier_name and supplier is None:
            reasons.append(_("供应商“%(name)s”不存在或已停用") % {"name": supplier_name})
        for key in PRICE_KEYS:
            try:
                values[key] = parse_yuan(values[key]) if values[key] else None
            except ValueError:
                reasons.append(_("%(column)s不是金额") % {"column": _column(key)})
                values[key] = None
        for key, default in BOOLEAN_KEYS.items():
            raw = values[key].lower()
            values[key] = default if not raw else raw in YES
            if raw and raw not in YES | NO:
                reasons.append(_("%(column)s须填“是”或“否”") % {"column": _column(key)})
        status = STATUS_BY_LABEL.get(values["status"])
        if status is None:
            reasons.append(_("状态须为“在售”或“停售”"))
        values["status"] = status or "active"
        values["unit"] = values["unit"] or "件"
        values["cost_price_fen"] = values["cost_price_fen"] or 0
        codes = [c.strip() for c in values.pop("barcodes").replace("，", ",").split(",")]
        codes = [c for c in codes if c]
        if not cells.get("零售价"):
            reasons.append(_("零售价为空"))
        if reasons:
            return None, reasons, []
        values["attributes"] = self._attributes(category, cells)
        product = Product(category=category, supplier=supplier)
        try:
            prepare_product(product, values, category_changed=True)
            codes = [barcodes.normalize(code) for code in codes]
            if Barcode.objects.filter(code__in=codes).exists():
                raise DomainError("BARCODE_DUPLICATE")
        except DomainError as error:
            return None, list(error.fields.values()) or [error.message], []
        reasons = self._repeats(number, product, codes)
        return (None if reasons else product), reasons, codes

    def _attributes(self, category, cells):
        if category.pk not in self.attributes:
            found = attributes_for(category)
            self.attributes[category.pk] = {a.name: a.key for a in found}
        return {key: cells.get(name, "") for name, key in self.attributes[category.pk].items()}

    def _repeats(self, number, product, codes):
        keys = [("code", product.code), *(("barcode", c) for c in codes)]
        if product.plu:
            keys.append(("plu", product.plu))
        reasons = []
        for key in keys:
            first = self.seen.setdefault(key, number)
            if first != number:
                reasons.append(
                    _("%(value)s 文件内重复（同第 %(row)s 行）") % {"value": key[1], "row": first}
                )
        return reasons


def _column(key):
    return next(name for name, (k, _r, _h) in COLUMNS.items() if k == key)


def check_rows(rows) -> Report:
    checker, report = RowChecker(), Report()
    for number, cells in rows:
        product, reasons, codes = checker.check(number, cells)
        if product is None:
            report.errors.append(
                {"row": number, "code": cells.get("商品编码", ""), "reasons": reasons}
            )
        else:
            report.good.append((product, codes))
    return report


@transaction.atomic
def import_rows(*, actor: Actor, rows) -> Report:
    """Create the good rows (checked again now); the bad ones are reported, not written."""
    report = check_rows(rows)
    if not report.good:
        return report
    try:
        with transaction.atomic():
            products = Product.objects.bulk_create([p for p, _codes in report.good])
            Barcode.objects.bulk_create(
                [
                    Barcode(product=p, code=c)
                    for p, (_p, codes) in zip(products, report.good, strict=True)
                    for c in codes
                ]
            )
    except IntegrityError:  # someone added the same code or barcode meanwhile
        raise DomainError("VALIDATION_ERROR", _("商品数据已变化，请重新上传文件")) from None
    audit.record(
        actor,
        "product.import",
        after={"count": len(products), "first": products[0].code, "last": products[-1].code},
    )
    return report
