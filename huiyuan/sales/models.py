"""Orders (sales), their lines, discounts, payments and coupons; returns; shifts; suspended sales.

An order is never edited once completed: corrections are returns (DESIGN §4); its lines,
discounts, payments and coupons, and a return's lines and refunds, are append-only. Amounts are fen,
quantities Decimal (weighed goods by the kilogram, three places), points integers.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huiyuan.core.models import AppendOnlyModel, Store

QTY = {"max_digits": 12, "decimal_places": 3}


class Tender(models.TextChoices):
    """How an order is paid (API.md's `payments[].method`)."""

    CASH = "cash", _("现金")
    BANK_CARD = "bank_card", _("银行卡")
    WECHAT = "wechat", _("微信支付")
    ALIPAY = "alipay", _("支付宝")
    STORED_VALUE = "stored_value", _("储值")
    POINTS = "points", _("积分抵现")


class Shift(models.Model):
    """交班: a cashier's till session, from the float to the counted cash."""

    store = models.ForeignKey(
        Store, verbose_name=_("门店"), on_delete=models.PROTECT, related_name="+"
    )
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收银员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("开班时间"), auto_now_add=True)
    float_fen = models.BigIntegerField(_("备用金（分）"), default=0)
    closed_at = models.DateTimeField(_("交班时间"), null=True, blank=True)
    expected_cash_fen = models.BigIntegerField(_("应有现金（分）"), null=True, blank=True)
    counted_cash_fen = models.BigIntegerField(_("实点现金（分）"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("班次")
        verbose_name_plural = _("班次")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cashier", "store"],
                condition=Q(closed_at__isnull=True),
                name="one_open_shift_per_cashier_and_store",
            )
        ]

    def __str__(self):
        return f"{self.cashier} {self.opened_at:%Y-%m-%d %H:%M}"


class Order(models.Model):
    class Status(models.TextChoices):
        COMPLETED = "completed", _("已完成")
        PARTLY_RETURNED = "partly_returned", _("部分退货")
        RETURNED = "returned", _("已全部退货")

    order_no = models.CharField(_("单号"), max_length=32, unique=True)
    # The till's key for this sale (made when the pay dialog opens; an API call's Idempotency-Key):
    # a retried submission finds the order instead of making a second one.
    sale_key = models.CharField(_("收银请求号"), max_length=64, null=True, blank=True)
    # SHA-256 of what the sale asked for (sales.sale_keys.sale_fingerprint): the same key with
    # another cart or other payments is IDEMPOTENCY_KEY_REUSED, not the first order.
    sale_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    store = models.ForeignKey(
        Store, verbose_name=_("门店"), on_delete=models.PROTECT, related_name="+"
    )
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收银员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    api_key = models.ForeignKey(
        "api.ApiKey",
        verbose_name=_("终端"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    shift = models.ForeignKey(
        Shift,
        verbose_name=_("班次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("会员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    card = models.ForeignKey(
        "cards.Card",
        verbose_name=_("会员卡"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.COMPLETED
    )
    list_total_fen = models.BigIntegerField(_("原价合计（分）"))
    discount_fen = models.BigIntegerField(_("优惠合计（分）"))
    payable_fen = models.BigIntegerField(_("应付（分）"))
    tendered_fen = models.BigIntegerField(
        _("实收（分）"), default=0
    )  # all tenders, cash given in full
    change_fen = models.BigIntegerField(_("找零（分）"), default=0)
    points_earned = models.BigIntegerField(_("获得积分"), default=0)
    points_used = models.BigIntegerField(_("使用积分"), default=0)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("销售单")
        verbose_name_plural = _("销售单")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["store", "sale_key"], name="order_sale_key_once"),
            models.CheckConstraint(
                condition=Q(payable_fen__gte=0), name="order_payable_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(change_fen__gte=0), name="order_change_not_negative"
            ),
        ]

    def __str__(self):
        return self.order_no


class OrderLine(AppendOnlyModel):
    order = models.ForeignKey(
        Order, verbose_name=_("销售单"), on_delete=models.PROTECT, related_name="lines"
    )
    line_no = models.PositiveSmallIntegerField(_("行号"))
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("商品"), on_delete=models.PROTECT, related_name="+"
    )
    product_code = models.CharField(_("商品编码"), max_length=32)
    product_name = models.CharField(_("商品名称"), max_length=100)
    barcode = models.CharField(_("条码"), max_length=32, blank=True)
    qty = models.DecimalField(_("数量"), **QTY)
    list_price_fen = models.BigIntegerField(_("原价（分）"))
    unit_price_fen = models.BigIntegerField(_("单价（分）"))
    list_total_fen = models.BigIntegerField(_("原价小计（分）"))
    discount_fen = models.BigIntegerField(_("优惠（分）"))
    total_fen = models.BigIntegerField(_("小计（分）"))
    points_earned = models.BigIntegerField(
        _("获得积分"), default=0
    )  # this line's share, for returns
    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导购"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    add_price_offer_id = models.PositiveIntegerField(_("换购活动"), null=True, blank=True)
    is_gift = models.BooleanField(_("赠品"), default=False)

    class Meta:
        verbose_name = _("销售明细")
        verbose_name_plural = _("销售明细")
        ordering = ["order", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["order", "line_no"], name="order_line_no_unique"),
            models.CheckConstraint(condition=Q(qty__gt=0), name="order_line_qty_positive"),
            models.CheckConstraint(
                condition=Q(total_fen=models.F("list_total_fen") - models.F("discount_fen")),
                name="order_line_adds_up",
            ),
        ]

    def __str__(self):
        return f"{self.order_id}#{self.line_no} {self.product_name}"


class LineDiscount(AppendOnlyModel):
    """One discount on a line, with the snapshotted name of the promotion, benefit or coupon."""

    line = models.ForeignKey(
        OrderLine, verbose_name=_("明细"), on_delete=models.PROTECT, related_name="discounts"
    )
    kind = models.CharField(_("类型"), max_length=16)  # sales.pricing.Adjustment.kind
    source_id = models.PositiveIntegerField(_("来源"), null=True, blank=True)
    source_name = models.CharField(_("名称"), max_length=100)
    amount_fen = models.BigIntegerField(_("金额（分）"))

    class Meta:
        verbose_name = _("明细优惠")
        verbose_name_plural = _("明细优惠")
        ordering = ["line", "id"]

    def __str__(self):
        return f"{self.source_name} −{self.amount_fen}"


class Payment(AppendOnlyModel):
    """One tender of an order. Stored value records its principal/bonus split; points the points
    spent; external tenders an optional reference (this system moves no money for them)."""

    order = models.ForeignKey(
        Order, verbose_name=_("销售单"), on_delete=models.PROTECT, related_name="payments"
    )
    method = models.CharField(_("支付方式"), max_length=16, choices=Tender.choices)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    principal_fen = models.BigIntegerField(_("本金（分）"), default=0)
    bonus_fen = models.BigIntegerField(_("赠送金（分）"), default=0)
    points = models.BigIntegerField(_("积分"), default=0)
    external_ref = models.CharField(_("交易参考号"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("支付")
        verbose_name_plural = _("支付")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self):
        return f"{self.get_method_display()} {self.amount_fen}"


class OrderCoupon(AppendOnlyModel):
    class Role(models.TextChoices):
        USED = "used", _("使用")
        ISSUED = "issued", _("发放")

    order = models.ForeignKey(
        Order, verbose_name=_("销售单"), on_delete=models.PROTECT, related_name="coupons"
    )
    coupon = models.ForeignKey(
        "coupons.Coupon", verbose_name=_("优惠券"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("用途"), max_length=8, choices=Role.choices)
    amount_fen = models.BigIntegerField(_("抵扣（分）"), default=0)

    class Meta:
        verbose_name = _("销售单优惠券")
        verbose_name_plural = _("销售单优惠券")
        constraints = [
            models.UniqueConstraint(fields=["order", "coupon", "role"], name="order_coupon_once"),
        ]

    def __str__(self):
        return f"{self.order_id} {self.role} {self.coupon_id}"


class SalesReturn(models.Model):
    """退货: lines and quantities of one order, refunded to its tenders (sales/returns.py)."""

    return_no = models.CharField(_("退货单号"), max_length=32, unique=True)
    order = models.ForeignKey(
        Order, verbose_name=_("原销售单"), on_delete=models.PROTECT, related_name="returns"
    )
    store = models.ForeignKey(
        Store, verbose_name=_("门店"), on_delete=models.PROTECT, related_name="+"
    )
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    shift = models.ForeignKey(
        Shift,
        verbose_name=_("班次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="returns",
    )
    # The till's key for this return (an API call's Idempotency-Key): a retry finds it again.
    request_key = models.CharField(_("退货请求号"), max_length=64, null=True, blank=True)
    with_receipt = models.BooleanField(_("凭小票"), default=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    refund_fen = models.BigIntegerField(_("退款合计（分）"))
    points_clawed_back = models.BigIntegerField(_("扣回积分"), default=0)
    points_debt = models.BigIntegerField(_("记为积分欠账"), default=0)
    points_shortfall_fen = models.BigIntegerField(_("积分不足抵扣现金（分）"), default=0)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("退货单")
        verbose_name_plural = _("退货单")
        ordering = ["-created_at", "-id"]
        permissions = [("return_without_receipt", _("无小票退货"))]
        constraints = [
            models.UniqueConstraint(fields=["order", "request_key"], name="return_request_once")
        ]

    def __str__(self):
        return self.return_no


class ReturnLine(AppendOnlyModel):
    sales_return = models.ForeignKey(
        SalesReturn, verbose_name=_("退货单"), on_delete=models.PROTECT, related_name="lines"
    )
    order_line = models.ForeignKey(
        OrderLine, verbose_name=_("原明细"), on_delete=models.PROTECT, related_name="returned"
    )
    qty = models.DecimalField(_("数量"), **QTY)
    refund_fen = models.BigIntegerField(_("退款（分）"))
    points_clawed_back = models.BigIntegerField(_("扣回积分"), default=0)

    class Meta:
        verbose_name = _("退货明细")
        verbose_name_plural = _("退货明细")
        constraints = [
            models.CheckConstraint(condition=Q(qty__gt=0), name="return_line_qty_positive")
        ]

    def __str__(self):
        return f"{self.sales_return_id} {self.order_line_id} ×{self.qty}"


class Refund(AppendOnlyModel):
    """What one return paid back on one tender of the original order."""

    sales_return = models.ForeignKey(
        SalesReturn, verbose_name=_("退货单"), on_delete=models.PROTECT, related_name="refunds"
    )
    method = models.CharField(_("退款方式"), max_length=16, choices=Tender.choices)
    tender = models.CharField(
        _("原支付方式"), max_length=16, choices=Tender.choices, default=""
    )  # the order's tender this refund reverses (an external tender may be paid back in cash)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    principal_fen = models.BigIntegerField(_("本金（分）"), default=0)
    bonus_fen = models.BigIntegerField(_("赠送金（分）"), default=0)
    points = models.BigIntegerField(_("积分"), default=0)

    class Meta:
        verbose_name = _("退款")
        verbose_name_plural = _("退款")

    def __str__(self):
        return f"{self.get_method_display()} {self.amount_fen}"


class ReturnSettings(models.Model):
    """How returns settle what the member can no longer give back (one row, `current()`)."""

    class Shortfall(models.TextChoices):
        DEBT = "debt", _("记为积分欠账，以后获得的积分先抵扣")
        DEDUCT = "deduct", _("按积分抵现价值从现金退款中扣除")

    class UsedCoupon(models.TextChoices):
        DEDUCT = "deduct", _("从退款中扣除面值")
        KEEP = "keep", _("不扣除")

    points_shortfall = models.CharField(
        _("已用掉的退货积分"), max_length=8, choices=Shortfall.choices, default=Shortfall.DEBT
    )
    used_issued_coupon = models.CharField(
        _("本单所送且已使用的优惠券"),
        max_length=8,
        choices=UsedCoupon.choices,
        default=UsedCoupon.DEDUCT,
    )

    class Meta:
        verbose_name = _("退货设置")
        verbose_name_plural = _("退货设置")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "ReturnSettings":
        return cls.objects.get_or_create(pk=1)[0]


class SuspendedSale(models.Model):
    """挂单: a cart put aside at a till, resumed later (取单) at any till of the store."""

    store = models.ForeignKey(
        Store, verbose_name=_("门店"), on_delete=models.PROTECT, related_name="+"
    )
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收银员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    label = models.CharField(_("备注"), max_length=40, blank=True)
    cart = models.JSONField(
        _("购物车")
    )  # {"member_no", "lines": [{barcode|product_code, qty}], "coupon_codes"}
    created_at = models.DateTimeField(_("挂单时间"), auto_now_add=True)
    resumed_at = models.DateTimeField(_("取单时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("挂单")
        verbose_name_plural = _("挂单")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.label or f"{self.cashier} {self.created_at:%H:%M}"
