"""GET /tiers and GET /members/{member_no}/tier."""

import datetime

import pytest

from huiyuan.core.actors import Actor
from huiyuan.tiers import services
from tests.api.test_members_api import error_of

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system()


@pytest.fixture
def member(register, tiers):
    return register()


def test_the_levels_with_their_benefits(api, tiers):
    services.update_tier(actor=SYSTEM, tier=tiers["金卡"], birthday_multiplier_permille=2000)

    levels = api.get("/api/v1/tiers").json()

    assert [level["name"] for level in levels] == ["普通", "银卡", "金卡", "钻石"]
    assert levels[2] == {
        "rank": 2,
        "name": "金卡",
        "entry_threshold": 1000,
        "retention_threshold": 800,
        "discount_permille": 900,
        "points_multiplier_permille": 1500,
        "birthday_multiplier_permille": 2000,
        "perks": ["金卡权益"],
    }


def test_a_member_tier_with_progress_and_history(api, member, earn):
    earn(member, 350)

    body = api.get(f"/api/v1/members/{member.member_no}/tier").json()

    assert body["tier"]["name"] == "银卡"
    assert body["tier"]["discount_permille"] == 950
    assert body["earned_tier"] == "银卡"
    assert body["override"] is None
    assert body["progress"] == {
        "value": 350,
        "next_tier": "金卡",
        "needed": 650,
        "next_review_on": body["progress"]["next_review_on"],
    }
    assert [(row["kind"], row["from_tier"], row["to_tier"]) for row in body["history"]] == [
        ("upgrade", "普通", "银卡"),
        ("start", None, "普通"),
    ]
    assert body["history"][0]["metric_value"] == 350


def test_an_override_shows_with_its_end_date(api, member, tiers):
    until = datetime.date.today() + datetime.timedelta(days=10)
    services.override_tier(
        actor=SYSTEM, member=member, tier=tiers["钻石"], reason="贵宾", until=until
    )

    body = api.get(f"/api/v1/members/{member.member_no}/tier").json()

    assert (body["tier"]["name"], body["earned_tier"]) == ("钻石", "普通")
    assert body["override"] == {"tier": "钻石", "until": until.isoformat(), "reason": "贵宾"}


def test_an_unknown_member_is_404(api, tiers):
    error_of(api.get("/api/v1/members/99999999/tier"), 404, "MEMBER_NOT_FOUND")


def test_without_tiers_the_member_has_none(api, register):
    member = register()

    body = api.get(f"/api/v1/members/{member.member_no}/tier").json()

    assert (body["tier"], body["earned_tier"], body["history"]) == (None, None, [])
