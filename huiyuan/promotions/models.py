"""Promotions and member days (会员日)."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from huiyuan.core.models import Store


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
