import pytest
from django.utils import timezone

from huiyuan.core.errors import DomainError
from huiyuan.coupons import merging, services

pytestmark = pytest.mark.django_db


def test_unused_coupons_move_to_the_kept_member(member, register, issue, system):
    kept = register(name="张三", phone="13900139000")
    unused = issue(member)
    revoked = services.revoke(issue(member), actor=system, reason="x")
    moved = merging.transfer_coupons(actor=system, source=member, target=kept, reason="重复登记")
    assert moved == 1
    unused.refresh_from_db()
    revoked.refresh_from_db()
    assert (unused.member, revoked.member) == (kept, member)
    assert list(unused.events.values_list("kind", flat=True)) == ["issued", "transfer"]
    assert merging.transfer_coupons(actor=system, source=member, target=kept, reason="x") == 0
    with pytest.raises(DomainError):
        merging.transfer_coupons(actor=system, source=kept, target=kept, reason="x")


def test_a_merge_does_not_renew_a_per_member_limit(member, register, make_template, issue, system):
    from huiyuan.members.merging import merge_members

    once = make_template("新人券", per_member_limit=1)
    duplicate = register(name="张三", phone="13900139000")
    services.mark_used(
        issue(duplicate, once), order_ref="XS1", store=None, actor=system, at=timezone.now()
    )  # used: stays in the duplicate's history
    kept = merge_members(actor=system, absorbed=duplicate, kept=member, reason="重复登记")
    with pytest.raises(DomainError) as refused:
        issue(kept, once)
    assert refused.value.code == "COUPON_LIMIT_REACHED"
