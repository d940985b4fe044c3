import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from huiyuan.core.errors import DomainError
from huiyuan.notifications import otp
from huiyuan.notifications.models import OneTimeCode, OutboundMessage

pytestmark = pytest.mark.django_db

PHONE = "13800138000"


def sent_code() -> str:
    return re.search(r"\d{6}", OutboundMessage.objects.latest("id").body).group()


def test_a_code_is_sent_stored_hashed_and_accepted_once():
    otp.send_code(phone=PHONE, purpose="join", ip="10.0.0.1")
    code = sent_code()
    assert not OneTimeCode.objects.filter(code_hash__contains=code).exists()
    one_time = otp.check_code(phone=PHONE, purpose="join", code=code)
    otp.consume(one_time)
    with pytest.raises(DomainError) as refused:
        otp.check_code(phone=PHONE, purpose="join", code=code)
    assert refused.value.code == "OTP_INVALID"


def test_wrong_guesses_are_counted_and_capped():
    otp.send_code(phone=PHONE, purpose="join", ip=None)
    code = sent_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(otp.MAX_ATTEMPTS):
        with pytest.raises(DomainError):
            otp.check_code(phone=PHONE, purpose="join", code=wrong)
    with pytest.raises(DomainError) as refused:
        otp.check_code(phone=PHONE, purpose="join", code=code)  # even the right one, now
    assert refused.value.code == "OTP_INVALID"


def test_codes_expire_after_five_minutes():
    otp.send_code(phone=PHONE, purpose="join", ip=None)
    code = sent_code()
    with (
        time_machine.travel(timezone.now() + timedelta(minutes=6)),
        pytest.raises(DomainError) as refused,
    ):
        otp.check_code(phone=PHONE, purpose="join", code=code)
    assert refused.value.code == "OTP_EXPIRED"


def test_rate_limits_per_phone_and_per_ip():
    otp.send_code(phone=PHONE, purpose="join", ip="10.0.0.1")
    with pytest.raises(DomainError) as refused:
        otp.send_code(phone=PHONE, purpose="join", ip="10.0.0.1")
    assert refused.value.code == "RATE_LIMITED"
    start = timezone.now()
    for n in range(1, otp.PER_PHONE_PER_HOUR):
        with time_machine.travel(start + timedelta(minutes=2 * n)):
            otp.send_code(phone=PHONE, purpose="join", ip=None)
    with time_machine.travel(start + timedelta(minutes=20)), pytest.raises(DomainError):
        otp.send_code(phone=PHONE, purpose="join", ip=None)
    for n in range(otp.PER_IP_PER_HOUR - 1):
        otp.send_code(phone=f"1390000{n:04d}", purpose="join", ip="10.9.9.9")
    otp.send_code(phone="13700000000", purpose="join", ip="10.9.9.9")
    with pytest.raises(DomainError) as refused:
        otp.send_code(phone="13700000001", purpose="join", ip="10.9.9.9")
    assert refused.value.code == "RATE_LIMITED"
