import datetime

import pytest
from django.core.management import call_command

from huiyuan.core.audit import AuditEvent
from huiyuan.core.errors import DomainError
from huiyuan.points import bonuses, selectors, services
from huiyuan.points.models import PointsEntry, PointsProgram
from huiyuan.points.signals import points_earned

pytestmark = pytest.mark.django_db
Kind = PointsEntry.Kind


@pytest.mark.parametrize("points", [0, -5, True, 1.5])
def test_points_must_be_a_positive_integer(member, system, points):
    with pytest.raises(DomainError) as refused:
        services.earn_points(actor=system, member=member, points=points)
    assert refused.value.code == "VALIDATION_ERROR"
    assert not PointsEntry.objects.exists()


def test_adjust_needs_a_reason_and_a_non_zero_delta(member, system):
    for delta, reason in ((10, "  "), (0, "盘点")):
        with pytest.raises(DomainError):
            services.adjust_points(actor=system, member=member, delta=delta, reason=reason)
    services.adjust_points(actor=system, member=member, delta=30, reason="补录积分")
    services.adjust_points(actor=system, member=member, delta=-10, reason="重复补录")
    assert selectors.points_balance(member) == 20
    assert AuditEvent.objects.filter(action="points.adjust").count() == 2
    with pytest.raises(DomainError) as refused:
        services.adjust_points(actor=system, member=member, delta=-21, reason="多扣")
    assert refused.value.code == "POINTS_INSUFFICIENT"


def test_clawback_takes_the_orders_own_lot_first_and_reports_a_shortfall(member, system):
    services.earn_points(actor=system, member=member, points=50, ref_type="order", ref_no="O1")
    services.earn_points(actor=system, member=member, points=80, ref_type="order", ref_no="O2")
    result = services.clawback_points(actor=system, member=member, ref_no="O2", points=30)
    assert (result.points, result.shortfall) == (30, 0)
    lots = {lot.ref_no: lot.remaining for lot in selectors.live_lots(member)}
    assert lots == {"O1": 50, "O2": 50}
    with pytest.raises(DomainError) as refused:
        services.clawback_points(actor=system, member=member, ref_no="O2", points=51)
    assert refused.value.code == "POINTS_CLAWBACK_EXCEEDS_EARNED"
    services.redeem_points(actor=system, member=member, points=90, ref_type="gift", ref_no="G")
    result = services.clawback_points(actor=system, member=member, ref_no="O2", points=50)
    assert (result.points, result.shortfall) == (10, 40)
    assert selectors.points_balance(member) == 0
    call_command("verify_ledgers")


def test_points_paid_are_refunded_at_most_once(member, system):
    services.earn_points(actor=system, member=member, points=500)
    services.spend_points(actor=system, member=member, points=300, ref_type="order", ref_no="O9")
    services.refund_points(actor=system, member=member, ref_no="O9", points=200)
    with pytest.raises(DomainError) as refused:
        services.refund_points(actor=system, member=member, ref_no="O9", points=101)
    assert refused.value.code == "POINTS_REFUND_EXCEEDS_PAID"
    assert selectors.points_balance(member) == 400


@pytest.fixture
def received():
    deltas = []

    def receiver(member, entry, **kwargs):
        deltas.append(entry.delta)

    points_earned.connect(receiver)
    yield deltas
    points_earned.disconnect(receiver)


def test_points_earned_counts_earnings_minus_clawbacks_never_spending(member, system, received):
    services.earn_points(actor=system, member=member, points=300, ref_no="O1")
    services.earn_points(actor=system, member=member, points=20, kind=Kind.BONUS)
    services.redeem_points(actor=system, member=member, points=200, ref_type="g", ref_no="G")
    services.clawback_points(actor=system, member=member, ref_no="O1", points=100)
    services.adjust_points(actor=system, member=member, delta=5, reason="补")
    today = datetime.date.today()
    assert selectors.points_earned(member, today - datetime.timedelta(days=1), today) == 220
    assert selectors.points_earned_by_member([member.pk], today, today) == {member.pk: 220}
    assert received[-2:] == [300, 20]


def test_registration_and_referral_bonuses_are_paid_once(register, system, program):
    program.registration_bonus = 50
    program.referral_points = 200
    program.referral_threshold_fen = 10000
    program.save()
    referrer = register(name="李四", phone="13900139000")
    referee = register(referrer=referrer)  # registering paid the registration bonus
    assert selectors.points_balance(referee) == 50
    assert bonuses.award_registration_bonus(actor=system, member=referee) is None
    assert bonuses.award_referral_bonus(actor=system, referee=referee, amount_fen=9999) is None
    assert bonuses.award_referral_bonus(actor=system, referee=referee, amount_fen=10000)
    assert bonuses.award_referral_bonus(actor=system, referee=referee, amount_fen=50000) is None
    assert selectors.points_balance(referrer) == 50 + 200


def test_check_in_once_a_day(member, system, program):
    program.check_in_points = 5
    program.save()
    today = datetime.date(2026, 5, 1)
    bonuses.check_in(actor=system, member=member, today=today)
    with pytest.raises(DomainError) as refused:
        bonuses.check_in(actor=system, member=member, today=today)
    assert refused.value.code == "POINTS_ALREADY_CHECKED_IN"
    bonuses.check_in(actor=system, member=member, today=today + datetime.timedelta(days=1))
    assert selectors.points_balance(member) == 10
    assert PointsProgram.current().check_in_points == 5


def test_a_cancelled_member_neither_earns_nor_spends(member, system):
    services.earn_points(actor=system, member=member, points=10)
    member.status = member.Status.CANCELLED
    member.save()
    for call in (
        lambda: services.earn_points(actor=system, member=member, points=1),
        lambda: services.adjust_points(actor=system, member=member, delta=-1, reason="x"),
    ):
        with pytest.raises(DomainError) as refused:
            call()
        assert refused.value.code == "MEMBER_CANCELLED"


def test_a_repeat_with_the_same_reference_moves_nothing_again(member, system):
    first = services.earn_points(
        actor=system, member=member, points=80, ref_type="order", ref_no="O1"
    )
    again = services.earn_points(
        actor=system, member=member, points=80, ref_type="order", ref_no="O1"
    )
    assert again.pk == first.pk
    with pytest.raises(DomainError) as refused:
        services.earn_points(actor=system, member=member, points=81, ref_type="order", ref_no="O1")
    assert refused.value.code == "POINTS_REFERENCE_USED"
    paid = services.spend_points(
        actor=system, member=member, points=30, ref_type="order", ref_no="O2"
    )
    assert (
        services.spend_points(
            actor=system, member=member, points=30, ref_type="order", ref_no="O2"
        ).pk
        == paid.pk
    )
    assert selectors.points_balance(member) == 50


def test_points_as_payment_follow_the_rule_under_the_lock(member, system):
    services.earn_points(actor=system, member=member, points=1000)
    with pytest.raises(DomainError) as refused:  # at most half of a ¥10 order: 500 points
        services.spend_points(
            actor=system, member=member, points=600, ref_type="order", ref_no="O3",
            order_total_fen=1000,
        )  # fmt: skip
    assert refused.value.code == "POINTS_PAYMENT_NOT_ALLOWED"
    services.spend_points(
        actor=system, member=member, points=500, ref_type="order", ref_no="O3", order_total_fen=1000
    )
    assert selectors.points_balance(member) == 500
