import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from huiyuan.core.errors import DomainError
from huiyuan.coupons import codes, services
from huiyuan.coupons.models import Coupon, CouponEvent, CouponState

pytestmark = pytest.mark.django_db


def events(coupon):
    return list(coupon.events.values_list("kind", flat=True))


def test_issue_gives_a_random_16_digit_code_and_an_issued_event(member, issue, travel):
    travel(2026, 3, 10)
    coupon = issue(member, source_ref="desk")
    assert len(coupon.code) == 16
    assert coupon.code.isdigit()
    assert coupon.code[0] != "0"
    assert coupon.state == CouponState.ISSUED
    assert coupon.face_fen == 1000
    assert (coupon.valid_from, coupon.valid_until) == (
        datetime.date(2026, 3, 10),
        datetime.date(2026, 4, 8),
    )  # 30 days, the issue day being the first
    assert events(coupon) == ["issued"]
    assert issue(member).code != coupon.code


def test_codes_are_read_with_spaces_and_dashes():
    assert codes.normalize(" 8123 4567-8901 2345 ") == "8123456789012345"
    assert codes.grouped("8123456789012345") == "8123 4567 8901 2345"


def test_fixed_window(member, issue, make_template, travel):
    travel(2026, 3, 10)
    template = make_template(
        "春季券",
        validity="fixed",
        valid_from=datetime.date(2026, 3, 1),
        valid_until=datetime.date(2026, 3, 31),
    )
    coupon = issue(member, template)
    assert (coupon.valid_from, coupon.valid_until) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 3, 31),
    )
    travel(2026, 4, 1)
    with pytest.raises(DomainError) as error:
        issue(member, template)
    assert error.value.code == "COUPON_EXPIRED"


def test_next_member_day_only(member, issue, make_template, tuesday, travel):
    """ "Valid only on the next Tuesday": valid_from = valid_until = that day, strictly after the
    issue day (a Tuesday purchase earns a coupon for the Tuesday after)."""
    template = make_template("会员日代金券10元", validity="next_member_day", member_day=tuesday)
    travel(2026, 3, 10)  # a Tuesday
    coupon = issue(member, template)
    assert coupon.valid_from == coupon.valid_until == datetime.date(2026, 3, 17)
    travel(2026, 3, 12)  # Thursday
    coupon = issue(member, template)
    assert coupon.valid_from == coupon.valid_until == datetime.date(2026, 3, 17)


def test_next_member_day_of_the_store(member, issue, make_template, store, tuesday, travel):
    """A template naming no member day follows the issuing store's (market days 集日)."""
    from huiyuan.promotions.models import MemberDay

    market = MemberDay.objects.create(name="集日", days_of_month=[5, 15, 25])
    market.stores.add(store)
    template = make_template("集日券", validity="next_member_day")
    travel(2026, 3, 10)
    assert issue(member, template, store=store).valid_from == datetime.date(2026, 3, 15)
    assert issue(member, template).valid_from == datetime.date(2026, 3, 17)  # chain-wide


def test_next_member_day_needs_one(member, issue, make_template):
    template = make_template("无会员日券", validity="next_member_day")
    with pytest.raises(DomainError) as error:
        issue(member, template)
    assert error.value.code == "VALIDATION_ERROR"
    assert not Coupon.objects.exists()


def test_per_member_limit_counts_all_but_revoked(member, issue, make_template, system, register):
    template = make_template("限领券", per_member_limit=2)
    first = issue(member, template)
    issue(member, template)
    with pytest.raises(DomainError) as error:
        issue(member, template)
    assert error.value.code == "COUPON_LIMIT_REACHED"
    services.revoke(first, actor=system, reason="发错了")
    issue(member, template)  # the revoked one no longer counts
    issue(register(name="李四", phone="13900139000"), template)  # another member's own limit
    assert Coupon.objects.filter(template=template).count() == 4


def test_once_returns_the_coupon_already_issued(member, issue):
    first = issue(member, source="registration", source_ref=member.member_no, once=True)
    again = issue(member, source="registration", source_ref=member.member_no, once=True)
    assert again == first
    assert Coupon.objects.count() == 1


def test_inactive_template_and_cancelled_member_refused(member, issue, make_template):
    template = make_template("停用券", is_active=False)
    with pytest.raises(DomainError) as error:
        issue(member, template)
    assert error.value.code == "COUPON_TEMPLATE_NOT_FOUND"
    member.status = "cancelled"
    member.save()
    with pytest.raises(DomainError) as error:
        issue(member)
    assert error.value.code == "MEMBER_CANCELLED"


def test_face_override_for_vouchers(member, issue):
    assert issue(member, face_fen=97_500).face_fen == 97_500


def test_use_then_restore_then_use_again(member, issue, store, system, travel):
    now = travel(2026, 3, 10)
    coupon = issue(member)
    used = services.mark_used(coupon, order_ref="XS001", store=store, actor=system, at=now)
    assert used.state == CouponState.USED
    assert used.order_ref == "XS001"
    with pytest.raises(DomainError) as error:
        services.mark_used(coupon, order_ref="XS002", store=store, actor=system, at=now)
    assert error.value.code == "COUPON_USED"
    assert error.value.fields == {"code": coupon.code}
    restored = services.restore(coupon, ref="TH001", actor=system)
    assert restored.state == CouponState.ISSUED
    assert restored.order_ref == ""
    services.mark_used(coupon, order_ref="XS003", store=store, actor=system, at=now)
    assert events(coupon) == ["issued", "used", "restored", "used"]


def test_restore_after_the_window_expires_it(member, issue, store, system, travel):
    now = travel(2026, 3, 10)
    coupon = services.mark_used(issue(member), order_ref="XS1", store=store, actor=system, at=now)
    travel(2026, 5, 1)
    assert services.restore(coupon, ref="TH1", actor=system).state == CouponState.EXPIRED
    assert events(coupon) == ["issued", "used", "restored", "expired"]


def test_restore_needs_a_used_coupon(member, issue, system):
    with pytest.raises(DomainError) as error:
        services.restore(issue(member), ref="TH1", actor=system)
    assert error.value.code == "COUPON_NOT_APPLICABLE"


def test_use_outside_the_window_or_store(
    member, issue, make_template, store, other_store, system, travel
):
    template = make_template(
        "下周券",
        validity="fixed",
        valid_from=datetime.date(2026, 3, 17),
        valid_until=datetime.date(2026, 3, 17),
    )
    template.stores.add(store)
    now = travel(2026, 3, 10)
    coupon = issue(member, template)
    with pytest.raises(DomainError) as error:
        services.mark_used(coupon, order_ref="X", store=store, actor=system, at=now)
    assert error.value.code == "COUPON_NOT_APPLICABLE"
    tuesday = travel(2026, 3, 17)
    with pytest.raises(DomainError) as error:
        services.mark_used(coupon, order_ref="X", store=other_store, actor=system, at=tuesday)
    assert error.value.code == "COUPON_NOT_APPLICABLE"
    later = travel(2026, 3, 18)
    with pytest.raises(DomainError) as error:
        services.mark_used(coupon, order_ref="X", store=store, actor=system, at=later)
    assert error.value.code == "COUPON_EXPIRED"
    assert events(coupon) == ["issued"]


def test_revoke(member, issue, system, store):
    coupon = issue(member)
    with pytest.raises(DomainError):
        services.revoke(coupon, actor=system, reason="  ")
    revoked = services.revoke(coupon, actor=system, reason="会员投诉已另行补偿")
    assert revoked.state == CouponState.REVOKED
    with pytest.raises(DomainError) as error:
        services.mark_used(coupon, order_ref="X", store=store, actor=system, at=timezone.now())
    assert error.value.code == "COUPON_NOT_APPLICABLE"
    with pytest.raises(DomainError):
        services.revoke(coupon, actor=system, reason="again")
    assert events(coupon) == ["issued", "revoked"]
    from huiyuan.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="coupon.revoke").count() == 1


def test_expiry_job(member, issue, travel):
    travel(2026, 3, 1)
    lapsing = issue(member)  # until 30 March
    travel(2026, 3, 25)
    living = issue(member)
    assert services.expire_due_coupons(datetime.date(2026, 3, 30)) == 0
    assert services.expire_due_coupons(datetime.date(2026, 3, 31)) == 1
    assert services.expire_due_coupons(datetime.date(2026, 3, 31)) == 0
    lapsing.refresh_from_db()
    living.refresh_from_db()
    assert (lapsing.state, living.state) == (CouponState.EXPIRED, CouponState.ISSUED)
    assert events(lapsing) == ["issued", "expired"]


def test_events_are_append_only(member, issue):
    event = CouponEvent.objects.get(coupon=issue(member))
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        CouponEvent.objects.filter(pk=event.pk).update(note="changed")
