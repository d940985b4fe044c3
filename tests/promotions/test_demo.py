"""The demo promotions load on the demo catalogue, once, and price as the seeds say."""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from huiyuan.catalog import demo as catalog_demo
from huiyuan.catalog.models import Product
from huiyuan.coupons.models import CouponTemplate
from huiyuan.points.multipliers import collect
from huiyuan.promotions import demo
from huiyuan.promotions.models import MemberDay, Promotion
from huiyuan.promotions.preview import cart_lines
from huiyuan.promotions.selectors import active_promotions
from huiyuan.sales import pricing

pytestmark = pytest.mark.django_db
SHANGHAI = timezone.get_fixed_timezone(8 * 60)
TUESDAY = datetime.datetime(2030, 1, 1, 10, tzinfo=SHANGHAI)
SATURDAY = datetime.datetime(2030, 1, 5, 10, tzinfo=SHANGHAI)
MEMBER = pricing.MemberContext(tier_name=None, discount_permille=1000, is_member=True)


@pytest.fixture
def loaded(db):
    catalog_demo.load()
    return demo.load()


def test_loads_once(loaded):
    assert loaded == 7
    assert demo.load() == 0
    assert Promotion.objects.count() == 7
    assert MemberDay.objects.get().name == "周二会员日"
    specials = Promotion.objects.get(kind="special_price")
    assert specials.rows.count() == 10
    assert specials.member_day.name == "周二会员日"
    faces = CouponTemplate.objects.filter(name__startswith="会员日代金券")
    assert sorted(t.face_fen for t in faces) == [500, 1000, 1500, 2000, 3000]
    assert {t.validity for t in faces} == {"next_member_day"}


def test_a_130_yuan_member_day_purchase_earns_a_10_yuan_coupon(loaded, store, register):
    """¥140 of shower gel (no 惊爆价) less 满100减10 is ¥130 paid: the 128 step, a ¥10 coupon."""
    gel = Product.objects.filter(name__contains="沐浴露").order_by("code").first()
    (line,) = cart_lines([(gel, Decimal(1))])
    line = dataclasses.replace(line, unit_price_fen=14000, member_price_fen=None)
    priced = pricing.price_cart([line], MEMBER, active_promotions(store, TUESDAY, register()))
    assert priced.payable_fen == 13000
    (coupon,) = priced.coupons_to_issue
    assert coupon.face_fen == 1000
    assert CouponTemplate.objects.get(pk=coupon.template_id).name == "会员日代金券10元"


def test_specials_only_on_tuesdays_and_double_points_on_saturdays(loaded, store, register):
    member = register()
    assert "会员日惊爆价" in [p.name for p in active_promotions(store, TUESDAY, member)]
    assert "会员日惊爆价" not in [p.name for p in active_promotions(store, SATURDAY, member)]
    labels = [m.label for m in collect(member, store, SATURDAY) if m.kind == "promotion"]
    assert labels == ["感恩日双倍积分"]
