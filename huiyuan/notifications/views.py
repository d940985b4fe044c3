from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from huiyuan.notifications.models import OutboundMessage


def dev_outbox(request):
    """Development only (HUIYUAN_DEV_OUTBOX): what the log backend 'sent', codes included."""
    if not settings.HUIYUAN_DEV_OUTBOX:
        raise Http404
    messages = OutboundMessage.objects.all()[:50]
    return render(request, "notifications/dev_outbox.html", {"outbox": messages})
