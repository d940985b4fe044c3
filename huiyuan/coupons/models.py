"""Coupon templates, the coupons issued from them, and each coupon's event history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

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
        indexes = [
            models.Index(fields=["member", "state"]),
            models.Index(fields=["state", "valid_until"], name="coupon_state_until"),
        ]
        permissions = [("revoke_coupon", gettext_noop("可作废优惠券"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")), name="coupon_window_ordered"
            ),
            models.CheckConstraint(condition=Q(face_fen__gte=0), name="coupon_face_not_negative"),
        ]

    def __str__(self):
        return self.code


class CouponEvent(AppendOnlyModel):
    """A coupon's history: issued, used, restored (a return), expired, revoked, moved to the kept
    member of a merge."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("发放")
        USED = "used", _("使用")
        RESTORED = "restored", _("退货恢复")
        EXPIRED = "expired", _("过期")
        REVOKED = "revoked", _("作废")
        TRANSFER = "transfer", _("合并转移")

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


class CouponTrigger(models.Model):
    """Issue a template's coupon when something happens to a member (see coupons/triggers.py).
    After-purchase thresholds (满68送5) are promotions; the engine names their templates."""

    class Event(models.TextChoices):
        REGISTRATION = "registration", _("注册")
        BIRTHDAY = "birthday", _("生日")
        FIRST_PURCHASE = "first_purchase", _("首次消费")
        REFERRAL = "referral", _("推荐新会员")
        TIER_UPGRADE = "tier_upgrade", _("升级到等级")

    event = models.CharField(_("触发事件"), max_length=16, choices=Event.choices)
    template = models.ForeignKey(
        CouponTemplate, verbose_name=_("优惠券模板"), on_delete=models.PROTECT, related_name="+"
    )
    days_before = models.PositiveSmallIntegerField(
        _("提前天数"), default=0, help_text=_("生日券：生日前几天发放（0 = 生日当天）")
    )
    tier = models.ForeignKey(
        "tiers.Tier",
        verbose_name=_("等级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("升级券：升到该等级时发放；留空表示升到任何等级"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("发券触发规则")
        verbose_name_plural = _("发券触发规则")
        ordering = ["event", "id"]

    def __str__(self):
        return f"{self.get_event_display()} → {self.template}"


class IssueJob(models.Model):
    """批量发券: one template to every member a tier, a tag or a member search selects; a Huey
    job (coupons/bulk.py) with its progress on the job page."""

    class Target(models.TextChoices):
        TIER = "tier", _("会员等级")
        TAG = "tag", _("会员标签")
        SEARCH = "search", _("会员查询条件")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("发放中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    template = models.ForeignKey(
        CouponTemplate, verbose_name=_("优惠券模板"), on_delete=models.PROTECT, related_name="+"
    )
    target = models.CharField(_("发放对象"), max_length=8, choices=Target.choices)
    criteria = models.JSONField(_("条件"), default=dict)
    description = models.CharField(_("对象说明"), max_length=200)
    store = models.ForeignKey(
        Store, verbose_name=_("门店"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作员"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("会员数"), default=0)
    processed = models.PositiveIntegerField(_("已处理"), default=0)
    issued = models.PositiveIntegerField(_("已发券"), default=0)
    skipped = models.JSONField(_("未发放"), default=list)
    message = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("批量发券")
        verbose_name_plural = _("批量发券")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.template} · {self.description}"


class RebateProgram(models.Model):
    """积分返利 settings (one row, `current()`): each half-year's earned points become one cash
    coupon, valued at marginal rates per band (`RebateBand`); see coupons/rebate.py."""

    template = models.ForeignKey(
        CouponTemplate,
        verbose_name=_("返利券模板"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    start_month = models.PositiveSmallIntegerField(
        _("上半期起始月"), default=1, help_text=_("1 = 1–6 月与 7–12 月各为一期")
    )
    first_payout_month = models.PositiveSmallIntegerField(
        _("上半期返利月份"), default=8, help_text=_("淡季发放")
    )
    second_payout_month = models.PositiveSmallIntegerField(
        _("下半期返利月份"), default=3, help_text=_("次年，淡季发放")
    )
    point_value_fen = models.PositiveIntegerField(
        _("每积分折合（分）"), default=100, help_text=_("100 分 = 1 积分按 1 元消费计")
    )
    min_value_fen = models.PositiveIntegerField(
        _("最低返利金额（分）"), default=100, help_text=_("低于此金额不发券")
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("积分返利设置")
        verbose_name_plural = _("积分返利设置")
        permissions = [("run_rebate", gettext_noop("可执行积分返利"))]

    def __str__(self):
        return str(_("积分返利设置"))

    @classmethod
    def current(cls) -> "RebateProgram":
        program = cls.objects.order_by("pk").first()
        return program if program is not None else cls.objects.create()


class RebateBand(models.Model):
    """Points from `from_points` up to the next band's start earn `rate_per_10k` ‱ (250 = 2.5%)."""

    program = models.ForeignKey(
        RebateProgram, verbose_name=_("返利设置"), on_delete=models.CASCADE, related_name="bands"
    )
    from_points = models.PositiveIntegerField(_("起始积分"))
    rate_per_10k = models.PositiveIntegerField(_("返利比例（万分比）"))

    class Meta:
        verbose_name = _("返利档位")
        verbose_name_plural = _("返利档位")
        ordering = ["from_points"]
        constraints = [
            models.UniqueConstraint(fields=["program", "from_points"], name="rebate_band_unique"),
            models.CheckConstraint(
                condition=Q(rate_per_10k__lte=10000), name="rebate_rate_at_most_all"
            ),
        ]

    def __str__(self):
        return f"{self.from_points}+ {self.rate_per_10k}‱"


class RebateRun(models.Model):
    """One period's rebate: unique per period, so a second run is refused."""

    class Status(models.TextChoices):
        RUNNING = "running", _("发放中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    period_start = models.DateField(_("期间起"), unique=True)
    period_end = models.DateField(_("期间止"))
    template = models.ForeignKey(
        CouponTemplate, verbose_name=_("返利券模板"), on_delete=models.PROTECT, related_name="+"
    )
    rules = models.JSONField(_("返利规则"), default=dict)
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.RUNNING
    )
    total = models.PositiveIntegerField(_("会员数"), default=0)
    processed = models.PositiveIntegerField(_("已处理"), default=0)
    issued = models.PositiveIntegerField(_("已发券"), default=0)
    total_fen = models.BigIntegerField(_("返利总额（分）"), default=0)
    message = models.CharField(_("说明"), max_length=200, blank=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作员"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("执行时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("积分返利记录")
        verbose_name_plural = _("积分返利记录")
        ordering = ["-period_start"]

    def __str__(self):
        return f"{self.period_start:%Y-%m} – {self.period_end:%Y-%m}"
