import pytest

from huiyuan.core.errors import DomainError
from huiyuan.tiers.merging import merge_tiers
from huiyuan.tiers.selectors import tier_of
from tests.tiers.conftest import SYSTEM

pytestmark = pytest.mark.django_db


def test_the_kept_member_holds_the_better_of_the_two_tiers(member, register, earn):
    duplicate = register("张三", "13800138009")
    earn(duplicate, 1200)

    change = merge_tiers(actor=SYSTEM, source=duplicate, target=member)

    assert tier_of(member).name == "金卡"
    assert (change.kind, change.from_tier.name, change.reason) == (
        "upgrade",
        "普通",
        f"合并会员 {duplicate.member_no}",
    )
    assert merge_tiers(actor=SYSTEM, source=member, target=duplicate) is None  # 金卡 already
    with pytest.raises(DomainError):
        merge_tiers(actor=SYSTEM, source=member, target=member)
