"""Scheduling: dates, weekdays, days of month, market dates, hours, member days (Asia/Shanghai)."""

import datetime

import pytest
from django.utils import timezone

from huiyuan.promotions.models import MemberDay
from huiyuan.promotions.selectors import on_schedule, running_promotions

SHANGHAI = timezone.get_fixed_timezone(8 * 60)


def at(year, month, day, hour=12, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def running(store, moment):
    return [p.name for p in running_promotions(store, moment)]


def test_date_range_edges_are_included(make_promotion, store):
    make_promotion(
        name="双十二", starts_on=datetime.date(2026, 12, 10), ends_on=datetime.date(2026, 12, 12)
    )
    assert running(store, at(2026, 12, 9, 23, 59)) == []
    assert running(store, at(2026, 12, 10, 0, 0)) == ["双十二"]
    assert running(store, at(2026, 12, 12, 23, 59)) == ["双十二"]
    assert running(store, at(2026, 12, 13, 0, 0)) == []


def test_days_are_shanghai_days_whatever_the_clock_zone(make_promotion, store):
    make_promotion(name="周二", weekdays=[2])
    # 2026-12-01 is a Tuesday; 16:30 UTC on Monday is 00:30 Tuesday in Shanghai.
    monday_utc = datetime.datetime(2026, 11, 30, 16, 30, tzinfo=datetime.UTC)
    assert running(store, monday_utc) == ["周二"]
    assert running(store, monday_utc - datetime.timedelta(hours=1)) == []


def test_weekdays_days_of_month_and_market_dates_each_open_a_day(make_promotion, store):
    make_promotion(name="周六", weekdays=[6])
    make_promotion(name="每月8号18号", days_of_month=[8, 18])
    make_promotion(name="集日", dates=["2026-12-03", "2026-12-13"])
    assert running(store, at(2026, 12, 5)) == ["周六"]
    assert running(store, at(2026, 12, 8)) == ["每月8号18号"]
    assert running(store, at(2026, 12, 13)) == ["集日"]
    assert running(store, at(2026, 12, 14)) == []


def test_hours(make_promotion, store):
    make_promotion(name="早市", hours=[7, 8])
    assert running(store, at(2026, 12, 1, 6, 59)) == []
    assert running(store, at(2026, 12, 1, 7, 0)) == ["早市"]
    assert running(store, at(2026, 12, 1, 8, 59)) == ["早市"]
    assert running(store, at(2026, 12, 1, 9, 0)) == []


def test_on_a_member_day_including_its_stores(make_promotion, tuesday, store, other_store):
    promotion = make_promotion(name="会员日特价", member_day=tuesday)
    assert running(store, at(2026, 12, 1)) == ["会员日特价"]
    assert running(store, at(2026, 12, 2)) == []
    village = MemberDay.objects.create(name="集日会员日", dates=["2026-12-02"])
    village.stores.set([other_store])
    promotion.member_day = village
    promotion.save()
    assert running(other_store, at(2026, 12, 2)) == ["会员日特价"]
    assert running(store, at(2026, 12, 2)) == []
    village.is_active = False
    village.save()
    assert running(other_store, at(2026, 12, 2)) == []


def test_drafts_and_stopped_promotions_do_not_run(make_promotion, store):
    make_promotion(name="草稿", status="draft")
    make_promotion(name="已停", status="stopped")
    assert running(store, at(2026, 12, 1)) == []


def test_stores(make_promotion, store, other_store):
    make_promotion(name="仅杭州", relations={"stores": [other_store]})
    assert running(store, at(2026, 12, 1)) == []
    assert running(other_store, at(2026, 12, 1)) == ["仅杭州"]


@pytest.mark.parametrize(("hour", "expected"), [(9, True), (21, False)])
def test_on_schedule_combines_day_and_hour(make_promotion, hour, expected):
    promotion = make_promotion(weekdays=[2], hours=list(range(8, 21)))
    assert on_schedule(promotion, at(2026, 12, 1, hour)) is expected
