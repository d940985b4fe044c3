"""Products (API.md "Products"): thin wrappers over `catalog.selectors`.

`GET /products?barcode=` answers the one product the scanned code names (a scale label adds the
embedded weight and price under `scale`); `?q=` searches code, barcode, name, pinyin and initials.
Both answer the usual list shape, with the stock at the API key's store."""

from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from huiyuan.api.conventions import Pagination
from huiyuan.api.schemas import NO_NUL
from huiyuan.catalog import selectors
from huiyuan.inventory.selectors import annotated_stock, stock_at, with_stock_at

router = Router(tags=["商品"])


class CategoryOut(Schema):
    code: str
    name: str


class StockOut(Schema):
    on_hand: Decimal
    frozen: Decimal
    available: Decimal = Field(..., description="on_hand − frozen")
    in_transit_in: Decimal = Field(..., description="调拨在途、将到本店的数量")


class ScaleOut(Schema):
    barcode: str
    qty: Decimal | None = Field(None, description="称重数量（千克），价格码由价格与零售价推算")
    price_fen: int | None = Field(None, description="条码中的金额（分），重量码由重量乘零售价")


class ProductOut(Schema):
    code: str
    name: str
    unit: str
    spec: str
    brand: str
    category: CategoryOut
    barcodes: list[str]
    retail_price_fen: int = Field(..., description="称重商品为每千克价")
    member_price_fen: int | None = Field(None, description="null：无会员价")
    earns_points: bool
    member_discount_applies: bool
    is_service: bool
    is_weighed: bool
    plu: str | None
    status: str = Field(..., description="`active`（在售）或 `inactive`（停售）")
    stock: StockOut | None = Field(None, description="本密钥所属门店的库存")
    scale: ScaleOut | None = Field(None, description="称重/计价条码（秤码）的内容")

    @staticmethod
    def resolve_barcodes(obj) -> list[str]:
        return [barcode.code for barcode in obj.barcodes.all()]

    @staticmethod
    def resolve_stock(obj, context):
        # A list comes annotated (with_stock_at, one query); a scanned product is asked alone.
        if hasattr(obj, "stock_on_hand"):
            stock = annotated_stock(obj)
        else:
            stock = stock_at(context["request"].auth.store, obj)
        return {**stock.__dict__, "available": stock.available}

    @staticmethod
    def resolve_scale(obj):
        return getattr(obj, "scanned", None)


class SearchIn(Schema):
    barcode: str = Field("", max_length=32, pattern=NO_NUL, description="扫描到的条码（含秤码）")
    q: str = Field(
        "", max_length=100, pattern=NO_NUL, description="商品编码、条码、名称、拼音或首字母"
    )


@router.get("/products", response=list[ProductOut])
@paginate(Pagination)
def products(request: HttpRequest, filters: Annotated[SearchIn, Query()]):
    """按条码找一个商品（错误校验位为 `422 BARCODE_INVALID`，找不到为 `404 PRODUCT_NOT_FOUND`），
    或按关键字查找商品。"""
    if filters.barcode:
        item = selectors.find_by_barcode(filters.barcode)
        product = item.product
        if item.qty is not None or item.price_fen is not None:
            product.scanned = ScaleOut(barcode=item.barcode, qty=item.qty, price_fen=item.price_fen)
        return [product]
    found = selectors.search_products(filters.q).prefetch_related("barcodes").order_by("code")
    return with_stock_at(found, request.auth.store)
