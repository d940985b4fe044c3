"""Stock: locations, levels and the append-only stock ledger (`StockMove`), and the documents
that move stock (purchase receipt, supplier return, transfer, stocktake, write-off).

A level has three quantities, each a sum of its own moves (`StockMove.bucket`): on hand, frozen
(set aside for a confirmed transfer or an open stocktake) and in transit towards this location.
`verify_ledgers` proves all three (`inventory/checks.py`).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from huiyuan.core.models import AppendOnlyModel, Store

QTY = {"max_digits": 12, "decimal_places": 3}


def value_fen(qty: Decimal, unit_cost_fen: int) -> int:
    """qty × unit cost, half-up to the fen."""
    return int((qty * unit_cost_fen).to_integral_value(ROUND_HALF_UP))


class Location(models.Model):
    """Where stock is kept: each store's shop floor (made on first use) and maybe a back room."""

    class Kind(models.TextChoices):
        FLOOR = "floor", _("门店")
        BACK_ROOM = "back_room", _("后仓")

    store = models.ForeignKey(
        Store, verbose_name=_("门店"), on_delete=models.PROTECT, related_name="locations"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.FLOOR)
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        verbose_name = _("库位")
        verbose_name_plural = _("库位")
        ordering = ["store__code", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["store", "kind"], name="location_one_per_store_kind")
        ]

    def __str__(self):
        return f"{self.store.name} {self.name}"


class Bucket(models.TextChoices):
    ON_HAND = "on_hand", _("在库")
    FROZEN = "frozen", _("冻结")
    IN_TRANSIT = "in_transit", _("在途")


class StockLevel(models.Model):
    """One product at one location. Changed only by `services.post_move`, row-locked.

    `frozen <= on_hand` is kept by the service, not the database: a store that allows negative
    stock may sell below what is frozen (the goods left the shop anyway)."""

    location = models.ForeignKey(
        Location, verbose_name=_("库位"), on_delete=models.PROTECT, related_name="levels"
    )
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("商品"), on_delete=models.PROTECT, related_name="+"
    )
    on_hand = models.DecimalField(_("在库数量"), default=0, **QTY)
    frozen = models.DecimalField(_("冻结数量"), default=0, **QTY)
    in_transit_in = models.DecimalField(_("在途数量"), default=0, **QTY)
    avg_cost_fen = models.PositiveIntegerField(_("移动平均成本（分）"), default=0)
    min_qty = models.DecimalField(_("库存下限"), null=True, blank=True, **QTY)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("库存")
        verbose_name_plural = _("库存")
        ordering = ["location", "product__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "product"], name="stock_level_one_per_location_product"
            ),
            models.CheckConstraint(condition=Q(frozen__gte=0), name="stock_frozen_not_negative"),
            models.CheckConstraint(
                condition=Q(in_transit_in__gte=0), name="stock_in_transit_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(min_qty__isnull=True) | Q(min_qty__gte=0), name="stock_min_not_negative"
            ),
        ]
        permissions = [
            ("manage_stock_documents", gettext_noop("可制作和确认库存单据")),
            ("view_stock_valuation", gettext_noop("可查看库存估值与报表")),
        ]

    def __str__(self):
        return f"{self.location} {self.product}"

    @property
    def available(self):
        return self.on_hand - self.frozen

    @property
    def is_low(self) -> bool:
        return self.min_qty is not None and self.available < self.min_qty


class MoveKind(models.TextChoices):
    RECEIPT = "receipt", _("进货")
    SUPPLIER_RETURN = "supplier_return", _("退货")
    TRANSFER_OUT = "transfer_out", _("调出")
    TRANSFER_IN = "transfer_in", _("调入")
    STOCKTAKE_GAIN = "stocktake_gain", _("盘盈")
    STOCKTAKE_LOSS = "stocktake_loss", _("盘亏")
    WRITE_OFF = "write_off", _("报损")
    SALE = "sale", _("销售")
    CUSTOMER_RETURN = "customer_return", _("顾客退货")
    GIFT = "gift", _("礼品兑换")
    ADJUST = "adjust", _("调整")
    FREEZE = "freeze", _("冻结")
    UNFREEZE = "unfreeze", _("解冻")
    TRANSIT_START = "transit_start", _("发出在途")
    TRANSIT_END = "transit_end", _("在途到达")


# The bucket each kind moves and its sign (+1 in, -1 out, 0 either way).
KIND_RULES: dict[str, tuple[str, int]] = {
    MoveKind.RECEIPT: (Bucket.ON_HAND, 1),
    MoveKind.SUPPLIER_RETURN: (Bucket.ON_HAND, -1),
    MoveKind.TRANSFER_OUT: (Bucket.ON_HAND, -1),
    MoveKind.TRANSFER_IN: (Bucket.ON_HAND, 1),
    MoveKind.STOCKTAKE_GAIN: (Bucket.ON_HAND, 1),
    MoveKind.STOCKTAKE_LOSS: (Bucket.ON_HAND, -1),
    MoveKind.WRITE_OFF: (Bucket.ON_HAND, -1),
    MoveKind.SALE: (Bucket.ON_HAND, -1),
    MoveKind.CUSTOMER_RETURN: (Bucket.ON_HAND, 1),
    MoveKind.GIFT: (Bucket.ON_HAND, -1),
    MoveKind.ADJUST: (Bucket.ON_HAND, 0),
    MoveKind.FREEZE: (Bucket.FROZEN, 1),
    MoveKind.UNFREEZE: (Bucket.FROZEN, -1),
    MoveKind.TRANSIT_START: (Bucket.IN_TRANSIT, 1),
    MoveKind.TRANSIT_END: (Bucket.IN_TRANSIT, -1),
}


class StockMove(AppendOnlyModel):
    """One change of one bucket of one level, written in the level's transaction."""

    kind = models.CharField(_("类型"), max_length=16, choices=MoveKind.choices)
    bucket = models.CharField(_("库存项"), max_length=10, choices=Bucket.choices)
    location = models.ForeignKey(
        Location, verbose_name=_("库位"), on_delete=models.PROTECT, related_name="+"
    )
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("商品"), on_delete=models.PROTECT, related_name="+"
    )
    qty = models.DecimalField(_("数量"), **QTY)
    balance_after = models.DecimalField(_("变动后数量"), **QTY)
    unit_cost_fen = models.PositiveIntegerField(_("单位成本（分）"))
    ref_type = models.CharField(_("单据类型"), max_length=32, blank=True)
    ref_no = models.CharField(_("单据号"), max_length=64, blank=True, db_index=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    api_key = models.ForeignKey(
        "api.ApiKey",
        verbose_name=_("API 密钥"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    store = models.ForeignKey(Store, verbose_name=_("门店"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("库存流水")
        verbose_name_plural = _("库存流水")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["product", "location", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.product_id} {self.qty}"


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    CONFIRMED = "confirmed", _("已确认")
    SHIPPED = "shipped", _("已发货")
    RECEIVED = "received", _("已收货")
    CANCELLED = "cancelled", _("已作废")


class StockDocument(models.Model):
    """What every stock document has: a number, a state, who made and confirmed it, a note."""

    number = models.CharField(_("单号"), max_length=20, unique=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制单人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("制单时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    PREFIX = ""

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.number


class LocatedDocument(StockDocument):
    """A document of one location (all but the transfer)."""

    location = models.ForeignKey(
        Location, verbose_name=_("库位"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta(StockDocument.Meta):
        abstract = True

    @property
    def stores(self):
        return [self.location.store]


class DocumentLine(models.Model):
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("商品"), on_delete=models.PROTECT, related_name="+"
    )
    qty = models.DecimalField(_("数量"), **QTY)
    unit_cost_fen = models.PositiveIntegerField(_("单位成本（分）"), default=0)

    class Meta:
        abstract = True
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(qty__gt=0), name="%(class)s_qty_positive")
        ]

    def __str__(self):
        return f"{self.product} × {self.qty}"

    @property
    def value_fen(self) -> int:
        return value_fen(self.qty, self.unit_cost_fen)


class PurchaseReceipt(LocatedDocument):
    PREFIX = "JH"
    supplier = models.ForeignKey(
        "catalog.Supplier", verbose_name=_("供应商"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta(LocatedDocument.Meta):
        verbose_name = _("进货单")
        verbose_name_plural = _("进货单")


class PurchaseReceiptLine(DocumentLine):
    document = models.ForeignKey(PurchaseReceipt, on_delete=models.CASCADE, related_name="lines")

    class Meta(DocumentLine.Meta):
        verbose_name = _("进货明细")


class SupplierReturn(LocatedDocument):
    PREFIX = "TH"
    supplier = models.ForeignKey(
        "catalog.Supplier", verbose_name=_("供应商"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta(LocatedDocument.Meta):
        verbose_name = _("退货单")
        verbose_name_plural = _("退货单")


class SupplierReturnLine(DocumentLine):
    document = models.ForeignKey(SupplierReturn, on_delete=models.CASCADE, related_name="lines")

    class Meta(DocumentLine.Meta):
        verbose_name = _("退货明细")


class WriteOff(LocatedDocument):
    PREFIX = "BS"

    class Reason(models.TextChoices):
        DAMAGE = "damage", _("损坏")
        LOSS = "loss", _("丢失")
        EXPIRY = "expiry", _("过期")

    reason = models.CharField(_("报损原因"), max_length=10, choices=Reason.choices)

    class Meta(LocatedDocument.Meta):
        verbose_name = _("报损单")
        verbose_name_plural = _("报损单")


class WriteOffLine(DocumentLine):
    document = models.ForeignKey(WriteOff, on_delete=models.CASCADE, related_name="lines")

    class Meta(DocumentLine.Meta):
        verbose_name = _("报损明细")


class Transfer(StockDocument):
    """draft → confirmed (frozen at the source) → shipped (in transit) → received; a draft or
    confirmed transfer can be cancelled (the freeze is released)."""

    PREFIX = "DB"
    source = models.ForeignKey(
        Location, verbose_name=_("调出库位"), on_delete=models.PROTECT, related_name="+"
    )
    destination = models.ForeignKey(
        Location, verbose_name=_("调入库位"), on_delete=models.PROTECT, related_name="+"
    )
    shipped_at = models.DateTimeField(_("发货时间"), null=True, blank=True)
    received_at = models.DateTimeField(_("收货时间"), null=True, blank=True)
    variance_note = models.CharField(_("差异说明"), max_length=200, blank=True)

    class Meta(StockDocument.Meta):
        verbose_name = _("调拨单")
        verbose_name_plural = _("调拨单")
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=F("destination")), name="transfer_between_two_locations"
            )
        ]

    @property
    def stores(self):
        return [self.source.store, self.destination.store]


class TransferLine(DocumentLine):
    received_qty = models.DecimalField(_("实收数量"), null=True, blank=True, **QTY)
    document = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="lines")

    class Meta(DocumentLine.Meta):
        verbose_name = _("调拨明细")

    @property
    def variance(self):
        return None if self.received_qty is None else self.received_qty - self.qty


class Stocktake(LocatedDocument):
    """A count of one location, optionally limited to a category subtree. A counted product is
    frozen (its whole available quantity) while the sheet is open, so nothing leaves uncounted."""

    PREFIX = "PD"
    category = models.ForeignKey(
        "catalog.Category",
        verbose_name=_("盘点类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("不选表示全部商品"),
    )

    class Meta(LocatedDocument.Meta):
        verbose_name = _("盘点单")
        verbose_name_plural = _("盘点单")


class StocktakeLine(models.Model):
    document = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("商品"), on_delete=models.PROTECT, related_name="+"
    )
    counted_qty = models.DecimalField(_("实盘数量"), **QTY)
    frozen_qty = models.DecimalField(_("冻结数量"), default=0, **QTY)
    book_qty = models.DecimalField(_("账面数量"), null=True, blank=True, **QTY)
    unit_cost_fen = models.PositiveIntegerField(_("单位成本（分）"), default=0)

    class Meta:
        verbose_name = _("盘点明细")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "product"], name="stocktake_line_one_per_product"
            ),
            models.CheckConstraint(
                condition=Q(counted_qty__gte=0), name="stocktake_counted_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.product} {self.counted_qty}"

    @property
    def variance(self):
        return None if self.book_qty is None else self.counted_qty - self.book_qty

    @property
    def value_fen(self) -> int | None:
        """The variance at cost (after confirming)."""
        return None if self.variance is None else value_fen(self.variance, self.unit_cost_fen)
