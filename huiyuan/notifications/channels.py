"""Sending messages behind one adapter per channel. The default SMS backend only logs and records
(development and demo); a gateway adapter plugs in through settings.HUIYUAN_SMS_BACKEND."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from huiyuan.notifications.models import OutboundMessage

logger = logging.getLogger(__name__)


class LogSmsBackend:
    """Writes the message to the log instead of sending it (no gateway on a closed intranet)."""

    name = "log"

    def send(self, phone: str, body: str) -> None:
        logger.info("SMS to %s: %s", phone, body)


def send_sms(phone: str, body: str) -> OutboundMessage:
    backend = import_string(settings.HUIYUAN_SMS_BACKEND)()
    backend.send(phone, body)
    return OutboundMessage.objects.create(
        channel=OutboundMessage.Channel.SMS, recipient=phone, body=body, backend=backend.name
    )
