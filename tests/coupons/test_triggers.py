import datetime

import pytest

from huiyuan.coupons import triggers
from huiyuan.coupons.models import Coupon, CouponTrigger
from huiyuan.sales.pricing import CouponToIssue

pytestmark = pytest.mark.django_db


@pytest.fixture
def trigger(cash10):
    def make(event, template=None, **fields):
        return CouponTrigger.objects.create(event=event, template=template or cash10, **fields)

    return make


def test_registration_issues_once_in_the_registration(trigger, register, make_operator):
    trigger("registration")
    operator = make_operator("admin")
    from huiyuan.core.actors import Actor

    member = register(actor=Actor(operator=operator))
    (coupon,) = Coupon.objects.filter(member=member)
    assert (coupon.source, coupon.source_ref) == ("registration", member.member_no)
    assert coupon.events.get().operator == operator


def test_registration_never_blocked_by_a_refusing_template(trigger, make_template, register):
    expired = make_template(
        "过期券",
        validity="fixed",
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2020, 1, 31),
    )
    trigger("registration", expired)
    member = register()
    assert member.pk
    assert not Coupon.objects.exists()


def test_inactive_triggers_do_nothing(trigger, register):
    trigger("registration", is_active=False)
    register()
    assert not Coupon.objects.exists()


def test_birthday_n_days_before_once_a_year(trigger, register, travel):
    trigger("birthday", days_before=3)
    born = register(birthday=datetime.date(1990, 3, 13))
    register(name="李四", phone="13900139000", birthday=datetime.date(1990, 3, 14))
    travel(2026, 3, 10)
    assert triggers.birthday_coupons(datetime.date(2026, 3, 10)) == 1
    assert triggers.birthday_coupons(datetime.date(2026, 3, 10)) == 0  # a rerun
    (coupon,) = Coupon.objects.all()
    assert (coupon.member, coupon.source, coupon.source_ref) == (born, "birthday", "2026")


def test_another_birthday_coupon_this_year_doesnt_hide_last_years(
    trigger, make_template, register, travel
):
    """Last year's coupon of this trigger and this year's of another trigger are two coupons;
    together they must not pass for this year's coupon of this trigger."""
    on_the_day = trigger("birthday")  # cash10
    week_before = trigger("birthday", make_template("生日前一周券"), days_before=7)
    born = register(birthday=datetime.date(1990, 3, 13))
    travel(2025, 3, 13)
    assert triggers.birthday_coupons(datetime.date(2025, 3, 13)) == 1
    travel(2026, 3, 6)
    assert triggers.birthday_coupons(datetime.date(2026, 3, 6)) == 1
    travel(2026, 3, 13)
    assert triggers.birthday_coupons(datetime.date(2026, 3, 13)) == 1
    held = Coupon.objects.filter(member=born).values_list("template", "source_ref")
    assert sorted(held) == sorted(
        [
            (on_the_day.template_id, "2025"),
            (week_before.template_id, "2026"),
            (on_the_day.template_id, "2026"),
        ]
    )


def test_leap_day_birthdays_on_the_28th_in_common_years(trigger, register, travel):
    trigger("birthday")
    register(birthday=datetime.date(2000, 2, 29))
    travel(2026, 2, 28)
    assert triggers.birthday_coupons(datetime.date(2026, 2, 28)) == 1


def test_purchase_ladder_first_purchase_and_referral(
    trigger, make_template, register, system, travel
):
    from huiyuan.points.models import PointsProgram

    now = travel(2026, 3, 10)
    PointsProgram.objects.update_or_create(
        pk=PointsProgram.current().pk, defaults={"referral_threshold_fen": 5000}
    )
    welcome = make_template("首单券")
    referral = make_template("推荐券", face_fen=2000)
    ladder = make_template("会员日代金券", face_fen=500)
    trigger("first_purchase", welcome)
    trigger("referral", referral)
    referrer = register()
    referee = register(name="李四", phone="13900139000", referrer=referrer)
    issued = triggers.on_purchase(
        member=referee,
        order_ref="XS001",
        at=now,
        coupons_to_issue=[CouponToIssue(7, "满128送10", ladder.pk, 1000)],
        actor=system,
        first_purchase=True,
        amount_fen=13000,
    )
    by_template = {coupon.template: coupon for coupon in issued}
    assert by_template[ladder].face_fen == 1000
    assert by_template[ladder].source == "purchase"
    assert by_template[welcome].member == referee
    assert by_template[referral].member == referrer
    assert by_template[referral].source_ref == referee.member_no
    # The same order again (a retry) issues nothing new.
    triggers.on_purchase(
        member=referee,
        order_ref="XS001",
        at=now,
        coupons_to_issue=[CouponToIssue(7, "满128送10", ladder.pk, 1000)],
        actor=system,
        first_purchase=True,
        amount_fen=13000,
    )
    assert Coupon.objects.count() == 3


def test_referral_needs_the_threshold(trigger, register, system, travel):
    from huiyuan.points.models import PointsProgram

    now = travel(2026, 3, 10)
    PointsProgram.objects.filter(pk=PointsProgram.current().pk).update(referral_threshold_fen=5000)
    trigger("referral")
    referee = register(name="李四", phone="13900139000", referrer=register())
    triggers.on_purchase(
        member=referee, order_ref="XS1", at=now, actor=system, first_purchase=True, amount_fen=4999
    )
    assert not Coupon.objects.exists()


def test_tier_upgrade(trigger, tiers, member, system):
    from huiyuan.points.models import PointsEntry
    from huiyuan.points.services import earn_points

    trigger("tier_upgrade", tier=tiers["金卡"])
    earn_points(
        actor=system,
        member=member,
        points=500,
        kind=PointsEntry.Kind.BONUS,
        ref_type="t",
        ref_no="1",
        reason="x",
    )
    assert not Coupon.objects.exists()  # 银卡: not the trigger's tier
    earn_points(
        actor=system,
        member=member,
        points=600,
        kind=PointsEntry.Kind.BONUS,
        ref_type="t",
        ref_no="2",
        reason="x",
    )
    (coupon,) = Coupon.objects.all()
    assert coupon.source == "tier"


def test_tier_review_upgrades_get_their_coupons_from_the_daily_job(trigger, tiers, member, travel):
    from huiyuan.tiers.models import TierChange

    now = travel(2026, 1, 1, hour=1)
    trigger("tier_upgrade")
    TierChange.objects.bulk_create(
        [TierChange(member=member, kind="upgrade", from_tier=tiers["普通"], to_tier=tiers["银卡"])]
    )  # as the yearly review writes them: no signal
    assert not Coupon.objects.exists()
    since = now - datetime.timedelta(days=2)
    assert triggers.tier_upgrade_catch_up(since) == 1
    triggers.tier_upgrade_catch_up(since)
    (coupon,) = Coupon.objects.all()
    assert (coupon.member, coupon.source) == (member, "tier")


def test_a_refusing_ladder_template_never_blocks_the_sale(make_template, member, system, travel):
    now = travel(2026, 3, 10)
    off = make_template("停用的满额券", is_active=False)
    issued = triggers.on_purchase(
        member=member,
        order_ref="XS2",
        at=now,
        coupons_to_issue=[CouponToIssue(7, "满68送5", off.pk, 500)],
        actor=system,
    )
    assert issued == []
    assert not Coupon.objects.exists()
