import datetime
import logging
import zoneinfo

import pytest
import time_machine

from huiyuan import tasks
from huiyuan.cards import services
from huiyuan.cards.models import CardEvent
from huiyuan.core.actors import Actor
from huiyuan.members.inactivity import members_for_review, window_start
from huiyuan.members.models import Member

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=SHANGHAI)


def at(when: datetime.datetime):
    return time_machine.travel(when, tick=False)


def months_ago(n: int, days: int = 0) -> datetime.datetime:
    return window_start(NOW, n) - datetime.timedelta(days=days)


@pytest.fixture
def desk(admin, store):
    return Actor(operator=admin, store=store)


def listed(**rule) -> dict[str, int]:
    with at(NOW):
        return {m.name: m.card_uses for m in members_for_review(**rule)}


def test_a_member_without_card_uses_for_a_year_is_listed(register):
    with at(months_ago(13)):
        register("老会员", "13800000001")
    with at(months_ago(11)):
        register("新会员", "13800000002")  # not a member for a whole year yet
    assert listed() == {"老会员": 0}


def test_card_events_in_the_window_count_as_uses(register, desk):
    with at(months_ago(24)):
        card = register("张三", "13800000001").cards.get()
    with at(months_ago(3)):
        services.report_card_loss(actor=desk, card=card)
    with at(months_ago(2)):
        services.unlock_card(actor=desk, card=card)
    assert listed() == {}
    assert listed(min_uses=2) == {}
    assert listed(min_uses=3) == {"张三": 2}


def test_uses_before_the_window_do_not_count(register, desk):
    with at(months_ago(24)):
        card = register("张三", "13800000001").cards.get()
    with at(months_ago(12, days=1)):  # a day before the window opens
        services.freeze_card(actor=desk, card=card)
    with at(months_ago(12) + datetime.timedelta(minutes=1)):  # just inside
        services.unfreeze_card(actor=desk, card=card)
    assert listed(min_uses=2) == {"张三": 1}
    assert listed(min_uses=1) == {}


def test_expiry_events_are_not_uses(register):
    with at(months_ago(24)):
        member = register("张三", "13800000001")
    with at(months_ago(1)):
        CardEvent.objects.create(card=member.cards.get(), member=member, kind="expire")
    assert listed() == {"张三": 0}


def test_cancelled_members_are_not_listed(register):
    with at(months_ago(24)):
        member = register("张三", "13800000001")
    Member.objects.filter(pk=member.pk).update(status=Member.Status.CANCELLED)
    assert listed() == {}


def test_the_rule_follows_the_settings(register, desk, settings):
    with at(months_ago(8)):
        card = register("张三", "13800000001").cards.get()
    with at(months_ago(5)):
        services.freeze_card(actor=desk, card=card)
    assert listed() == {}  # 12 months: joined too recently
    settings.HUIYUAN_INACTIVITY_MONTHS = 6
    assert listed() == {}  # one use in the last 6 months
    settings.HUIYUAN_INACTIVITY_MIN_USES = 2
    assert listed() == {"张三": 1}
    settings.HUIYUAN_INACTIVITY_MONTHS = 4
    assert listed() == {"张三": 0}


def test_window_start_is_calendar_months_in_shanghai():
    end_of_march = datetime.datetime(2026, 3, 31, 9, 30, tzinfo=SHANGHAI)
    assert window_start(end_of_march, 1) == datetime.datetime(2026, 2, 28, 9, 30, tzinfo=SHANGHAI)
    assert window_start(end_of_march, 12) == datetime.datetime(2025, 3, 31, 9, 30, tzinfo=SHANGHAI)
    leap = datetime.datetime(2028, 2, 29, tzinfo=SHANGHAI)
    assert window_start(leap, 12) == datetime.datetime(2027, 2, 28, tzinfo=SHANGHAI)
    # 1 January 00:30 in Shanghai is still 31 December in UTC: the local date decides.
    new_year = datetime.datetime(2026, 1, 1, 0, 30, tzinfo=SHANGHAI).astimezone(datetime.UTC)
    assert window_start(new_year, 1) == datetime.datetime(2025, 12, 1, 0, 30, tzinfo=SHANGHAI)


def test_weekly_job_logs_the_size_of_the_list_and_cancels_nobody(register, caplog):
    with at(months_ago(13)):
        register("甲", "13800000001")
        register("乙", "13800000002")
    caplog.set_level(logging.INFO, logger="huiyuan.tasks")
    with at(NOW):
        assert tasks.list_inactive_members.call_local() == 2
    assert "inactivity review: 2 active members" in caplog.text
    assert Member.objects.filter(status=Member.Status.ACTIVE).count() == 2


def test_weekly_job_is_scheduled_on_mondays():
    task = tasks.list_inactive_members.task_class()
    monday = datetime.datetime(2026, 6, 15, 4, 20)  # a Monday, Shanghai wall-clock
    assert task.validate_datetime(monday)
    assert not task.validate_datetime(monday + datetime.timedelta(days=1))
