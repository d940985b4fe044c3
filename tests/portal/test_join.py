import re

import pytest
from django.test import override_settings
from django.urls import reverse

from huiyuan.members.models import Member
from huiyuan.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db

PHONE = "13800138000"


def latest_code() -> str:
    return re.search(r"\d{6}", OutboundMessage.objects.latest("id").body).group()


def join(client, **changes):
    data = {"phone": PHONE, "code": latest_code(), "name": "王小明", "agree": "on"} | changes
    return client.post(reverse("portal:join") + "?store=sh01", data)


def test_self_service_registration_with_an_sms_code(client, store, card_type):
    sent = client.post(reverse("portal:send_code"), {"phone": PHONE})
    assert "验证码已发送" in sent.text
    page = join(client, consent_sms="on")
    member = Member.objects.get(phone=PHONE)
    assert member.channel == "self_service"
    assert member.store == store
    assert member.consent_sms
    assert member.cards.get().medium == "e_card"
    assert member.member_no in page.text


def test_a_wrong_code_registers_nobody_and_says_so(client, store, card_type):
    client.post(reverse("portal:send_code"), {"phone": PHONE})
    page = join(client, code="000000" if latest_code() != "000000" else "111111")
    assert "验证码不正确" in page.text
    assert not Member.objects.exists()


def test_a_refused_registration_keeps_the_code_usable(client, store, card_type):
    client.post(reverse("portal:send_code"), {"phone": PHONE})
    refused = join(client, birthday="2999-01-01")
    assert "生日不能晚于今天" in refused.text
    join(client)
    assert Member.objects.filter(phone=PHONE).exists()


def test_an_existing_member_gets_no_code(client, register):
    register(phone=PHONE)
    sent = client.post(reverse("portal:send_code"), {"phone": PHONE})
    assert "已注册" in sent.text
    assert not OutboundMessage.objects.exists()


def test_the_dev_outbox_is_hidden_unless_enabled(client):
    with override_settings(HUIYUAN_DEV_OUTBOX=False):
        assert client.get(reverse("notifications:dev_outbox")).status_code == 404
    with override_settings(HUIYUAN_DEV_OUTBOX=True):
        assert client.get(reverse("notifications:dev_outbox")).status_code == 200
