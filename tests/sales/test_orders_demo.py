"""The demo orders: twelve months of sales through place_order, ledgers consistent, loaded once."""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import Max, Min
from django.utils import timezone

from huiyuan.points.models import PointsEntry
from huiyuan.sales import demo
from huiyuan.sales.models import Order, Payment
from huiyuan.wallet.models import StoredValueEntry
from tests.sales.orders_fixtures import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shoppers(register, with_stored_value, earn_rule, on_tuesday):
    made = [register(name=f"会员{i}", phone=f"1390000{i:04d}") for i in range(6)]
    for member in made[:3]:
        with_stored_value(member, 50_000)
    return made


def test_twelve_months_of_sales_that_add_up(monkeypatch, stocked, shoppers):
    monkeypatch.setattr(demo, "SALES", 40)
    monkeypatch.setattr(demo, "RECENT_SALES", 10)
    written = demo.load()

    assert written == Order.objects.count() > 40
    span = Order.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    today = timezone.localdate()
    assert timezone.localdate(span["first"]) >= today - datetime.timedelta(days=365)
    assert span["last"] < timezone.now()
    assert (span["last"] - span["first"]).days > 200
    assert Order.objects.filter(member=None).exists()
    assert Order.objects.exclude(member=None).exists()
    assert {"cash", "stored_value"} <= set(Payment.objects.values_list("method", flat=True))
    # Each order's ledger rows carry the order's time, not the load's.
    order = Order.objects.filter(payments__method="stored_value").first()
    [row, *_] = StoredValueEntry.objects.filter(ref_no=order.order_no)
    assert row.created_at == order.created_at
    earning = Order.objects.filter(points_earned__gt=0).first()
    earned = PointsEntry.objects.get(ref_no=earning.order_no, kind="earn")
    assert earned.created_at == earning.created_at
    call_command("verify_ledgers")

    assert demo.load() == 0
    assert Order.objects.count() == written
