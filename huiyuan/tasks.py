"""Every periodic job, in one place (Huey). Times are Asia/Shanghai wall-clock."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huiyuan.core.idempotency import purge_expired_records


@db_periodic_task(crontab(hour="3", minute="10"))
def purge_idempotency_records():
    """Daily: forget Idempotency-Keys older than the configured number of days."""
    return purge_expired_records()
