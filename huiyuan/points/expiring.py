"""The daily expiry job and the list of members whose points expire soon (for notifications)."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Min, Q, Sum
from django.utils import timezone

from huiyuan.core.dates import add_months
from huiyuan.points.expiry import lapses_on
from huiyuan.points.models import PointsAccount, PointsLot, PointsProgram
from huiyuan.points.services import expire_account


def expire_due_points(today: datetime.date | None = None) -> int:
    """Expire every lapsed lot (one transaction per account, so one member's trouble never holds
    up the rest); returns the points expired."""
    today = today or timezone.localdate()
    expired = 0
    for member_id in _accounts_due(today):
        with transaction.atomic():
            account = PointsAccount.objects.select_for_update().get(member_id=member_id)
            expired += expire_account(account, today)
    return expired


def _accounts_due(today: datetime.date) -> list[int]:
    due = Q(lots__remaining__gt=0, lots__expires_on__lt=today)
    program = PointsProgram.current()
    if program.expiry_mode == PointsProgram.ExpiryMode.INACTIVITY:
        # A generous pre-filter; expire_account decides exactly.
        cutoff = add_months(today, -program.expiry_months) + datetime.timedelta(days=3)
        due |= Q(balance__gt=0) & (
            Q(last_purchase_on__isnull=True) | Q(last_purchase_on__lte=cutoff)
        )
    accounts = PointsAccount.objects.filter(due).values_list("member_id", flat=True).distinct()
    return list(accounts.order_by("member_id"))


@dataclass(frozen=True)
class Expiring:
    member_id: int
    points: int
    expires_on: datetime.date  # the last valid day of the first-expiring points


def members_with_points_expiring(
    within_days: int, today: datetime.date | None = None
) -> list[Expiring]:
    """Members holding points that lapse in the next `within_days` days (today included)."""
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=within_days)
    program = PointsProgram.current()
    if program.expiry_mode == PointsProgram.ExpiryMode.INACTIVITY:
        return _inactive_soon(program, today, until)
    rows = (
        PointsLot.objects.filter(remaining__gt=0, expires_on__gte=today, expires_on__lte=until)
        .values("account__member_id")
        .annotate(points=Sum("remaining"), first=Min("expires_on"))
        .order_by("first", "account__member_id")
    )
    return [Expiring(row["account__member_id"], row["points"], row["first"]) for row in rows]


def _inactive_soon(program, today, until) -> list[Expiring]:
    """Inactivity mode: the whole balance lapses on the day after the last valid one."""
    soon = []
    accounts = PointsAccount.objects.filter(balance__gt=0, last_purchase_on__isnull=False)
    margin = datetime.timedelta(days=3)
    accounts = accounts.filter(
        last_purchase_on__gte=add_months(today, -program.expiry_months) - margin,
        last_purchase_on__lte=add_months(until, -program.expiry_months) + margin,
    )
    for account in accounts.order_by("member_id"):
        last_day = lapses_on(program, account.last_purchase_on) - datetime.timedelta(days=1)
        if today <= last_day <= until:
            soon.append(Expiring(account.member_id, account.balance, last_day))
    return soon
