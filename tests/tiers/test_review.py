"""The yearly re-evaluation (time-machine): keep, upgrade, downgrade, and expired overrides end."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from huiyuan.cards.card_types import update_card_type
from huiyuan.core.models import AuditEvent
from huiyuan.tiers import services
from huiyuan.tiers.models import TierProgram
from huiyuan.tiers.review import reevaluate_tiers, review_due, run_daily
from huiyuan.tiers.selectors import tier_of
from tests.tiers.conftest import SYSTEM

pytestmark = pytest.mark.django_db


def last_change(member):
    return member.tier_changes.order_by("id").last()


def test_the_yearly_review_upgrades_one_member_keeps_one_and_downgrades_one(
    register, tiers, earn, travel
):
    travel(2025, 12, 1)
    slipping = register("李四", "13800138001")
    earn(slipping, 350)  # 银卡, but nothing earned in the year under review
    travel(2026, 6, 1)
    loyal = register("张三", "13800138000")
    earn(loyal, 1200)  # 金卡 at once
    catching_up = register("王五", "13800138002")
    earn(catching_up, 250)
    # Marketing lowers the 银卡 entry threshold: the review applies it.
    services.update_tier(actor=SYSTEM, tier=tiers["银卡"], entry_threshold=250)
    assert [tier_of(m).name for m in (loyal, slipping, catching_up)] == ["金卡", "银卡", "普通"]

    travel(2026, 12, 31)
    assert run_daily(datetime.date(2026, 12, 31)) == {"overrides_ended": 0}
    travel(2027, 1, 1, hour=1)
    summary = run_daily(datetime.date(2027, 1, 1))

    assert [tier_of(m).name for m in (loyal, slipping, catching_up)] == ["金卡", "普通", "银卡"]
    assert [last_change(m).kind for m in (loyal, slipping, catching_up)] == [
        "keep",
        "downgrade",
        "upgrade",
    ]
    assert (last_change(loyal).metric_value, last_change(slipping).metric_value) == (1200, 0)
    assert last_change(loyal).reason == "等级评定：近 12 个月获得 1200 分"
    assert summary == {
        "overrides_ended": 0,
        "start": 0,
        "upgrade": 1,
        "keep": 1,
        "downgrade": 1,
    }
    program = TierProgram.objects.get()
    assert program.last_reviewed_on == datetime.date(2027, 1, 1)
    assert AuditEvent.objects.filter(action="tier.review").count() == 1
    # Once a year: the next days do nothing.
    travel(2027, 1, 2)
    assert run_daily(datetime.date(2027, 1, 2)) == {"overrides_ended": 0}


@pytest.mark.parametrize(
    ("mode", "earned", "expected"),
    [
        ("one_level", 0, "金卡"),
        ("one_level", 2600, "钻石"),  # retention 2500 reached: kept
        ("to_qualifying", 900, "金卡"),  # 金卡 retention 800
        ("to_qualifying", 250, "银卡"),  # 银卡 retention 200
        ("to_qualifying", 0, "普通"),
    ],
)
def test_downgrade_by_one_level_or_to_the_qualifying_level(
    register, card_type, tiers, earn, travel, mode, earned, expected
):
    travel(2026, 3, 1)
    services.update_program(actor=SYSTEM, downgrade=mode)
    card_type = update_card_type(actor=SYSTEM, card_type=card_type, starting_tier=tiers["钻石"])
    member = register(card_type=card_type)
    if earned:
        earn(member, earned)

    reevaluate_tiers(today=datetime.date(2027, 1, 1))

    assert tier_of(member).name == expected


def test_a_member_without_a_standing_is_placed_by_their_points(register, tiers, earn):
    member = register()
    earn(member, 1200)
    member.tier_standing.delete()  # as for a member imported before tiers existed

    summary = reevaluate_tiers(today=datetime.date.today() + datetime.timedelta(days=1))

    assert tier_of(member).name == "金卡"
    assert summary["start"] == 1


def test_the_review_takes_the_same_queries_for_five_members_or_fifteen(register, tiers, earn):
    def review_queries(count, offset):
        for n in range(count):
            earn(register(f"会员{n}", f"1390000{offset + n:04d}"), 100 * (n + 1))
        with CaptureQueriesContext(connection) as queries:
            reevaluate_tiers(today=datetime.date.today() + datetime.timedelta(days=1))
        return len(queries)

    services.update_program(actor=SYSTEM, window_months=12)  # the settings row exists
    assert review_queries(5, 0) == review_queries(15, 100)


def test_the_review_runs_on_its_date_or_catches_up_a_missed_day():
    program = TierProgram(review_month=1, review_day=1)

    assert review_due(program, datetime.date(2027, 1, 1))
    assert not review_due(program, datetime.date(2027, 1, 5))  # no earlier review on record
    program.last_reviewed_on = datetime.date(2026, 1, 1)
    assert review_due(program, datetime.date(2027, 1, 5))
    program.last_reviewed_on = datetime.date(2027, 1, 1)
    assert not review_due(program, datetime.date(2027, 1, 1))
    assert not review_due(program, datetime.date(2027, 6, 1))


def test_history_rows_are_append_only_in_the_model_and_the_database(member):
    change = member.tier_changes.get()

    with pytest.raises(TypeError):
        change.save()
    with pytest.raises(TypeError):
        change.delete()
    for sql in ("UPDATE tiers_tierchange SET reason = 'x'", "DELETE FROM tiers_tierchange"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert member.tier_changes.get().reason == "新会员"


def test_the_daily_job_reviews_on_the_configured_date(member, earn, travel):
    from huiyuan.tasks import review_tiers

    travel(2026, 6, 1)
    earn(member, 400)
    services.update_program(actor=SYSTEM, review_month=7, review_day=1)

    travel(2026, 6, 30, hour=1)
    assert review_tiers.call_local() == {"overrides_ended": 0}
    travel(2026, 7, 1, hour=1)
    assert review_tiers.call_local()["keep"] == 1
    assert TierProgram.objects.get().last_reviewed_on == datetime.date(2026, 7, 1)


def test_a_calendar_year_review_on_1_january_measures_the_year_just_ended(member, earn, travel):
    services.update_program(actor=SYSTEM, metric="year_points")
    travel(2026, 11, 1)
    earn(member, 400)
    travel(2027, 1, 1, hour=1)

    run_daily(datetime.date(2027, 1, 1))

    assert tier_of(member).name == "银卡"
    assert last_change(member).reason == "等级评定：2026 年获得 400 分"
