import pytest
from django.core.management import call_command

from huiyuan.gifts import demo
from huiyuan.gifts.models import Gift, GiftRedemption, GiftTierPrice
from huiyuan.inventory.models import MoveKind, StockMove

pytestmark = pytest.mark.django_db


def test_demo_catalogue_and_redemptions_add_up_and_load_once(register, earn, tiers, other_store):
    for number in range(4):
        member = register(name=f"演示{number}", phone=f"1380000{number:04d}")
        earn(member, 5000)
    assert demo.load() == 4
    assert Gift.objects.count() == 6
    assert Gift.objects.filter(coupon_template__name=demo.VOUCHER).exists()
    assert GiftTierPrice.objects.filter(tier__name="钻石").count() == 4
    assert StockMove.objects.filter(kind=MoveKind.GIFT).count() == 4
    call_command("verify_ledgers")
    redemptions = GiftRedemption.objects.count()
    assert demo.load() == 0
    assert (Gift.objects.count(), GiftRedemption.objects.count()) == (6, redemptions)
