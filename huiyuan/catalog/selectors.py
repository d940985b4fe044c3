"""Reads of the catalogue that other apps (inventory, the till, promotions) rely on."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet

from huiyuan.catalog import barcodes
from huiyuan.catalog.models import Attribute, Category, Product
from huiyuan.core.errors import DomainError

QTY_PLACES = Decimal("0.001")


@dataclass(frozen=True)
class ScannedItem:
    """A scanned product. For a scale label: the weight (`qty`, kg) and the label's price."""

    product: Product
    qty: Decimal | None = None
    price_fen: int | None = None
    barcode: str = ""


def product_by_code(code: str) -> Product:
    try:
        return Product.objects.select_related("category", "supplier").get(code=code)
    except Product.DoesNotExist:
        raise DomainError("PRODUCT_NOT_FOUND") from None


def find_by_barcode(code: str) -> ScannedItem:
    """The product a scanned code names: BARCODE_INVALID for a bad check digit, else
    PRODUCT_NOT_FOUND. A registered barcode wins over reading the code as a scale label."""
    code = barcodes.normalize(code)
    products = Product.objects.select_related("category").prefetch_related("barcodes")
    product = products.filter(barcodes__code=code).first()
    if product:
        return ScannedItem(product, barcode=code)
    label = barcodes.parse_scale_label(code)
    product = label and products.filter(plu=label.plu, is_weighed=True).first()
    if not product:
        raise DomainError("PRODUCT_NOT_FOUND")
    price = product.retail_price_fen
    if label.weight_kg is not None:
        fen = (label.weight_kg * price).to_integral_value(ROUND_HALF_UP)
        return ScannedItem(product, label.weight_kg, int(fen), code)
    qty = (Decimal(label.price_fen) / price).quantize(QTY_PLACES, ROUND_HALF_UP) if price else None
    return ScannedItem(product, qty, label.price_fen, code)


def category_subtree(category: Category) -> QuerySet:
    """The category and every category under it, in tree order."""
    return Category.objects.filter(path__startswith=category.path).order_by("path")


def category_code_paths(paths) -> dict[str, tuple[str, ...]]:
    """Each category path (treebeard's materialised path) → the category codes along it, root
    first, as the pricing engine's cart lines carry them (one query for them all)."""
    step = Category.steplen
    paths = set(paths)
    prefixes = {path[:end] for path in paths for end in range(step, len(path) + 1, step)}
    codes = dict(Category.objects.filter(path__in=prefixes).values_list("path", "code"))
    return {
        path: tuple(codes[path[:end]] for end in range(step, len(path) + 1, step)) for path in paths
    }


def attributes_for(category: Category) -> list[Attribute]:
    """The attributes a product in `category` has: its own and those of every ancestor."""
    paths = [
        category.path[:end]
        for end in range(Category.steplen, len(category.path) + 1, Category.steplen)
    ]
    return list(
        Attribute.objects.filter(category__path__in=paths).order_by(
            "category__depth", "position", "id"
        )
    )


def search_products(q: str = "") -> QuerySet:
    """Products matching a code, barcode, name, pinyin or pinyin initials."""
    products = Product.objects.select_related("category", "supplier")
    q = (q or "").strip()
    if not q:
        return products
    low = q.lower()
    return products.filter(
        Q(code__iexact=q)
        | Q(barcodes__code=q)
        | Q(name__icontains=q)
        | Q(name_pinyin__startswith=low.replace(" ", ""))
        | Q(name_initials__startswith=low)
    ).distinct()


def filter_by_attributes(products: QuerySet, values: dict) -> QuerySet:
    """Products whose attribute `key` equals each given (already cleaned) value."""
    for key, value in values.items():
        if value not in (None, ""):
            products = products.filter(**{f"attributes__{key}": value})
    return products


def filter_products(*, q="", category=None, supplier=None, status="", attribute_values=None):
    """The product list's filters: search text, category sub-tree, supplier, status, attributes."""
    products = search_products(q)
    if category is not None:
        products = products.filter(category__path__startswith=category.path)
    if supplier is not None:
        products = products.filter(supplier=supplier)
    if status:
        products = products.filter(status=status)
    return filter_by_attributes(products, attribute_values or {}).order_by("code")
