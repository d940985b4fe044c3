"""Configuring the ladder (validation), manual overrides and their expiry, tier multipliers."""

import datetime

import pytest

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import AuditEvent
from huiyuan.members.models import Member
from huiyuan.members.services import cancel_member
from huiyuan.points.multipliers import collect, combine
from huiyuan.tiers import services
from huiyuan.tiers.review import reevaluate_tiers, run_daily
from huiyuan.tiers.selectors import benefits_of, members_in_tier, tier_of
from tests.tiers.conftest import SYSTEM

pytestmark = pytest.mark.django_db


def refused_fields(**fields):
    with pytest.raises(DomainError) as refused:
        services.create_tier(actor=SYSTEM, **fields)
    return refused.value.fields


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"rank": 4, "name": "黑金", "entry_threshold": 2000}, "entry_threshold"),  # below 钻石
        ({"rank": 4, "name": "黑金", "entry_threshold": 3000}, "entry_threshold"),  # equal
        (
            {"rank": 5, "name": "黑金", "entry_threshold": 5000, "retention_threshold": 6000},
            "retention_threshold",
        ),
        ({"rank": 1, "name": "黑金", "entry_threshold": 5000}, "rank"),
        ({"rank": 5, "name": "金卡", "entry_threshold": 5000}, "name"),
        (
            {"rank": 5, "name": "黑金", "entry_threshold": 5000, "discount_permille": 0},
            "discount_permille",
        ),
        (
            {"rank": 5, "name": "黑金", "entry_threshold": 5000, "points_multiplier_permille": 500},
            "points_multiplier_permille",
        ),
        ({"rank": 5, "name": "黑金", "entry_threshold": 5000, "perks": ["x" * 51]}, "perks"),
    ],
)
def test_a_tier_that_breaks_the_ladder_is_refused_with_its_field(tiers, fields, field):
    assert field in refused_fields(**fields)


def test_a_tier_between_two_others_needs_a_threshold_between_theirs(tiers):
    services.update_tier(actor=SYSTEM, tier=tiers["钻石"], rank=10)

    tier = services.create_tier(actor=SYSTEM, rank=5, name="铂金", entry_threshold=2000)

    assert tier.pk
    assert "entry_threshold" in refused_fields(rank=6, name="黑金", entry_threshold=1500)
    assert AuditEvent.objects.filter(action="tier.create").count() == 5


def test_a_deactivated_tier_leaves_the_ladder(tiers):
    services.update_tier(actor=SYSTEM, tier=tiers["钻石"], is_active=False)

    assert services.create_tier(actor=SYSTEM, rank=5, name="黑金", entry_threshold=2000).pk


def test_an_override_wins_until_its_end_date_then_the_earned_tier_returns(
    member, tiers, admin, travel
):
    travel(2026, 5, 1)
    services.override_tier(
        actor=Actor(operator=admin),
        member=member,
        tier=tiers["钻石"],
        reason="集团重要客户",
        until=datetime.date(2026, 5, 31),
    )
    assert tier_of(member).name == "钻石"
    assert benefits_of(member).discount_permille == 880

    travel(2026, 5, 31)
    assert tier_of(member).name == "钻石"  # the end date is included
    travel(2026, 6, 1)
    assert tier_of(member).name == "普通"
    assert run_daily(datetime.date(2026, 6, 1))["overrides_ended"] == 1

    member.tier_standing.refresh_from_db()
    assert member.tier_standing.override_tier is None
    kinds = list(member.tier_changes.order_by("id").values_list("kind", flat=True))
    assert kinds == ["start", "override", "override_end"]
    assert AuditEvent.objects.get(action="tier.override").operator == admin


def test_an_override_can_be_ended_early(member, tiers):
    until = datetime.date.today() + datetime.timedelta(days=30)
    services.override_tier(
        actor=SYSTEM, member=member, tier=tiers["金卡"], reason="试用", until=until
    )

    services.end_override(actor=SYSTEM, member=member, reason="试用结束")

    assert tier_of(member).name == "普通"
    with pytest.raises(DomainError):
        services.end_override(actor=SYSTEM, member=member, reason="")


@pytest.mark.parametrize(("reason", "days", "field"), [("", 10, "reason"), ("原因", -1, "until")])
def test_an_override_needs_a_reason_and_an_end_date_not_in_the_past(
    member, tiers, reason, days, field
):
    until = datetime.date.today() + datetime.timedelta(days=days)

    with pytest.raises(DomainError) as refused:
        services.override_tier(
            actor=SYSTEM, member=member, tier=tiers["金卡"], reason=reason, until=until
        )

    assert field in refused.value.fields
    assert not member.tier_changes.filter(kind="override").exists()


def test_the_tier_multiplier_and_the_birthday_multiplier_reach_the_points_program(
    register, tiers, store, earn, travel
):
    services.update_tier(actor=SYSTEM, tier=tiers["金卡"], birthday_multiplier_permille=3000)
    member = register(birthday=datetime.date(1990, 7, 8))
    earn(member, 1000)

    ordinary_day = collect(member, store, travel(2026, 7, 7))
    birthday = combine(collect(member, store, travel(2026, 7, 8)))

    assert ("tier", 1500) in [(m.kind, m.permille) for m in ordinary_day]
    assert "birthday" not in [m.kind for m in ordinary_day]
    assert ("birthday", 3000) in [(m.kind, m.permille) for m in birthday]


def test_a_cancelled_member_is_not_overridden_nor_reviewed(member, tiers):
    member = cancel_member(actor=SYSTEM, member=member, reason="顾客要求")
    until = datetime.date.today() + datetime.timedelta(days=30)

    with pytest.raises(DomainError) as refused:
        services.override_tier(
            actor=SYSTEM, member=member, tier=tiers["金卡"], reason="x", until=until
        )

    assert refused.value.code == "MEMBER_CANCELLED"
    assert reevaluate_tiers(today=datetime.date.today())["keep"] == 0


def test_members_in_a_tier_as_the_till_applies_it(member, register, tiers, earn):
    silver = register("李四", "13800138001")
    earn(silver, 400)
    vip = register("王五", "13800138002")
    until = datetime.date.today() + datetime.timedelta(days=3)
    services.override_tier(actor=SYSTEM, member=vip, tier=tiers["银卡"], reason="x", until=until)
    imported = register("赵六", "13800138003")
    imported.tier_standing.delete()  # no standing yet: the lowest tier

    def names(tier):
        return set(
            members_in_tier(Member.objects.all(), tiers[tier]).values_list("name", flat=True)
        )

    assert names("银卡") == {"李四", "王五"}
    assert names("普通") == {"张三", "赵六"}
    assert names("金卡") == set()
