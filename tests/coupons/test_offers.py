import datetime

import pytest

from huiyuan.core.errors import DomainError
from huiyuan.coupons import selectors, services
from huiyuan.sales.pricing import CartLine, CouponKind, MemberContext, price_cart

pytestmark = pytest.mark.django_db


def refusal(*args):
    with pytest.raises(DomainError) as error:
        selectors.coupon_offers(*args)
    return error.value.code, error.value.fields


def test_offers_for_the_engine(member, issue, make_template, store, travel):
    now = travel(2026, 3, 10)
    threshold = make_template("满100减20", kind="threshold", face_fen=2000, min_spend_fen=10000)
    coupon = issue(member, threshold)
    (offer,) = selectors.coupon_offers([coupons_spaced(coupon.code)], member, store, now)
    assert (offer.id, offer.code, offer.kind, offer.face_fen, offer.min_spend_fen) == (
        coupon.pk,
        coupon.code,
        CouponKind.THRESHOLD,
        2000,
        10000,
    )
    line = CartLine(1, "P1", ("FOOD",), qty=1, unit_price_fen=13000)
    member_context = MemberContext(tier_name=None, discount_permille=1000, is_member=True)
    assert price_cart([line], member_context, [], [offer]).payable_fen == 11000


def coupons_spaced(code):
    return f"{code[:4]} {code[4:8]}-{code[8:]}"


def test_refusals(member, issue, register, store, system, travel):
    now = travel(2026, 3, 10)
    coupon = issue(member)
    other = register(name="李四", phone="13900139000")
    assert refusal(["1234567890123456"], member, store, now) == (
        "COUPON_NOT_FOUND",
        {"code": "1234567890123456"},
    )
    assert refusal([coupon.code], other, store, now)[0] == "COUPON_NOT_APPLICABLE"
    assert refusal([coupon.code], None, store, now)[0] == "COUPON_NOT_APPLICABLE"
    later = travel(2026, 6, 1)
    assert refusal([coupon.code], member, store, later)[0] == "COUPON_EXPIRED"
    services.mark_used(coupon, order_ref="X", store=store, actor=system, at=now)
    assert refusal([coupon.code], member, store, now)[0] == "COUPON_USED"


def test_member_coupons_usable_on(member, issue, system, travel):
    travel(2026, 3, 10)
    usable = issue(member)
    services.revoke(issue(member), actor=system, reason="x")
    assert list(selectors.member_coupons(member, usable_on=datetime.date(2026, 3, 11))) == [usable]
    assert selectors.member_coupons(member).count() == 2
    assert not selectors.member_coupons(member, usable_on=datetime.date(2026, 5, 1)).exists()
