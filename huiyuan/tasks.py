"""Every periodic job, in one place (Huey). Times are Asia/Shanghai wall-clock."""

import logging

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huiyuan.core.idempotency import purge_expired_records
from huiyuan.members.imports import check_job, run_job  # noqa: F401  (the import tasks)
from huiyuan.members.inactivity import members_for_review
from huiyuan.points.expiring import expire_due_points, members_with_points_expiring
from huiyuan.tiers import review as tier_review
from huiyuan.wallet import services as wallet_services

log = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="3", minute="10"))
def purge_idempotency_records():
    """Daily: forget Idempotency-Keys older than the configured number of days."""
    return purge_expired_records()


@db_periodic_task(crontab(day_of_week="1", hour="4", minute="20"))
def list_inactive_members():
    """Weekly (Monday): count the members the inactivity rule lists for review and log it.
    Nothing is cancelled: that stays a person's decision (huiyuan/members/inactivity.py)."""
    count = members_for_review().count()
    log.info(
        "inactivity review: %d active members with fewer than %d card uses in %d months",
        count,
        settings.HUIYUAN_INACTIVITY_MIN_USES,
        settings.HUIYUAN_INACTIVITY_MONTHS,
    )
    return count


@db_periodic_task(crontab(hour="0", minute="30"))
def expire_count_cards():
    """Daily, just after midnight: count cards past their last day lose their remaining uses."""
    return wallet_services.expire_count_cards()


@db_periodic_task(crontab(hour="0", minute="20"))
def expire_points():
    """Daily, just after midnight: expire lapsed points lots, one ledger row per lot."""
    return expire_due_points()


POINTS_EXPIRING_NOTICE_DAYS = 30


@db_periodic_task(crontab(hour="8", minute="30"))
def list_points_expiring():
    """Daily: the members whose points lapse within 30 days (the notifications issue sends the
    reminders from this list)."""
    expiring = members_with_points_expiring(POINTS_EXPIRING_NOTICE_DAYS)
    log.info(
        "points expiring within %d days: %d members", POINTS_EXPIRING_NOTICE_DAYS, len(expiring)
    )
    return len(expiring)


@db_periodic_task(crontab(hour="1", minute="0"))
def review_tiers():
    """Daily: expired manual tier overrides end; on the tier program's review date (yearly),
    every member is re-evaluated (kept, upgraded or downgraded, with history rows)."""
    return tier_review.run_daily(timezone.localdate())
