"""Every periodic job, in one place (Huey). Times are Asia/Shanghai wall-clock."""

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huiyuan.core.idempotency import purge_expired_records
from huiyuan.members.imports import check_job, run_job  # noqa: F401  (the import tasks)
from huiyuan.members.inactivity import members_for_review

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
