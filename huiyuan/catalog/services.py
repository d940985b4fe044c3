"""Writes to products, their barcodes and suppliers (every one audited)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from huiyuan.catalog import barcodes
from huiyuan.catalog.attribute_values import clean_values
from huiyuan.catalog.models import Barcode, Category, Product, Supplier
from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.members.services import name_search_keys

PRODUCT_FIELDS = [
    "code",
    "name",
    "unit",
    "spec",
    "brand",
    "category",
    "supplier",
    "retail_price_fen",
    "member_price_fen",
    "cost_price_fen",
    "earns_points",
    "member_discount_applies",
    "is_service",
    "is_weighed",
    "plu",
    "status",
    "attributes",
]
MAX_FEN = 2_000_000_000  # the price columns are 32-bit
SUPPLIER_FIELDS = ["name", "contact", "phone", "address", "is_active"]


def _invalid(field, message):
    return DomainError("VALIDATION_ERROR", fields={field: message})


def prepare_product(product: Product, fields: dict, *, category_changed: bool) -> Product:
    """Apply `fields` to an unsaved/locked product and check every rule except the barcodes.
    Shared by the form, the API-free import and the services below."""
    for name, value in fields.items():
        setattr(product, name, value.strip() if isinstance(value, str) else value)
    product.code = product.code.strip()
    if not product.code:
        raise _invalid("code", _("请填写商品编码"))
    if not product.name:
        raise _invalid("name", _("请填写商品名称"))
    if Product.objects.filter(code=product.code).exclude(pk=product.pk).exists():
        raise DomainError("PRODUCT_CODE_DUPLICATE", field="code")
    if category_changed and not Category.objects.filter(pk=product.category_id, is_active=True):
        raise _invalid("category", _("该类别已停用"))
    if "supplier" in fields and product.supplier_id and not _active_supplier(product.supplier_id):
        raise _invalid("supplier", _("该供应商已停用"))
    for name in ("retail_price_fen", "member_price_fen", "cost_price_fen"):
        value = getattr(product, name)
        if value is not None and (isinstance(value, bool) or not 0 <= value <= MAX_FEN):
            raise _invalid(name, _("金额须在 0 至 2 千万元之间"))
    if product.member_price_fen is not None and product.member_price_fen > product.retail_price_fen:
        raise _invalid("member_price_fen", _("会员价不能高于零售价"))
    _check_plu(product)
    product.attributes = clean_values(product.category, product.attributes or {})
    product.name_pinyin, product.name_initials = name_search_keys(product.name)
    return product


def _active_supplier(pk):
    return Supplier.objects.filter(pk=pk, is_active=True).exists()


def _check_plu(product):
    if not product.is_weighed:
        product.plu = None
        return
    if product.plu:
        product.plu = barcodes.normalize_plu(product.plu)
        if Product.objects.filter(plu=product.plu).exclude(pk=product.pk).exists():
            raise _invalid("plu", _("该 PLU 码已被其他商品使用"))
    else:
        product.plu = None


def _check_barcode_free(code, product=None):
    holder = Barcode.objects.filter(code=code).exclude(product=product).first()
    if holder:
        raise DomainError(
            "BARCODE_DUPLICATE",
            fields={"barcode": _("条码已属于商品 %(p)s") % {"p": holder.product}},
        )


@transaction.atomic
def create_product(*, actor: Actor, category: Category, barcode_codes=(), **fields) -> Product:
    product = prepare_product(Product(category=category), fields, category_changed=True)
    codes = [barcodes.normalize(code) for code in barcode_codes if code and code.strip()]
    if len(set(codes)) != len(codes):
        raise DomainError("BARCODE_DUPLICATE", field="barcode")
    for code in codes:
        _check_barcode_free(code)
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError:  # a concurrent twin took the code first
        raise DomainError("PRODUCT_CODE_DUPLICATE", field="code") from None
    Barcode.objects.bulk_create([Barcode(product=product, code=code) for code in codes])
    after = audit.snapshot(product, PRODUCT_FIELDS) | {"barcodes": codes}
    audit.record(actor, "product.create", product, after=after)
    return product


@transaction.atomic
def update_product(*, actor: Actor, product: Product, **changes) -> Product:
    """Edit a product (status too: 停售 is `status="inactive"`). Attributes are re-checked
    against the (possibly new) category: values of attributes it doesn't have are dropped."""
    unknown = set(changes) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    product = Product.objects.select_for_update().get(pk=product.pk)
    before = audit.snapshot(product, PRODUCT_FIELDS)
    category_changed = "category" in changes and changes["category"].pk != product.category_id
    prepare_product(product, changes, category_changed=category_changed)
    product.save()
    old, new = audit.changes(before, audit.snapshot(product, PRODUCT_FIELDS))
    if new:
        audit.record(actor, "product.update", product, before=old, after=new)
    return product


@transaction.atomic
def add_barcode(*, actor: Actor, product: Product, code: str) -> Barcode:
    code = barcodes.normalize(code)
    _check_barcode_free(code)
    if Barcode.objects.filter(code=code).exists():
        return Barcode.objects.get(code=code)  # already this product's
    try:
        with transaction.atomic():
            barcode = Barcode.objects.create(product=product, code=code)
    except IntegrityError:
        raise DomainError("BARCODE_DUPLICATE", field="barcode") from None
    audit.record(actor, "product.barcode_add", product, after={"barcode": code})
    return barcode


@transaction.atomic
def remove_barcode(*, actor: Actor, product: Product, code: str) -> None:
    deleted, _rows = Barcode.objects.filter(product=product, code=code).delete()
    if deleted:
        audit.record(actor, "product.barcode_remove", product, before={"barcode": code})


def _clean_supplier(supplier):
    supplier.name = supplier.name.strip()
    if not supplier.name:
        raise _invalid("name", _("请填写供应商名称"))
    if Supplier.objects.filter(name=supplier.name).exclude(pk=supplier.pk).exists():
        raise _invalid("name", _("供应商名称已存在"))


@transaction.atomic
def create_supplier(*, actor: Actor, name: str, **fields) -> Supplier:
    supplier = Supplier(
        name=name, **{k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    )
    _clean_supplier(supplier)
    supplier.save()
    audit.record(
        actor, "supplier.create", supplier, after=audit.snapshot(supplier, SUPPLIER_FIELDS)
    )
    return supplier


@transaction.atomic
def update_supplier(*, actor: Actor, supplier: Supplier, **changes) -> Supplier:
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    before = audit.snapshot(supplier, SUPPLIER_FIELDS)
    for name, value in changes.items():
        if name not in SUPPLIER_FIELDS:
            raise TypeError(f"not editable: {name}")
        setattr(supplier, name, value.strip() if isinstance(value, str) else value)
    _clean_supplier(supplier)
    supplier.save()
    old, new = audit.changes(before, audit.snapshot(supplier, SUPPLIER_FIELDS))
    if new:
        audit.record(actor, "supplier.update", supplier, before=old, after=new)
    return supplier
