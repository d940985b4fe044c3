import pytest

from huiyuan.tiers import demo
from huiyuan.tiers.models import Tier, TierChange
from huiyuan.tiers.selectors import tier_of

pytestmark = pytest.mark.django_db


def test_demo_tiers_place_every_member_and_load_twice_without_change(register, earn):
    plain, rich = register(), register("李四", "13800138001")
    earn(rich, 1500)  # before any tier exists

    demo.load()
    changes = TierChange.objects.count()
    demo.load()

    assert list(Tier.objects.values_list("name", "discount_permille")) == [
        ("普通", 1000),
        ("银卡", 950),
        ("金卡", 900),
        ("钻石", 880),
    ]
    assert (tier_of(plain).name, tier_of(rich).name) == ("普通", "金卡")
    assert TierChange.objects.count() == changes == 2
