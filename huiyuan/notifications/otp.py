"""One-time codes by SMS, with rate limits per phone and per IP (counted in the database, so all
gunicorn workers agree)."""

import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.core import pii
from huiyuan.core.errors import DomainError
from huiyuan.notifications.channels import send_sms
from huiyuan.notifications.models import OneTimeCode

VALID_FOR = timedelta(minutes=5)
RESEND_AFTER = timedelta(seconds=60)
PER_PHONE_PER_HOUR = 5
PER_IP_PER_HOUR = 20
MAX_ATTEMPTS = 5


@transaction.atomic
def send_code(*, phone: str, purpose: str, ip: str | None) -> OneTimeCode:
    now = timezone.now()
    recent = OneTimeCode.objects.filter(created_at__gte=now - timedelta(hours=1))
    if recent.filter(phone=phone, created_at__gte=now - RESEND_AFTER).exists():
        raise DomainError("RATE_LIMITED", _("验证码已发送，请 60 秒后再试"), field="phone")
    if recent.filter(phone=phone).count() >= PER_PHONE_PER_HOUR:
        raise DomainError("RATE_LIMITED", field="phone")
    if ip and recent.filter(ip=ip).count() >= PER_IP_PER_HOUR:
        raise DomainError("RATE_LIMITED", field="phone")
    code = f"{secrets.randbelow(10**6):06d}"
    one_time = OneTimeCode.objects.create(
        phone=phone,
        purpose=purpose,
        code_hash=_hash(phone, purpose, code),
        ip=ip,
        expires_at=now + VALID_FOR,
    )
    send_sms(phone, _("【会员中心】您的验证码是 %(code)s，5 分钟内有效。") % {"code": code})
    return one_time


def check_code(*, phone: str, purpose: str, code: str) -> OneTimeCode:
    """The latest unused code if `code` matches it. Runs outside any transaction of the caller's
    so that a wrong guess is counted even though the caller's request then fails."""
    latest = (
        OneTimeCode.objects.filter(phone=phone, purpose=purpose, used_at=None)
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is None or latest.attempts >= MAX_ATTEMPTS:
        raise DomainError("OTP_INVALID", field="code")
    if latest.expires_at < timezone.now():
        raise DomainError("OTP_EXPIRED", field="code")
    if not hmac.compare_digest(latest.code_hash, _hash(phone, purpose, str(code).strip())):
        OneTimeCode.objects.filter(pk=latest.pk).update(attempts=F("attempts") + 1)
        raise DomainError("OTP_INVALID", field="code")
    return latest


def consume(one_time: OneTimeCode) -> None:
    """Use the code, inside the transaction of what it authorises (so a failure keeps it)."""
    used = OneTimeCode.objects.filter(pk=one_time.pk, used_at=None).update(used_at=timezone.now())
    if not used:
        raise DomainError("OTP_INVALID", field="code")


def _hash(phone: str, purpose: str, code: str) -> str:
    return pii.lookup_hash(f"otp:{purpose}:{phone}:{code}")
