from datetime import datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from huiyuan.core.models import AuditEvent
from huiyuan.staff.scope import scope_to_stores


def audit_events(
    operator, *, action="", operator_name="", store=None, target="", date_from=None, date_to=None
) -> QuerySet[AuditEvent]:
    """The audit events this operator may see, newest first, narrowed by the page's filters."""
    events = scope_to_stores(AuditEvent.objects.all(), operator).select_related(
        "operator", "api_key", "store"
    )
    if action:
        events = events.filter(action=action)
    if operator_name:
        events = events.filter(
            Q(operator__username__icontains=operator_name)
            | Q(operator__full_name__icontains=operator_name)
        )
    if store is not None:
        events = events.filter(store=store)
    if target:
        events = events.filter(Q(target_repr__icontains=target) | Q(target_id=target))
    if date_from:
        events = events.filter(created_at__gte=_start_of(date_from))
    if date_to:
        events = events.filter(created_at__lt=_start_of(date_to + timedelta(days=1)))
    return events


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
