"""Upgrade at once when points EARNED cross a threshold; spending points never costs a tier."""

import datetime

import pytest
from django.utils import timezone

from huiyuan.cards.card_types import update_card_type
from huiyuan.points.services import adjust_points, redeem_points
from huiyuan.tiers import services
from huiyuan.tiers.models import TierChange, TierProgram
from huiyuan.tiers.review import reevaluate_tiers
from huiyuan.tiers.selectors import benefits_of, tier_of
from tests.tiers.conftest import SYSTEM

pytestmark = pytest.mark.django_db


def kinds(member):
    return list(member.tier_changes.order_by("id").values_list("kind", "to_tier__name"))


def test_a_new_member_starts_in_the_lowest_tier(member):
    assert tier_of(member).name == "普通"
    assert kinds(member) == [("start", "普通")]


def test_a_card_type_with_a_starting_tier_starts_its_members_there(register, card_type, tiers):
    update_card_type(actor=SYSTEM, card_type=card_type, starting_tier=tiers["金卡"])
    card_type.refresh_from_db()

    member = register()

    assert tier_of(member) == tiers["金卡"]
    assert kinds(member) == [("start", "金卡")]


def test_without_tiers_a_member_has_no_tier_and_no_benefits(register):
    member = register()

    assert tier_of(member) is None
    assert benefits_of(member).discount_permille == 1000
    assert not TierChange.objects.exists()


@pytest.mark.parametrize("metric", ["lifetime_points", "rolling_points", "year_points"])
def test_earning_300_points_lifts_the_member_at_once(member, earn, metric):
    """The seeds' "累计300分自动升级VIP", whatever the window."""
    services.update_program(actor=SYSTEM, metric=metric)
    earn(member, 299)
    assert tier_of(member).name == "普通"

    earn(member, 1)

    assert tier_of(member).name == "银卡"
    change = member.tier_changes.get(kind="upgrade")
    assert (change.from_tier.name, change.metric_value) == ("普通", 300)
    assert benefits_of(member).discount_permille == 950


def test_a_big_purchase_jumps_straight_to_the_tier_it_reaches(member, earn):
    earn(member, 1200)

    assert tier_of(member).name == "金卡"
    assert kinds(member) == [("start", "普通"), ("upgrade", "金卡")]


def test_spending_points_never_costs_a_tier(member, earn):
    earn(member, 350)

    redeem_points(actor=SYSTEM, member=member, points=350, ref_type="gift", ref_no="G1")

    assert tier_of(member).name == "银卡"
    reevaluate_tiers(today=timezone.localdate() + datetime.timedelta(days=1))
    assert tier_of(member).name == "银卡"
    assert member.tier_changes.order_by("id").last().kind == "keep"


def test_manual_adjustments_do_not_count_towards_a_tier(member):
    """Only points earned by buying (and bonuses) qualify: a desk correction is not earning."""
    adjust_points(actor=SYSTEM, member=member, delta=500, reason="补录")

    assert tier_of(member).name == "普通"


def test_the_program_defaults_to_a_rolling_year():
    program = TierProgram()

    assert (program.metric, program.window_months) == ("rolling_points", 12)
    assert (program.review_month, program.review_day, program.downgrade) == (1, 1, "one_level")
