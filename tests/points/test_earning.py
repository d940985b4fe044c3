import datetime

import pytest
from django.utils import timezone

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.points import multipliers, rules
from huiyuan.points.earning import PurchaseLine, points_for_purchase
from huiyuan.points.models import EarnRule, PointsDay, PointsProgram, Rounding
from huiyuan.points.multipliers import Multiplier

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2026, 5, 13, 12, tzinfo=timezone.get_current_timezone())  # a Wednesday


def rule(name="满100元积1分", stores=(), card_types=(), **fields):
    return rules.save_earn_rule(
        actor=Actor.system(),
        rule=EarnRule(name=name, **fields),
        stores=stores,
        card_types=card_types,
    )


def quote(member, store, *lines, at=NOON, **paid):
    lines = [PurchaseLine(*line) if isinstance(line, tuple) else line for line in lines]
    return points_for_purchase(member, lines, store, at, **paid)


def test_seed_example_199_99_at_100_yuan_a_point_fractions_dropped_earns_1(member, store):
    rule(fen_per_point=10000)
    result = quote(member, store, ("A1", 19999))
    assert result.points == 1
    assert "「满100元积1分」¥199.99，每 ¥100.00 积 1 分（舍去零头）：1 分" in result.explanation


def test_half_up_and_per_line_versus_per_order(member, store):
    rule(fen_per_point=1000, rounding=Rounding.HALF_UP, basis=EarnRule.Basis.LINE)
    assert quote(member, store, ("A", 1500), ("B", 1400)).points == 3  # 2 + 1
    EarnRule.objects.update(basis=EarnRule.Basis.ORDER)
    assert quote(member, store, ("A", 1500), ("B", 1400)).points == 3  # 29 → 3
    EarnRule.objects.update(rounding=Rounding.FLOOR)
    assert quote(member, store, ("A", 1500), ("B", 1400)).points == 2


def test_exclusions_and_priorities_decide_each_line(member, store, other_store):
    rule(fen_per_point=100, exclude_category_codes="TOBACCO、GIFTCARD")
    rule(name="生鲜双倍", fen_per_point=50, priority=10, category_codes="FRESH")
    rule(name="杭州店", fen_per_point=10, priority=20, stores=[other_store])
    lines = [
        PurchaseLine("P1", 1000, ("FOOD", "FRESH")),
        PurchaseLine("P2", 1000, ("TOBACCO",)),
        PurchaseLine("P3", 1000, ("FOOD",)),
    ]
    here = quote(member, store, *lines)
    assert here.points == 20 + 10
    assert "¥10.00 不在任何积分规则内" in here.explanation
    assert quote(member, other_store, *lines).points == 300


def test_card_type_scope(member, store, card_type):
    from huiyuan.cards.models import CardType

    other = CardType.objects.create(code="VIP", name="贵宾卡", number_prefix="9")
    rule(fen_per_point=100, card_types=[other])
    assert quote(member, store, ("A", 10000)).points == 0
    rule(name="标准卡", fen_per_point=100, priority=1, card_types=[card_type])
    assert quote(member, store, ("A", 10000)).points == 100


def test_what_stored_value_and_points_paid_earns_is_a_setting(member, store, program):
    rule(fen_per_point=100)
    paid = {"paid_by_stored_value_fen": 3000, "paid_by_points_fen": 1000}
    assert quote(member, store, ("A", 6000), ("B", 4000), **paid).points == 90
    program.earn_on_stored_value = False
    program.save()
    assert quote(member, store, ("A", 6000), ("B", 4000), **paid).points == 60


def test_birthday_doubles_on_the_day_or_in_the_month(register, store, program, time_machine):
    member = register(birthday=datetime.date(1990, 5, 20))
    rule(fen_per_point=100)
    on_day = NOON.replace(day=20)
    assert quote(member, store, ("A", 10000), at=on_day).points == 200
    assert quote(member, store, ("A", 10000), at=NOON).points == 100
    program.birthday_mode = PointsProgram.BirthdayMode.MONTH
    program.save()
    assert quote(member, store, ("A", 10000), at=NOON).points == 200
    time_machine.move_to(on_day)
    assert multipliers.is_birthday(member, timezone.now())


def test_leap_day_birthdays_fall_on_28_february(register):
    member = register(birthday=datetime.date(2000, 2, 29))
    assert multipliers.is_birthday(member, datetime.date(2027, 2, 28))
    assert multipliers.is_birthday(member, datetime.date(2028, 2, 29))
    assert not multipliers.is_birthday(member, datetime.date(2028, 2, 28))


def test_points_days_by_weekday_and_highest_per_kind_product_across(member, store, program):
    rule(fen_per_point=100)
    day = PointsDay(
        name="周三会员日",
        starts_on=NOON.date(),
        ends_on=NOON.date() + datetime.timedelta(days=30),
        weekdays="3",
    )
    rules.save_points_day(actor=Actor.system(), day=day, stores=[])
    assert quote(member, store, ("A", 1000)).points == 20
    assert quote(member, store, ("A", 1000), at=NOON + datetime.timedelta(days=1)).points == 10

    def tier(member, store, at):
        return [Multiplier("tier", "金卡", 1500), Multiplier("tier", "旧", 1200)]

    multipliers.register(tier)
    try:
        result = quote(member, store, ("A", 1000))
    finally:
        multipliers.PROVIDERS.remove(tier)
    assert result.points == 30
    assert "金卡 ×1.5" in result.explanation


def test_per_order_cap(member, store, program):
    rule(fen_per_point=100)
    program.order_cap_points = 500
    program.save()
    assert quote(member, store, ("A", 100000)).points == 500


def test_overlapping_rules_of_the_same_priority_are_refused(member, store, other_store):
    rule(fen_per_point=100, stores=[store], category_codes="FOOD")
    with pytest.raises(DomainError) as refused:
        rule(name="全场", fen_per_point=200)
    assert refused.value.code == "RULE_OVERLAP"
    rule(name="杭州", fen_per_point=200, stores=[other_store])
    rule(name="酒水", fen_per_point=200, category_codes="DRINK", stores=[store])
    rule(name="明年", fen_per_point=200, priority=1)
    with pytest.raises(DomainError):
        rule(name="某商品", fen_per_point=200, product_codes="P1", stores=[store])
    assert EarnRule.objects.count() == 4


def test_bad_purchase_input_is_refused(member, store):
    with pytest.raises(DomainError):
        quote(member, store, ("A", -1))
    with pytest.raises(DomainError):
        quote(member, store, ("A", 1), paid_by_points_fen=-1)


def test_tier_scope(member, store):
    from huiyuan.tiers.models import Tier, TierStanding

    Tier.objects.create(rank=0, name="普通", entry_threshold=0)
    gold = Tier.objects.create(rank=2, name="金卡", entry_threshold=1000)
    rules.save_earn_rule(
        actor=Actor.system(),
        rule=EarnRule(name="金卡专享", fen_per_point=50),
        stores=[],
        card_types=[],
        tiers=[gold],
    )
    assert quote(member, store, ("A", 10000)).points == 0
    TierStanding.objects.create(member=member, tier=gold, since=NOON)
    assert quote(member, store, ("A", 10000)).points == 200


def test_changing_only_a_rules_tiers_is_audited(tiers):
    from huiyuan.core.models import AuditEvent

    saved = rule("金卡专享", fen_per_point=50)
    rules.save_earn_rule(
        actor=Actor.system(), rule=saved, stores=[], card_types=[], tiers=[tiers["金卡"]]
    )
    update = AuditEvent.objects.get(action="earn_rule.update")
    assert (update.before, update.after) == ({"tiers": []}, {"tiers": [tiers["金卡"].pk]})
