"""The coupons' periodic jobs (Huey; `run_huey` autodiscovers every app's tasks.py). Times are
Asia/Shanghai wall-clock. Importing the bulk and rebate jobs here registers them with the
consumer too."""

import datetime

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huiyuan.coupons import services, triggers
from huiyuan.coupons.bulk import run_job  # noqa: F401  (the bulk issue job)
from huiyuan.coupons.rebate import run_rebate  # noqa: F401  (the rebate job)


@db_periodic_task(crontab(hour="0", minute="40"))
def expire_coupons():
    """Daily, after midnight: coupons past their last day become expired, each with its event."""
    return services.expire_due_coupons(timezone.localdate())


@db_periodic_task(crontab(hour="7", minute="30"))
def issue_birthday_coupons():
    """Daily, before the stores open: each birthday trigger's coupons (N days before)."""
    return triggers.birthday_coupons(timezone.localdate())


@db_periodic_task(crontab(hour="1", minute="30"))
def issue_tier_upgrade_coupons():
    """Daily, after the tier review (01:00): coupons for upgrades written in bulk by the review."""
    return triggers.tier_upgrade_catch_up(timezone.now() - datetime.timedelta(days=2))
