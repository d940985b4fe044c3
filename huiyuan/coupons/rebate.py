"""积分返利: twice a year, the points a member EARNED in a half-year become one cash coupon.

- Periods: half-years from `start_month` (default 1: January–June and July–December); the first
  is paid out in `first_payout_month` (default August), the second in `second_payout_month` of the
  next year (default March): the slow months after the summer and after 春节. A period can be
  run once it has ended; the page offers the latest ended period not yet run.
- Points earned count as the tiers count them (earnings, bonuses, check-ins minus clawbacks, by
  the day they were written; never adjustments, merge transfers, spending or expiry).
- Value: marginal bands, like a tax table. Each band's rate (per ten thousand: 250 = 2.5%, so
  every rate is exact) applies to the points between its start and the next band's start, and a
  point is worth `point_value_fen` (default 100 fen: a point counts as ¥1 of spend). The total is
  rounded once, to the fen, half-up. 45,000 points at 2% / 2.5% (from 30,000) / 3% (from 60,000):
  30,000 × 2% + 15,000 × 2.5% = ¥975.00.
- Below `min_value_fen` no coupon is issued. The coupon is the program's template with the
  member's value as its face (source REBATE, the period as its reference).
- A run is one `RebateRun` per period (unique): a second run is refused (REBATE_ALREADY_RUN).
  The run freezes the bands and values it started with; each member's coupon is issued once per
  period reference, so running a failed run again completes it without paying anyone twice.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.dates import add_months
from huiyuan.core.errors import DomainError
from huiyuan.coupons.models import (
    Coupon,
    CouponKind,
    CouponSource,
    RebateBand,
    RebateProgram,
    RebateRun,
)
from huiyuan.coupons.services import issue_coupon
from huiyuan.members.models import Member
from huiyuan.points.selectors import points_earned_by_member

PER_10K = 10_000
BATCH = 2000
DEFAULT_BANDS = ((0, 200), (30_000, 250), (60_000, 300))  # 2%, 2.5% from 30,000, 3% from 60,000


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # included

    @property
    def ref(self) -> str:
        return f"{self.start:%Y%m}-{self.end:%Y%m}"

    def __str__(self):
        return f"{self.start:%Y-%m} – {self.end:%Y-%m}"


@dataclass(frozen=True)
class Row:
    member_id: int
    member_no: str
    name: str
    points: int
    value_fen: int


def rebate_fen(points: int, bands: list[tuple[int, int]], point_value_fen: int) -> int:
    """The rebate of `points` through marginal `bands` ((from_points, rate ‱), by from_points),
    to the fen, half-up."""
    numerator = 0
    for index, (start, rate) in enumerate(bands):
        end = bands[index + 1][0] if index + 1 < len(bands) else None
        portion = (points if end is None else min(points, end)) - start
        if portion > 0:
            numerator += portion * point_value_fen * rate
    return (numerator + PER_10K // 2) // PER_10K


def bands_of(program: RebateProgram) -> list[tuple[int, int]]:
    return list(program.bands.order_by("from_points").values_list("from_points", "rate_per_10k"))


def period_starting(program: RebateProgram, start: datetime.date) -> Period:
    return Period(start, add_months(start, 6) - datetime.timedelta(days=1))


def last_ended_periods(program: RebateProgram, today: datetime.date, count: int = 2) -> list:
    """The `count` latest half-years that ended before `today`, newest first."""
    start = datetime.date(today.year + 1, program.start_month, 1)
    found = []
    while len(found) < count:
        period = period_starting(program, start)
        if period.end < today:
            found.append(period)
        start = add_months(start, -6)
    return found


def payout_month(program: RebateProgram, period: Period) -> int:
    first = period.start.month == program.start_month
    return program.first_payout_month if first else program.second_payout_month


def preview(program: RebateProgram, period: Period, bands=None) -> list[Row]:
    """Every member whose rebate reaches the minimum, by member number (`bands`: the program's
    unless given)."""
    bands = bands_of(program) if bands is None else bands
    rows = []
    members = Member.objects.filter(status=Member.Status.ACTIVE).order_by("member_no")
    ids = list(members.values_list("pk", flat=True))
    for offset in range(0, len(ids), BATCH):
        earned = points_earned_by_member(ids[offset : offset + BATCH], period.start, period.end)
        if not earned:
            continue
        for member in members.filter(pk__in=earned).only("member_no", "name"):
            value = rebate_fen(earned[member.pk], bands, program.point_value_fen)
            if value >= max(program.min_value_fen, 1):
                rows.append(Row(member.pk, member.member_no, member.name, earned[member.pk], value))
    return sorted(rows, key=lambda row: row.member_no)


def check_program(program: RebateProgram) -> None:
    if program.template is None or not program.template.is_active:
        raise DomainError(
            "COUPON_TEMPLATE_NOT_FOUND", _("请先选择启用的返利券模板"), field="template"
        )
    if program.template.kind != CouponKind.CASH:
        raise DomainError("VALIDATION_ERROR", _("返利券模板须为代金券"), field="template")
    if not bands_of(program):
        raise DomainError("VALIDATION_ERROR", _("请至少设置一个返利档位"), field="bands")


def start_run(*, actor: Actor, program: RebateProgram, period: Period, today=None) -> RebateRun:
    """Record the period's run (refused if it ran already or hasn't ended) and queue the job."""
    check_program(program)
    if period.end >= (today or timezone.localdate()):
        raise DomainError("VALIDATION_ERROR", _("该期尚未结束，不能返利"), field="period")
    rules = {
        "bands": bands_of(program),
        "point_value_fen": program.point_value_fen,
        "min_value_fen": program.min_value_fen,
    }
    try:
        with transaction.atomic():
            run = RebateRun.objects.create(
                period_start=period.start,
                period_end=period.end,
                template=program.template,
                rules=rules,
                operator=actor.operator,
            )
            audit.record(actor, "rebate.run", run, after={"period": period.ref, **rules})
    except IntegrityError:
        run = _resumable(period)
    run_rebate(run.pk)  # a Huey task: in the consumer, or at once in immediate mode (tests)
    return run


def _resumable(period: Period) -> RebateRun:
    """A failed run of the period starts again with its frozen rules (members already paid get
    nothing new); any other run refuses: REBATE_ALREADY_RUN."""
    resumed = RebateRun.objects.filter(
        period_start=period.start, status=RebateRun.Status.FAILED
    ).update(status=RebateRun.Status.RUNNING, message="")
    if not resumed:
        raise DomainError("REBATE_ALREADY_RUN", field="period")
    return RebateRun.objects.get(period_start=period.start)


@db_task()
def run_rebate(run_pk: int) -> None:
    run = RebateRun.objects.select_related("template", "operator").get(pk=run_pk)
    try:
        _pay(run)
    except Exception:
        RebateRun.objects.filter(pk=run.pk).update(
            status=RebateRun.Status.FAILED,
            message=_("返利中断：已发出的券仍然有效，再次执行只给未发到的会员发券"),
            finished_at=timezone.now(),
        )
        raise


def _pay(run: RebateRun) -> None:
    actor = Actor(operator=run.operator)
    program = RebateProgram(
        point_value_fen=run.rules["point_value_fen"], min_value_fen=run.rules["min_value_fen"]
    )
    period = Period(run.period_start, run.period_end)
    rows = preview(program, period, bands=[tuple(band) for band in run.rules["bands"]])
    RebateRun.objects.filter(pk=run.pk).update(total=len(rows))
    issued = total = 0
    for done, row in enumerate(rows, start=1):
        coupon = _issue(run, row, actor)
        if coupon is not None:
            issued, total = issued + 1, total + coupon.face_fen
        if done % 100 == 0 or done == len(rows):
            RebateRun.objects.filter(pk=run.pk).update(
                processed=done, issued=issued, total_fen=total
            )
    RebateRun.objects.filter(pk=run.pk).update(
        status=RebateRun.Status.DONE, finished_at=timezone.now()
    )


def _issue(run: RebateRun, row: Row, actor: Actor) -> Coupon | None:
    member = Member.objects.get(pk=row.member_id)
    try:
        return issue_coupon(
            run.template,
            member,
            source=CouponSource.REBATE,
            actor=actor,
            face_fen=row.value_fen,
            source_ref=Period(run.period_start, run.period_end).ref,
            once=True,
        )
    except DomainError:
        return None


@transaction.atomic
def save_program(*, actor: Actor, program: RebateProgram, bands: list[tuple[int, int]]):
    """Settings and bands together; the first band starts at 0 points, starts are distinct."""
    starts = [start for start, _rate in bands]
    if not bands or min(starts) != 0:
        raise DomainError("VALIDATION_ERROR", _("第一档须从 0 积分开始"), field="bands")
    if len(set(starts)) != len(starts):
        raise DomainError("VALIDATION_ERROR", _("各档的起始积分不能相同"), field="bands")
    if any(not 0 <= rate <= PER_10K for _start, rate in bands):
        raise DomainError("VALIDATION_ERROR", _("返利比例须在 0% 至 100% 之间"), field="bands")
    if program.template is not None and program.template.kind != CouponKind.CASH:
        raise DomainError("VALIDATION_ERROR", _("返利券模板须为代金券"), field="template")
    before = {"bands": bands_of(program)} if program.pk else {}
    program.save()
    program.bands.all().delete()
    RebateBand.objects.bulk_create(
        RebateBand(program=program, from_points=start, rate_per_10k=rate)
        for start, rate in sorted(bands)
    )
    after = {
        "template": program.template_id,
        "start_month": program.start_month,
        "payout_months": [program.first_payout_month, program.second_payout_month],
        "point_value_fen": program.point_value_fen,
        "min_value_fen": program.min_value_fen,
        "bands": sorted(bands),
    }
    audit.record(actor, "rebate.update", program, before=before, after=after)
    return program
