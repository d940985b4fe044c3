"""The stock reports (库存统计, 库存明细, 库存估值): querysets scoped to the operator's stores,
and their xlsx columns."""

from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from huiyuan.catalog.selectors import category_subtree
from huiyuan.core.xlsx import download_rows, when, who
from huiyuan.inventory.models import QTY, StockLevel, StockMove
from huiyuan.staff.scope import scope_to_stores


def _filtered(rows: QuerySet, operator, *, store_field, store=None, category=None, q=""):
    rows = scope_to_stores(rows, operator, store_field)
    if store:
        rows = rows.filter(**{store_field: store})
    if category:
        rows = rows.filter(product__category__in=category_subtree(category))
    if q:
        rows = rows.filter(Q(product__code=q) | Q(product__name__icontains=q))
    return rows


def stock_levels(operator, *, low=False, **filters) -> QuerySet:
    levels = StockLevel.objects.select_related("location__store", "product__category")
    levels = _filtered(levels, operator, store_field="location__store", **filters)
    levels = levels.annotate(available_qty=F("on_hand") - F("frozen"))
    if low:
        levels = levels.filter(min_qty__isnull=False, available_qty__lt=F("min_qty"))
    return levels.order_by("location__store__code", "location__kind", "product__code")


def low_stock(operator) -> QuerySet:
    """The alert list: available below the level's minimum."""
    return stock_levels(operator, low=True)


def moves(operator, *, date_from=None, date_to=None, **filters) -> QuerySet:
    rows = StockMove.objects.select_related("location__store", "product", "operator", "api_key")
    rows = _filtered(rows, operator, store_field="store", **filters)
    if date_from:
        rows = rows.filter(created_at__date__gte=date_from)
    if date_to:
        rows = rows.filter(created_at__date__lte=date_to)
    return rows


def valuation(operator, **filters) -> QuerySet:
    """On hand at moving-average cost, by store and category (negative stock counts as 0)."""
    levels = _filtered(
        StockLevel.objects.filter(on_hand__gt=0), operator, store_field="location__store", **filters
    )
    value = ExpressionWrapper(
        F("on_hand") * F("avg_cost_fen"), output_field=DecimalField(max_digits=24, decimal_places=3)
    )
    return (
        levels.values("location__store__code", "location__store__name", "product__category__name")
        .annotate(qty=Sum("on_hand", output_field=DecimalField(**QTY)), value=Sum(value))
        .order_by("location__store__code", "product__category__name")
    )


LEVEL_COLUMNS = (
    (_("门店"), lambda x: x.location.store.name),
    (_("库位"), lambda x: x.location.name),
    (_("商品编码"), lambda x: x.product.code),
    (_("商品"), lambda x: x.product.name),
    (_("类别"), lambda x: x.product.category.name),
    (_("在库"), lambda x: x.on_hand),
    (_("冻结"), lambda x: x.frozen),
    (_("可用"), lambda x: x.available),
    (_("在途"), lambda x: x.in_transit_in),
    (_("库存下限"), lambda x: x.min_qty),
    (_("平均成本（元）"), lambda x: x.avg_cost_fen / 100),
)
MOVE_COLUMNS = (
    (_("时间"), when),
    (_("门店"), lambda x: x.location.store.name),
    (_("库位"), lambda x: x.location.name),
    (_("商品编码"), lambda x: x.product.code),
    (_("商品"), lambda x: x.product.name),
    (_("类型"), lambda x: x.get_kind_display()),
    (_("库存项"), lambda x: x.get_bucket_display()),
    (_("数量"), lambda x: x.qty),
    (_("变动后"), lambda x: x.balance_after),
    (_("单位成本（元）"), lambda x: x.unit_cost_fen / 100),
    (_("单据号"), lambda x: x.ref_no),
    (_("操作员"), who),
)
VALUATION_COLUMNS = (
    (_("门店"), lambda x: x["location__store__name"]),
    (_("类别"), lambda x: x["product__category__name"]),
    (_("在库数量"), lambda x: x["qty"]),
    (_("成本金额（元）"), lambda x: x["value_fen"] / 100),
)


# The stock reports' download.
xlsx_download = download_rows
