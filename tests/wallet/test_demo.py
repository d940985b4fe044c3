"""The wallet demo loads on top of demo members, adds up, and loads only once."""

import pytest
from django.core.management import call_command

from huiyuan.members.demo import DEMO_NOTE
from huiyuan.wallet import demo
from huiyuan.wallet.models import CountCardHolding, CountCardPackage, TopUp, TopUpBonusRule

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_adds_up(register, card_type):
    for n in range(6):
        register(name=f"演示{n}", phone=f"1380000000{n}", notes=DEMO_NOTE)

    written = demo.load()

    assert written == TopUp.objects.count() > 0
    assert TopUp.objects.filter(status="refunded").count() == 1
    assert set(TopUpBonusRule.objects.values_list("name", flat=True)) == {
        "充500送50",
        "充1000送150",
    }
    assert CountCardPackage.objects.filter(name="洗车10次卡").exists()
    assert CountCardHolding.objects.count() == 2
    call_command("verify_ledgers")

    assert demo.load() == 0
    assert TopUp.objects.count() == written
    assert TopUpBonusRule.objects.count() == 2
