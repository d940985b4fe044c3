"""The gift catalogue (积分商城): gifts bought with points, and the redemption bills (兑换礼品单据).

A gift is a product (handed out from the store's stock through `inventory.post_move`) or a coupon
(issued by `coupons.services.issue_coupon`). Its points price may differ per tier. A redemption
bill and its lines are append-only: they are the receipt of points and stock already moved.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiyuan.core.models import AppendOnlyModel, Store


class GiftKind(models.TextChoices):
    PRODUCT = "product", _("实物礼品")
    COUPON = "coupon", _("优惠券")


class LimitPeriod(models.TextChoices):
    EVER = "ever", _("累计")
    DAY = "day", _("每天")
    MONTH = "month", _("每月")
    YEAR = "year", _("每年")


class Gift(models.Model):
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("礼品类型"), max_length=8, choices=GiftKind.choices)
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("商品"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    coupon_template = models.ForeignKey(
        "coupons.CouponTemplate",
        verbose_name=_("优惠券模板"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    points = models.PositiveIntegerField(_("兑换积分"))
    per_member_limit = models.PositiveIntegerField(
        _("每人限兑数量"), null=True, blank=True, help_text=_("留空表示不限")
    )
    limit_period = models.CharField(
        _("限兑周期"), max_length=8, choices=LimitPeriod.choices, default=LimitPeriod.EVER
    )
    total_quantity = models.PositiveIntegerField(
        _("总兑换数量上限"), null=True, blank=True, help_text=_("留空表示不限（实物另受库存限制）")
    )
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    is_active = models.BooleanField(_("上架"), default=True)
    sort_order = models.IntegerField(_("排序"), default=0, help_text=_("小的在前"))
    description = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model name", "礼品")
        verbose_name_plural = pgettext_lazy("plural", "礼品")
        ordering = ["sort_order", "points", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=GiftKind.PRODUCT, product__isnull=False, coupon_template__isnull=True)
                    | Q(kind=GiftKind.COUPON, product__isnull=True, coupon_template__isnull=False)
                ),
                name="gift_product_or_coupon",
            ),
            models.CheckConstraint(condition=Q(points__gt=0), name="gift_points_positive"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="gift_dates_ordered",
                violation_error_message=_("结束日期不能早于开始日期"),
            ),
        ]

    def __str__(self):
        return self.name


class GiftTierPrice(models.Model):
    """A tier's own points price for a gift (tiers without a row pay the gift's price)."""

    gift = models.ForeignKey(
        Gift, verbose_name=_("礼品"), on_delete=models.CASCADE, related_name="tier_prices"
    )
    tier = models.ForeignKey(
        "tiers.Tier", verbose_name=_("会员等级"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.PositiveIntegerField(_("兑换积分"))

    class Meta:
        verbose_name = _("等级兑换价")
        verbose_name_plural = _("等级兑换价")
        constraints = [
            models.UniqueConstraint(fields=["gift", "tier"], name="gift_tier_price_once"),
            models.CheckConstraint(condition=Q(points__gt=0), name="gift_tier_points_positive"),
        ]

    def __str__(self):
        return f"{self.gift_id} {self.tier_id}: {self.points}"


class GiftRedemption(AppendOnlyModel):
    """One redemption bill: its points left the member's account in one ledger row (`ref_no` =
    `number`), its product lines left the store's stock as `gift` moves with the same number."""

    number = models.CharField(_("兑换单号"), max_length=20, unique=True)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("会员"),
        on_delete=models.PROTECT,
        related_name="gift_redemptions",
    )
    card = models.ForeignKey(
        "cards.Card",
        verbose_name=_("会员卡"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    store = models.ForeignKey(
        Store, verbose_name=_("门店"), on_delete=models.PROTECT, related_name="+"
    )
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
    total_points = models.PositiveIntegerField(_("合计积分"))
    points_after = models.BigIntegerField(_("兑换后积分"))
    # A desk form's one-time token (or a till's reference): the same one again is the same bill.
    request_ref = models.CharField(_("请求编号"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("兑换时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("礼品兑换单")
        verbose_name_plural = _("礼品兑换单")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "request_ref"],
                condition=~Q(request_ref=""),
                name="gift_redemption_request_once",
            ),
            models.CheckConstraint(
                condition=Q(total_points__gt=0), name="gift_redemption_points_positive"
            ),
        ]

    def __str__(self):
        return self.number


class GiftRedemptionLine(AppendOnlyModel):
    """One gift on a bill, with what it was when redeemed (name, product, coupons issued)."""

    redemption = models.ForeignKey(
        GiftRedemption, verbose_name=_("兑换单"), on_delete=models.PROTECT, related_name="lines"
    )
    gift = models.ForeignKey(
        Gift, verbose_name=_("礼品"), on_delete=models.PROTECT, related_name="redemption_lines"
    )
    kind = models.CharField(_("礼品类型"), max_length=8, choices=GiftKind.choices)
    name = models.CharField(_("礼品名称"), max_length=60)
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("商品"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    product_code = models.CharField(_("商品编码"), max_length=30, blank=True)
    coupon_template = models.ForeignKey(
        "coupons.CouponTemplate",
        verbose_name=_("优惠券模板"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    coupon_codes = models.JSONField(_("券号"), default=list, blank=True)
    qty = models.PositiveIntegerField(_("数量"))
    points_each = models.PositiveIntegerField(_("单价积分"))
    points_total = models.PositiveIntegerField(_("积分小计"))

    class Meta:
        verbose_name = _("礼品兑换明细")
        verbose_name_plural = _("礼品兑换明细")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(qty__gt=0), name="gift_line_qty_positive"),
            models.CheckConstraint(
                condition=Q(points_total=models.F("qty") * models.F("points_each")),
                name="gift_line_total",
            ),
        ]

    def __str__(self):
        return f"{self.name} × {self.qty}"
