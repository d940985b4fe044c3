import datetime

import pytest

from huiyuan.core.errors import DomainError
from huiyuan.coupons import rebate
from huiyuan.coupons.models import Coupon, RebateProgram, RebateRun

pytestmark = pytest.mark.django_db

BANDS = [(0, 200), (30_000, 250), (60_000, 300)]


def test_the_seeds_45000_points_make_a_975_yuan_coupon():
    """30,000 × 2% + 15,000 × 2.5% = ¥975.00 with a point worth 100 fen."""
    assert rebate.rebate_fen(45_000, BANDS, 100) == 97_500


@pytest.mark.parametrize(
    ("points", "fen"),
    [
        (0, 0),
        (1, 2),  # 1 point = ¥1 at 2% → 2 fen
        (30_000, 60_000),  # exactly the first edge: all at 2%
        (30_001, 60_003),  # 0.025 × 100 = 2.5 fen → rounded half-up to 3
        (30_002, 60_005),
        (60_000, 135_000),  # 600 + 750
        (60_001, 135_003),
        (100_000, 255_000),  # 600 + 750 + 1200
    ],
)
def test_band_edges_and_rounding(points, fen):
    assert rebate.rebate_fen(points, BANDS, 100) == fen


def test_rounding_is_once_on_the_total():
    # Two half fen (one per band) make one whole fen, not two rounded-up ones.
    assert rebate.rebate_fen(30_001, [(0, 200), (30_000, 250)], 1) == 600
    assert rebate.rebate_fen(1, [(0, 50)], 100) == 1  # 0.5 fen → 1 (half-up)
    assert rebate.rebate_fen(1, [(0, 49)], 100) == 0


def test_periods(travel):
    program = RebateProgram.current()
    (latest, before) = rebate.last_ended_periods(program, datetime.date(2026, 8, 1))
    assert (latest.start, latest.end) == (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    assert (before.start, before.end) == (datetime.date(2025, 7, 1), datetime.date(2025, 12, 31))
    assert rebate.payout_month(program, latest) == 8
    assert rebate.payout_month(program, before) == 3
    program.start_month = 4
    (latest, _before) = rebate.last_ended_periods(program, datetime.date(2026, 8, 1))
    assert (latest.start, latest.end) == (datetime.date(2025, 10, 1), datetime.date(2026, 3, 31))


@pytest.fixture
def rebate_program(make_template, system):
    program = RebateProgram.current()
    program.template = make_template("积分返利券", face_fen=100, valid_days=60)
    return rebate.save_program(actor=system, program=program, bands=BANDS)


def earn(member, points, system):
    from huiyuan.points.models import PointsEntry
    from huiyuan.points.services import earn_points

    earn_points(
        actor=system,
        member=member,
        points=points,
        kind=PointsEntry.Kind.EARN,
        ref_type="order",
        ref_no=str(points),
    )


def test_preview_and_run_once(rebate_program, member, register, system, travel):
    travel(2026, 3, 5)
    earn(member, 45_000, system)
    small = register(name="李四", phone="13900139000")
    earn(small, 40, system)  # ¥0.80 < the ¥1.00 minimum
    travel(2026, 8, 3)
    earn(member, 1_000, system)  # the next period: not counted
    period = rebate.last_ended_periods(rebate_program, datetime.date(2026, 8, 3))[0]
    rows = rebate.preview(rebate_program, period)
    assert [(row.member_no, row.points, row.value_fen) for row in rows] == [
        (member.member_no, 45_000, 97_500)
    ]
    run = rebate.start_run(actor=system, program=rebate_program, period=period)
    run.refresh_from_db()
    assert (run.status, run.total, run.processed, run.issued, run.total_fen) == (
        "done", 1, 1, 1, 97_500,
    )  # fmt: skip
    (coupon,) = Coupon.objects.filter(source="rebate")
    assert (coupon.member, coupon.face_fen, coupon.source_ref) == (member, 97_500, "202601-202606")
    with pytest.raises(DomainError) as error:
        rebate.start_run(actor=system, program=rebate_program, period=period)
    assert error.value.code == "REBATE_ALREADY_RUN"
    rebate.run_rebate(run.pk)  # the job queued again: nobody is paid twice
    assert Coupon.objects.filter(source="rebate").count() == 1
    assert RebateRun.objects.count() == 1


def test_a_period_not_ended_or_without_a_template_is_refused(rebate_program, system, travel):
    travel(2026, 6, 30)
    current = rebate.period_starting(rebate_program, datetime.date(2026, 1, 1))
    with pytest.raises(DomainError):
        rebate.start_run(actor=system, program=rebate_program, period=current)
    rebate_program.template = None
    travel(2026, 8, 1)
    with pytest.raises(DomainError) as error:
        rebate.start_run(actor=system, program=rebate_program, period=current)
    assert error.value.code == "COUPON_TEMPLATE_NOT_FOUND"
    assert not RebateRun.objects.exists()


@pytest.mark.parametrize(
    ("bands", "field"),
    [
        ([], "bands"),
        ([(100, 200)], "bands"),
        ([(0, 200), (0, 300)], "bands"),
        ([(0, 10_001)], "bands"),
    ],
)
def test_bad_bands(bands, field, system):
    with pytest.raises(DomainError) as error:
        rebate.save_program(actor=system, program=RebateProgram.current(), bands=bands)
    assert field in error.value.fields


def test_a_failed_run_resumes_without_paying_twice(
    rebate_program, member, register, system, travel, monkeypatch
):
    travel(2026, 3, 5)
    earn(member, 45_000, system)
    other = register(name="李四", phone="13900139000")
    earn(other, 1_000, system)
    travel(2026, 8, 3)
    period = rebate.last_ended_periods(rebate_program, datetime.date(2026, 8, 3))[0]
    real_issue = rebate._issue
    calls = []

    def crash_on_second(run, row, actor):
        calls.append(row.member_no)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real_issue(run, row, actor)

    monkeypatch.setattr(rebate, "_issue", crash_on_second)
    rebate.start_run(actor=system, program=rebate_program, period=period)  # Huey logs the crash
    run = RebateRun.objects.get()
    assert run.status == "failed"
    assert Coupon.objects.filter(source="rebate").count() == 1
    rebate.start_run(actor=system, program=rebate_program, period=period)
    run.refresh_from_db()
    assert (run.status, run.issued, run.total_fen) == ("done", 2, 97_500 + 2_000)
    assert Coupon.objects.filter(source="rebate").count() == 2
    with pytest.raises(DomainError):
        rebate.start_run(actor=system, program=rebate_program, period=period)
