"""Points: one account per member, lots (what was earned when and until when it is valid), an
append-only ledger, and the draws that tie each spending row to the lots it took from.

Invariants that `verify_ledgers` proves (see `checks.py`):
balance == sum(ledger deltas) == sum(lot remaining); every lot's remaining == original − its draws.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from huiyuan.core.ledgers import LedgerEntry
from huiyuan.core.models import AppendOnlyModel


class PointsAccount(models.Model):
    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("会员"),
        on_delete=models.PROTECT,
        related_name="points_account",
    )
    balance = models.BigIntegerField(_("积分余额"), default=0)
    # The last purchase that earned points: the inactivity expiry mode counts from it.
    last_purchase_on = models.DateField(_("最近消费日"), null=True, blank=True)
    last_check_in_on = models.DateField(_("最近签到日"), null=True, blank=True)
    # Points a return should have clawed back but the member had already spent (the returns
    # setting "debt"): later earnings settle it first (services.credit); the balance never
    # goes below zero.
    debt = models.BigIntegerField(_("积分欠账"), default=0)

    class Meta:
        verbose_name = _("积分账户")
        verbose_name_plural = _("积分账户")
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="points_balance_not_negative"),
            models.CheckConstraint(condition=Q(debt__gte=0), name="points_debt_not_negative"),
        ]

    def __str__(self):
        return f"{self.member_id}: {self.balance}"


class PointsEntry(LedgerEntry):
    class Kind(models.TextChoices):
        EARN = "earn", _("消费积分")
        BONUS = "bonus", _("奖励积分")
        CHECK_IN = "checkin", _("签到积分")
        REDEEM = "redeem", _("积分兑换")
        PAY = "pay", _("积分抵现")
        EXPIRE = "expire", _("积分过期")
        ADJUST = "adjust", _("人工调整")
        CLAWBACK = "clawback", _("退货扣回")
        REFUND = "refund", _("抵现退回")
        TRANSFER = "transfer", _("合并转移")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    account = models.ForeignKey(
        PointsAccount, verbose_name=_("积分账户"), on_delete=models.PROTECT, related_name="entries"
    )

    class Meta(LedgerEntry.Meta):
        verbose_name = _("积分流水")
        verbose_name_plural = _("积分流水")
        permissions = [
            ("adjust_points", gettext_noop("可调整会员积分")),
            ("redeem_points", gettext_noop("可办理积分兑换")),
        ]
        constraints = [models.CheckConstraint(condition=~Q(delta=0), name="points_entry_not_zero")]

    def __str__(self):
        return f"{self.kind} {self.delta:+d}"


# Kinds that count as points *earned* (tier qualification), and the one that takes them back.
EARNING_KINDS = (PointsEntry.Kind.EARN, PointsEntry.Kind.BONUS, PointsEntry.Kind.CHECK_IN)


class PointsLot(models.Model):
    """Points earned together, valid until `expires_on` (inclusive; None: no fixed date)."""

    account = models.ForeignKey(
        PointsAccount, verbose_name=_("积分账户"), on_delete=models.PROTECT, related_name="lots"
    )
    entry = models.OneToOneField(
        PointsEntry, verbose_name=_("入账流水"), on_delete=models.PROTECT, related_name="lot"
    )
    earned_at = models.DateTimeField(_("获得时间"))
    expires_on = models.DateField(_("有效期至"), null=True, blank=True, db_index=True)
    original = models.BigIntegerField(_("原始积分"), validators=[MinValueValidator(1)])
    remaining = models.BigIntegerField(_("剩余积分"))
    source = models.CharField(_("来源"), max_length=16, choices=PointsEntry.Kind.choices)
    ref_type = models.CharField(_("单据类型"), max_length=32, blank=True)
    ref_no = models.CharField(_("单据号"), max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("积分批次")
        verbose_name_plural = _("积分批次")
        # First-expiring first; lots without an expiry date last; then oldest first.
        ordering = [F("expires_on").asc(nulls_last=True), "earned_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(original__gt=0), name="points_lot_original_pos"),
            models.CheckConstraint(
                condition=Q(remaining__gte=0) & Q(remaining__lte=F("original")),
                name="points_lot_remaining_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.remaining}/{self.original} → {self.expires_on or '-'}"


class PointsDraw(AppendOnlyModel):
    """How many points one spending ledger row took from one lot (append-only)."""

    entry = models.ForeignKey(
        PointsEntry, verbose_name=_("流水"), on_delete=models.PROTECT, related_name="draws"
    )
    lot = models.ForeignKey(
        PointsLot, verbose_name=_("积分批次"), on_delete=models.PROTECT, related_name="draws"
    )
    points = models.BigIntegerField(_("积分"))

    class Meta:
        verbose_name = _("批次扣减")
        verbose_name_plural = _("批次扣减")
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="points_draw_positive")
        ]


class PointsProgram(models.Model):
    """The points program's settings: one row (`PointsProgram.current()`), edited by marketing."""

    class ExpiryMode(models.TextChoices):
        LOT_MONTHS = "lot_months", _("每批积分获得后 N 个月过期")
        CALENDAR = "calendar", _("年度清零：Y 年获得的积分于 Y+1 年末过期")
        INACTIVITY = "inactivity", _("N 个月无消费则全部过期")
        NEVER = "never", _("永不过期")

    class BirthdayMode(models.TextChoices):
        DAY = "day", _("生日当天")
        MONTH = "month", _("生日当月")

    expiry_mode = models.CharField(
        _("过期方式"), max_length=12, choices=ExpiryMode.choices, default=ExpiryMode.LOT_MONTHS
    )
    expiry_months = models.PositiveSmallIntegerField(
        _("月数"), default=12, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    birthday_mode = models.CharField(
        _("生日积分"), max_length=8, choices=BirthdayMode.choices, default=BirthdayMode.DAY
    )
    birthday_multiplier_permille = models.PositiveIntegerField(
        _("生日倍数（‰）"), default=2000, validators=[MinValueValidator(1000)]
    )
    order_cap_points = models.PositiveIntegerField(
        _("每单积分上限"), null=True, blank=True, help_text=_("留空表示不限")
    )
    earn_on_stored_value = models.BooleanField(_("储值支付部分积分"), default=True)
    earn_on_points_paid = models.BooleanField(_("积分抵现部分积分"), default=False)
    pay_enabled = models.BooleanField(_("允许积分抵现"), default=True)
    pay_points_per_yuan = models.PositiveIntegerField(
        _("每抵 1 元所需积分"), default=100, validators=[MinValueValidator(1)]
    )
    pay_max_share_permille = models.PositiveIntegerField(
        _("最高抵扣订单比例（‰）"), default=500, validators=[MinValueValidator(1)]
    )
    pay_min_points = models.PositiveIntegerField(_("最低使用积分"), default=100)
    registration_bonus = models.PositiveIntegerField(_("注册奖励积分"), default=0)
    referral_threshold_fen = models.PositiveBigIntegerField(
        _("被推荐人首单金额门槛（分）"), default=0
    )
    referral_points = models.PositiveIntegerField(_("推荐奖励积分"), default=0)
    check_in_points = models.PositiveIntegerField(_("每日签到积分"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("积分规则设置")
        verbose_name_plural = _("积分规则设置")
        constraints = [
            models.CheckConstraint(
                condition=Q(pay_max_share_permille__lte=1000), name="points_pay_share_le_1000"
            )
        ]

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "PointsProgram":
        return cls.objects.get_or_create(pk=1)[0]


class Rounding(models.TextChoices):
    FLOOR = "floor", _("舍去零头")
    HALF_UP = "half_up", _("四舍五入")


class EarnRule(models.Model):
    """ "N fen per point" for the purchases in its scope. Codes are plain lists until the catalogue
    exists: a line matches a category code when that code is anywhere in its category path."""

    class Basis(models.TextChoices):
        ORDER = "order", _("按整单合计")
        LINE = "line", _("按每行商品")

    name = models.CharField(_("名称"), max_length=50)
    is_active = models.BooleanField(_("启用"), default=True)
    priority = models.SmallIntegerField(_("优先级"), default=0, help_text=_("数字大者优先"))
    fen_per_point = models.PositiveIntegerField(
        _("每积 1 分所需金额（分）"), default=10000, validators=[MinValueValidator(1)]
    )
    rounding = models.CharField(
        _("取整方式"), max_length=8, choices=Rounding.choices, default=Rounding.FLOOR
    )
    basis = models.CharField(
        _("计算方式"), max_length=8, choices=Basis.choices, default=Basis.ORDER
    )
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    stores = models.ManyToManyField(
        "core.Store", verbose_name=_("适用门店"), blank=True, related_name="+"
    )
    card_types = models.ManyToManyField(
        "cards.CardType", verbose_name=_("适用卡类型"), blank=True, related_name="+"
    )
    tiers = models.ManyToManyField(
        "tiers.Tier", verbose_name=_("适用会员等级"), blank=True, related_name="+"
    )
    category_codes = models.TextField(_("适用品类编码"), blank=True)
    product_codes = models.TextField(_("适用商品编码"), blank=True)
    exclude_category_codes = models.TextField(_("排除品类编码"), blank=True)
    exclude_product_codes = models.TextField(_("排除商品编码"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["-priority", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(fen_per_point__gt=0), name="earn_rule_rate_pos"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="earn_rule_dates_ordered",
                violation_error_message=_("结束日期不能早于开始日期"),
            ),
        ]

    def __str__(self):
        return self.name


class PointsDay(models.Model):
    """A multiplier for a date range, optionally only on some weekdays (e.g. 周三会员日双倍积分)."""

    name = models.CharField(_("名称"), max_length=50)
    is_active = models.BooleanField(_("启用"), default=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    # ISO weekday digits, "3" = Wednesdays, "67" = weekends; empty: every day of the range.
    weekdays = models.CharField(_("星期"), max_length=7, blank=True)
    multiplier_permille = models.PositiveIntegerField(
        _("倍数（‰）"), default=2000, validators=[MinValueValidator(1000)]
    )
    stores = models.ManyToManyField(
        "core.Store", verbose_name=_("适用门店"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("多倍积分日")
        verbose_name_plural = _("多倍积分日")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="points_day_dates_ordered",
                violation_error_message=_("结束日期不能早于开始日期"),
            )
        ]

    def __str__(self):
        return self.name

    def weekday_names(self) -> str:
        names = [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")]
        return "、".join(str(names[int(day) - 1]) for day in self.weekdays)
