"""Tier levels, the tier program's rules, each member's standing and the history of changes."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from huiyuan.core.models import AppendOnlyModel


class Tier(models.Model):
    """One level (普通, 银卡, 金卡, 钻石…). Higher rank = better level; thresholds are in the
    program's metric (points earned), and must grow with the rank (checked by the service)."""

    rank = models.PositiveSmallIntegerField(_("级别序号"), unique=True)
    name = models.CharField(_("名称"), max_length=20, unique=True)
    entry_threshold = models.PositiveIntegerField(_("升级门槛（积分）"), default=0)
    retention_threshold = models.PositiveIntegerField(
        _("保级门槛（积分）"), default=0, help_text=_("评定时达到即保留本级，不高于升级门槛")
    )
    discount_permille = models.PositiveSmallIntegerField(
        _("折扣（千分比）"), default=1000, help_text=_("950 = 95 折；1000 = 不打折")
    )
    points_multiplier_permille = models.PositiveSmallIntegerField(
        _("积分倍率（千分比）"), default=1000, help_text=_("1000 = 1 倍；1500 = 1.5 倍")
    )
    birthday_multiplier_permille = models.PositiveSmallIntegerField(
        _("生日积分倍率（千分比）"),
        null=True,
        blank=True,
        help_text=_("2000 = 生日双倍积分；留空表示没有生日倍率"),
    )
    perks = models.JSONField(_("会员权益"), default=list, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("会员等级")
        verbose_name_plural = _("会员等级")
        ordering = ["rank"]
        # Tiers are deactivated, never deleted: history rows point at them.
        default_permissions = ("add", "change", "view")
        constraints = [
            models.CheckConstraint(
                condition=Q(retention_threshold__lte=F("entry_threshold")),
                name="tier_retention_not_above_entry",
            ),
            models.CheckConstraint(
                condition=Q(discount_permille__gte=1, discount_permille__lte=1000),
                name="tier_discount_permille_range",
            ),
        ]

    def __str__(self):
        return self.name


class TierProgram(models.Model):
    """The one row of settings: how members qualify and when everyone is re-evaluated."""

    class Metric(models.TextChoices):
        ROLLING_POINTS = "rolling_points", _("滚动周期内获得的积分")
        YEAR_POINTS = "year_points", _("自然年内获得的积分")
        LIFETIME_POINTS = "lifetime_points", _("累计获得的积分")

    class Downgrade(models.TextChoices):
        ONE_LEVEL = "one_level", _("每次降一级")
        TO_QUALIFYING = "to_qualifying", _("直接降到符合的级别")

    metric = models.CharField(
        _("评级依据"), max_length=20, choices=Metric.choices, default=Metric.ROLLING_POINTS
    )
    window_months = models.PositiveSmallIntegerField(
        _("滚动周期（月）"), default=12, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    review_month = models.PositiveSmallIntegerField(
        _("每年评定月份"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    # At most the 28th, so every year has the day.
    review_day = models.PositiveSmallIntegerField(
        _("每年评定日"), default=1, validators=[MinValueValidator(1), MaxValueValidator(28)]
    )
    downgrade = models.CharField(
        _("降级方式"), max_length=20, choices=Downgrade.choices, default=Downgrade.ONE_LEVEL
    )
    last_reviewed_on = models.DateField(_("上次评定日期"), null=True, blank=True)
    last_review_summary = models.JSONField(_("上次评定结果"), default=dict, blank=True)

    class Meta:
        verbose_name = _("等级规则")
        verbose_name_plural = _("等级规则")
        default_permissions = ("change", "view")
        constraints = [
            models.CheckConstraint(
                condition=Q(window_months__gte=1, window_months__lte=120),
                name="tier_program_window_range",
            ),
            models.CheckConstraint(
                condition=Q(review_month__gte=1, review_month__lte=12),
                name="tier_program_review_month_range",
            ),
            models.CheckConstraint(
                condition=Q(review_day__gte=1, review_day__lte=28),
                name="tier_program_review_day_range",
            ),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)


class TierStanding(models.Model):
    """A member's earned tier, and a manual override that wins until its end date."""

    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("会员"),
        on_delete=models.PROTECT,
        related_name="tier_standing",
    )
    tier = models.ForeignKey(
        Tier, verbose_name=_("等级"), on_delete=models.PROTECT, related_name="standings"
    )
    since = models.DateTimeField(_("起始时间"))
    override_tier = models.ForeignKey(
        Tier,
        verbose_name=_("手动指定等级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    override_reason = models.CharField(_("指定原因"), max_length=200, blank=True)
    override_until = models.DateField(_("指定至"), null=True, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("指定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("会员等级状态")
        verbose_name_plural = _("会员等级状态")
        default_permissions = ("view",)
        permissions = [("override_tierstanding", gettext_noop("可手动指定会员等级"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(override_tier__isnull=True) | Q(override_until__isnull=False),
                name="tier_override_has_end_date",
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.tier}"


class TierChange(AppendOnlyModel):
    """One line of a member's tier history (append-only, like the ledgers)."""

    class Kind(models.TextChoices):
        START = "start", _("初始等级")
        UPGRADE = "upgrade", _("升级")
        KEEP = "keep", _("保级")
        DOWNGRADE = "downgrade", _("降级")
        OVERRIDE = "override", _("手动指定")
        OVERRIDE_END = "override_end", _("手动指定结束")

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("会员"),
        on_delete=models.PROTECT,
        related_name="tier_changes",
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    from_tier = models.ForeignKey(
        Tier,
        verbose_name=_("原等级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_tier = models.ForeignKey(
        Tier, verbose_name=_("新等级"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    metric_value = models.BigIntegerField(_("评级积分"), null=True, blank=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("等级变动")
        verbose_name_plural = _("等级变动")
        ordering = ["-created_at", "-id"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.member} {self.get_kind_display()} {self.to_tier}"
