"""Coupon templates, the coupons issued from them, and each coupon's event history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huiyuan.core.models import AppendOnlyModel, Store


class CouponKind(models.TextChoices):
    """The same values as sales.pricing.CouponKind."""

    CASH = "cash", _("代金券")
    PERCENT = "percent", _("折扣券")
    THRESHOLD = "threshold", _("满减券")
    EXCHANGE = "exchange", _("商品兑换券")
    GIFT = "gift", _("赠品券")


class Validity(models.TextChoices):
    FIXED = "fixed", _("固定日期")
    DAYS = "days", _("领取后N天")
    NEXT_MEMBER_DAY = "next_member_day", _("仅下一个会员日")


class CouponTemplate(models.Model):
    name = models.CharField(_("名称"), max_length=60, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=CouponKind.choices)
    face_fen = models.BigIntegerField(_("面值（分）"), default=0)
    permille = models.PositiveSmallIntegerField(_("折扣（千分比）"), default=1000)
    cap_fen = models.BigIntegerField(_("最多优惠（分）"), null=True, blank=True)
    min_spend_fen = models.BigIntegerField(_("最低消费（分）"), default=0)
    products = models.ManyToManyField(
        "catalog.Product", verbose_name=_("适用商品"), blank=True, related_name="+"
    )
    categories = models.ManyToManyField(
        "catalog.Category", verbose_name=_("适用类别"), blank=True, related_name="+"
    )
    stores = models.ManyToManyField(Store, verbose_name=_("适用门店"), blank=True, related_name="+")
    gift_product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("赠品"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    combinable = models.BooleanField(_("可与其他券同用"), default=True)
    validity = models.CharField(_("有效期方式"), max_length=16, choices=Validity.choices)
    valid_from = models.DateField(_("生效日期"), null=True, blank=True)
    valid_until = models.DateField(_("截止日期"), null=True, blank=True)
    valid_days = models.PositiveSmallIntegerField(_("有效天数"), null=True, blank=True)
    member_day = models.ForeignKey(
        "promotions.MemberDay",
        verbose_name=_("会员日"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    per_member_limit = models.PositiveSmallIntegerField(_("每人限领"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("优惠券模板")
        verbose_name_plural = _("优惠券模板")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CouponState(models.TextChoices):
    ISSUED = "issued", _("未使用")
    USED = "used", _("已使用")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已作废")


class CouponSource(models.TextChoices):
    MANUAL = "manual", _("手工发放")
    BULK = "bulk", _("批量发放")
    REGISTRATION = "registration", _("注册")
    BIRTHDAY = "birthday", _("生日")
    FIRST_PURCHASE = "first_purchase", _("首次消费")
    REFERRAL = "referral", _("推荐")
    PURCHASE = "purchase", _("消费满额")
    POINTS = "points", _("积分兑换")
    TIER = "tier", _("等级权益")
    REBATE = "rebate", _("积分返利")


class Coupon(models.Model):
    """One coupon held by one member. `face_fen` is snapshotted at issue (a rebate coupon's value
    is computed per member); the validity window is fixed at issue too."""

    code = models.CharField(_("券号"), max_length=20, unique=True)
    template = models.ForeignKey(
        CouponTemplate, verbose_name=_("模板"), on_delete=models.PROTECT, related_name="coupons"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("会员"), on_delete=models.PROTECT, related_name="coupons"
    )
    face_fen = models.BigIntegerField(_("面值（分）"), default=0)
    state = models.CharField(
        _("状态"), max_length=8, choices=CouponState.choices, default=CouponState.ISSUED
    )
    valid_from = models.DateField(_("生效日期"))
    valid_until = models.DateField(_("截止日期"))
    source = models.CharField(_("来源"), max_length=16, choices=CouponSource.choices)
    source_ref = models.CharField(_("来源单号"), max_length=64, blank=True)
    issued_at = models.DateTimeField(_("发放时间"), auto_now_add=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    order_ref = models.CharField(_("使用单号"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("优惠券")
        verbose_name_plural = _("优惠券")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["member", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")), name="coupon_window_ordered"
            ),
            models.CheckConstraint(condition=Q(face_fen__gte=0), name="coupon_face_not_negative"),
        ]

    def __str__(self):
        return self.code


class CouponEvent(AppendOnlyModel):
    """A coupon's history: issued, used, restored (a return), expired, revoked."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("发放")
        USED = "used", _("使用")
        RESTORED = "restored", _("退货恢复")
        EXPIRED = "expired", _("过期")
        REVOKED = "revoked", _("作废")

    coupon = models.ForeignKey(
        Coupon, verbose_name=_("优惠券"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("事件"), max_length=8, choices=Kind.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    store = models.ForeignKey(
        Store,
        verbose_name=_("门店"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ref = models.CharField(_("单号"), max_length=64, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("优惠券记录")
        verbose_name_plural = _("优惠券记录")
        ordering = ["at", "id"]
