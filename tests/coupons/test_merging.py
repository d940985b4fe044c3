import pytest

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
