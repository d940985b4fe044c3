import pytest

from huiyuan.coupons import demo
from huiyuan.coupons.models import Coupon, CouponTemplate, CouponTrigger, RebateProgram
from huiyuan.members.demo import DEMO_NOTE

pytestmark = pytest.mark.django_db


def test_demo_coupons_load_once(register):
    for number in range(12):
        register(name=f"演示{number}", phone=f"1380000{number:04d}", notes=DEMO_NOTE)
    assert demo.load() == 12
    states = set(Coupon.objects.filter(source_ref="demo").values_list("state", flat=True))
    assert states == {"issued", "used", "expired", "revoked"}
    assert all(coupon.events.exists() for coupon in Coupon.objects.all())
    assert set(CouponTrigger.objects.values_list("event", flat=True)) == {
        "birthday",
        "registration",
    }
    program = RebateProgram.current()
    assert list(program.bands.values_list("from_points", "rate_per_10k")) == [
        (0, 200), (30_000, 250), (60_000, 300),
    ]  # fmt: skip
    counts = Coupon.objects.count(), CouponTemplate.objects.count()
    assert demo.load() == 0
    assert (Coupon.objects.count(), CouponTemplate.objects.count()) == counts
