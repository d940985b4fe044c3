"""Promotions and member days (会员日)."""

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from huiyuan.core.models import AppendOnlyModel, Store
from huiyuan.core.money import format_fen

WEEKDAY_NAMES = [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")]


def days_text(weekdays, days_of_month, dates) -> str:
    """ "每周二、每月8、18日、2026-12-03" (empty when no day is named)."""
    parts = []
    if weekdays:
        parts.append(
            _("每%(days)s") % {"days": "、".join(str(WEEKDAY_NAMES[d - 1]) for d in weekdays)}
        )
    if days_of_month:
        parts.append(_("每月%(days)s日") % {"days": "、".join(map(str, days_of_month))})
    parts += dates
    return "；".join(parts)


def hours_text(hours) -> str:
    """[8, 9, 10, 18] → "8:00–10:59、18:00–18:59"."""
    spans: list[list[int]] = []
    for hour in hours:
        if spans and hour == spans[-1][1] + 1:
            spans[-1][1] = hour
        else:
            spans.append([hour, hour])
    return "、".join(f"{first}:00–{last}:59" for first, last in spans)


class MemberDay(models.Model):
    """会员日: a named schedule that promotions and coupon validity refer to ("every Tuesday",
    "the 8th and 18th", or, for village stores, a list of market days 集日). Empty `stores` means
    every store."""

    name = models.CharField(_("名称"), max_length=40, unique=True)
    weekdays = models.JSONField(_("每周"), default=list, blank=True, help_text=_("1=周一 … 7=周日"))
    days_of_month = models.JSONField(_("每月"), default=list, blank=True)
    dates = models.JSONField(_("指定日期"), default=list, blank=True, help_text=_("如集日"))
    stores = models.ManyToManyField(Store, verbose_name=_("门店"), blank=True, related_name="+")
    is_active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会员日")
        verbose_name_plural = _("会员日")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def occurs_on(self, day: datetime.date) -> bool:
        return (
            day.isoweekday() in self.weekdays
            or day.day in self.days_of_month
            or day.isoformat() in self.dates
        )

    def next_occurrence(
        self, after: datetime.date, horizon_days: int = 400
    ) -> datetime.date | None:
        """The first member day strictly after `after`, or None within the horizon."""
        for offset in range(1, horizon_days + 1):
            day = after + datetime.timedelta(days=offset)
            if self.occurs_on(day):
                return day
        return None

    def schedule_text(self) -> str:
        return days_text(self.weekdays, self.days_of_month, self.dates)

    def runs_at(self, store) -> bool:
        """Whether this member day is held at `store` (no stores listed: every store)."""
        return store is None or not self.stores.all() or store in self.stores.all()


class Promotion(models.Model):
    """A promotion as marketing sets it up; `selectors` turn the running ones into the pricing
    engine's values (sales.pricing). Its table of items or steps is `rows` (PromotionRow).

    Schedule: within `starts_on`–`ends_on` (both optional); on a day matching any of the day
    selectors (`weekdays`, `days_of_month`, `dates`, `member_day`; none set: every day); within
    `hours` (none: all day). Eligibility: stores, tiers, card types (none listed: all),
    `members_only`, new members (registered within `new_member_days`). Limits: `budget_fen` of
    discount in all, `per_member_daily` uses, counted from PromotionUse."""

    class Kind(models.TextChoices):
        PERCENT = "percent", _("折扣")
        SPECIAL_PRICE = "special_price", _("会员惊爆价")
        FULL_REDUCTION = "full_reduction", _("满减")
        BUY_N_GET_M = "buy_n_get_m", _("买N送M / 第N件优惠")
        ISSUE_COUPONS = "issue_coupons", _("满额送券")
        ADD_PRICE = "add_price", _("加价换购")
        GIFT = "gift", _("满额赠品")
        POINTS = "points", _("积分倍数")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        ACTIVE = "active", _("已启用")
        STOPPED = "stopped", _("已停止")

    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    priority = models.SmallIntegerField(_("优先级"), default=0, help_text=_("数字大的先计算"))
    exclusive = models.BooleanField(
        _("排他"), default=False, help_text=_("排他的促销之后，该商品不再参加其他促销和用券")
    )
    members_only = models.BooleanField(_("仅限会员"), default=False)
    # Parameters by kind: what is paid, per mille (折扣, 第N件), the points multiplier, buy N get M,
    # 每满 with its cap.
    permille = models.PositiveSmallIntegerField(_("实付比例（‰）"), default=1000)
    points_permille = models.PositiveIntegerField(_("积分倍数（‰）"), default=1000)
    buy = models.PositiveSmallIntegerField(_("买"), default=1)
    get = models.PositiveSmallIntegerField(_("送/优惠件数"), default=1)
    every = models.BooleanField(_("每满"), default=False)
    cap_fen = models.BigIntegerField(_("封顶（分）"), null=True, blank=True)
    # Scope
    products = models.ManyToManyField(
        "catalog.Product", verbose_name=_("适用商品"), blank=True, related_name="+"
    )
    categories = models.ManyToManyField(
        "catalog.Category", verbose_name=_("适用类别"), blank=True, related_name="+"
    )
    # Schedule
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    weekdays = models.JSONField(_("每周"), default=list, blank=True)
    days_of_month = models.JSONField(_("每月"), default=list, blank=True)
    dates = models.JSONField(_("指定日期"), default=list, blank=True)
    hours = models.JSONField(_("时段（小时）"), default=list, blank=True)
    member_day = models.ForeignKey(
        MemberDay,
        verbose_name=_("会员日"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="promotions",
    )
    # Eligibility
    stores = models.ManyToManyField(Store, verbose_name=_("门店"), blank=True, related_name="+")
    tiers = models.ManyToManyField(
        "tiers.Tier", verbose_name=_("会员等级"), blank=True, related_name="+"
    )
    card_types = models.ManyToManyField(
        "cards.CardType", verbose_name=_("卡类型"), blank=True, related_name="+"
    )
    new_member_days = models.PositiveSmallIntegerField(
        _("新会员（注册N天内）"), null=True, blank=True
    )
    # Limits
    budget_fen = models.BigIntegerField(_("总预算（分）"), null=True, blank=True)
    per_member_daily = models.PositiveSmallIntegerField(
        _("每人每天限用次数"), null=True, blank=True
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("促销活动")
        verbose_name_plural = _("促销活动")
        ordering = ["-priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="promotion_dates_ordered",
                violation_error_message=_("结束日期不能早于开始日期"),
            ),
            models.CheckConstraint(
                condition=Q(permille__lte=1000), name="promotion_permille_at_most_1000"
            ),
        ]

    def __str__(self):
        return self.name

    def terms_text(self) -> str:
        """The terms that are not in the rows: "优惠 12%", "买 2 送 1", "积分 ×2"…"""
        off = f"{(1000 - self.permille) / 10:g}%"
        if self.kind == self.Kind.PERCENT:
            return _("优惠 %(off)s") % {"off": off}
        if self.kind == self.Kind.BUY_N_GET_M:
            if self.permille == 0:
                return _("买 %(n)s 送 %(m)s") % {"n": self.buy, "m": self.get}
            return _("每买 %(n)s 件，再 %(m)s 件优惠 %(off)s") % {
                "n": self.buy,
                "m": self.get,
                "off": off,
            }
        if self.kind == self.Kind.POINTS:
            return _("积分 ×%(x)s") % {"x": f"{self.points_permille / 1000:g}"}
        if self.kind == self.Kind.FULL_REDUCTION and self.every:
            if self.cap_fen:
                return _("每满减，最多减 %(cap)s") % {"cap": format_fen(self.cap_fen)}
            return str(_("每满减"))
        return ""

    def schedule_text(self) -> str:
        days = days_text(self.weekdays, self.days_of_month, self.dates)
        if self.member_day_id:
            days = "；".join(filter(None, [days, str(self.member_day)]))
        hours = hours_text(self.hours)
        return " ".join(filter(None, [days or str(_("每天")), hours]))


class PromotionRow(models.Model):
    """One row of a promotion's table, by kind: a 会员惊爆价 item (product, amount = its price),
    a 满减 step (threshold, amount = reduction), a 满额送券 step (threshold, coupon template,
    amount = face value), an 加价换购 item (threshold, product, amount = add-on price) or a
    满额赠品 step (threshold, product, qty)."""

    promotion = models.ForeignKey(
        Promotion, verbose_name=_("促销活动"), on_delete=models.CASCADE, related_name="rows"
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    threshold_fen = models.BigIntegerField(_("门槛（分）"), default=0)
    amount_fen = models.BigIntegerField(_("金额（分）"), default=0)
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
    qty = models.PositiveIntegerField(_("数量"), default=1)

    class Meta:
        verbose_name = _("促销明细")
        verbose_name_plural = _("促销明细")
        ordering = ["promotion", "position", "id"]

    def __str__(self):
        return f"{self.promotion_id}#{self.position}"


class PromotionUse(AppendOnlyModel):
    """One use of a promotion by an order (written by the order after payment): the budget and
    the per-member-per-day limit count these. Append-only."""

    promotion = models.ForeignKey(
        Promotion, verbose_name=_("促销活动"), on_delete=models.PROTECT, related_name="uses"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("会员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    discount_fen = models.BigIntegerField(_("优惠金额（分）"))
    order_ref = models.CharField(_("单号"), max_length=64)
    at = models.DateTimeField(_("时间"))
    day = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("促销使用记录")
        verbose_name_plural = _("促销使用记录")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["promotion", "order_ref"], name="promotion_use_once_per_order"
            )
        ]
        indexes = [models.Index(fields=["promotion", "member", "day"])]
