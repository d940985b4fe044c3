import datetime

import pytest
from django.core.management import call_command

from huiyuan.points import selectors, services
from huiyuan.points.expiring import expire_due_points, members_with_points_expiring
from huiyuan.points.models import PointsEntry, PointsProgram

pytestmark = pytest.mark.django_db
Mode = PointsProgram.ExpiryMode


def _set(program, **fields):
    for name, value in fields.items():
        setattr(program, name, value)
    program.save()


def test_lot_months_each_lot_lapses_n_months_after_it_was_earned(member, system, program, travel):
    _set(program, expiry_mode=Mode.LOT_MONTHS, expiry_months=12)
    travel(2026, 1, 15)
    services.earn_points(actor=system, member=member, points=100)
    travel(2026, 6, 1)
    services.earn_points(actor=system, member=member, points=40)
    lots = list(selectors.live_lots(member))
    assert [lot.expires_on for lot in lots] == [
        datetime.date(2027, 1, 14),
        datetime.date(2027, 5, 31),
    ]

    assert expire_due_points(datetime.date(2027, 1, 14)) == 0
    assert [e.member_id for e in members_with_points_expiring(7, datetime.date(2027, 1, 10))] == [
        member.pk
    ]
    assert expire_due_points(datetime.date(2027, 1, 15)) == 100
    assert selectors.points_balance(member) == 40
    expired = PointsEntry.objects.get(kind=PointsEntry.Kind.EXPIRE)
    assert (expired.delta, expired.balance_after) == (-100, 40)
    assert expire_due_points(datetime.date(2027, 1, 15)) == 0  # once only
    call_command("verify_ledgers")


def test_calendar_clearing_points_of_year_y_lapse_at_the_end_of_y_plus_1(
    member, system, program, travel
):
    _set(program, expiry_mode=Mode.CALENDAR)
    travel(2026, 2, 1)
    services.earn_points(actor=system, member=member, points=10)
    travel(2026, 12, 31)
    services.earn_points(actor=system, member=member, points=20)
    travel(2027, 1, 1)
    services.earn_points(actor=system, member=member, points=30)
    assert expire_due_points(datetime.date(2027, 12, 31)) == 0
    assert expire_due_points(datetime.date(2028, 1, 1)) == 30
    assert selectors.points_balance(member) == 30
    call_command("verify_ledgers")


def test_inactivity_no_purchase_for_n_months_lapses_everything(member, system, program, travel):
    _set(program, expiry_mode=Mode.INACTIVITY, expiry_months=12)
    travel(2026, 1, 10)
    services.earn_points(actor=system, member=member, points=10)
    travel(2026, 3, 5)
    services.earn_points(actor=system, member=member, points=20)
    services.earn_points(actor=system, member=member, points=5, kind=PointsEntry.Kind.BONUS)
    assert all(lot.expires_on is None for lot in selectors.live_lots(member))

    assert expire_due_points(datetime.date(2027, 3, 4)) == 0  # a purchase on 5 March 2026
    soon = members_with_points_expiring(10, datetime.date(2027, 2, 25))
    assert [(e.member_id, e.points, e.expires_on) for e in soon] == [
        (member.pk, 35, datetime.date(2027, 3, 4))
    ]
    assert expire_due_points(datetime.date(2027, 3, 5)) == 35
    assert selectors.points_balance(member) == 0
    call_command("verify_ledgers")


def test_never_mode_keeps_points(member, system, program, travel):
    _set(program, expiry_mode=Mode.NEVER)
    travel(2020, 1, 1)
    services.earn_points(actor=system, member=member, points=10)
    assert expire_due_points(datetime.date(2035, 1, 1)) == 0
    assert selectors.points_balance(member) == 10


def test_spending_skips_lapsed_lots_even_before_the_job_ran(member, system, program, travel):
    _set(program, expiry_mode=Mode.LOT_MONTHS, expiry_months=1)
    travel(2026, 1, 1)
    services.earn_points(actor=system, member=member, points=100)
    travel(2026, 3, 1)
    with pytest.raises(Exception, match="POINTS_INSUFFICIENT"):
        services.redeem_points(actor=system, member=member, points=50, ref_type="g", ref_no="1")
    # the refusal rolled everything back, expiry row included: the job still finds it
    assert expire_due_points() == 100


def test_spending_takes_the_first_expiring_lot_first(member, system, program, travel):
    _set(program, expiry_mode=Mode.LOT_MONTHS, expiry_months=12)
    travel(2026, 5, 1)
    services.earn_points(actor=system, member=member, points=50)
    travel(2026, 1, 1)  # an earlier lot recorded later still goes first
    services.earn_points(actor=system, member=member, points=30)
    services.redeem_points(actor=system, member=member, points=40, ref_type="g", ref_no="1")
    assert [(lot.original, lot.remaining) for lot in selectors.live_lots(member)] == [(50, 40)]
