"""Property test: after any sequence of earning, spending, expiry, adjustment, clawback, refund
and merging, under any expiry mode, every balance equals its ledger sum and its live lots, nothing
is negative, verify_ledgers passes, and a refused step writes nothing."""

import datetime

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huiyuan.core.errors import DomainError
from huiyuan.core.ledgers import run_ledger_checks
from huiyuan.points import services
from huiyuan.points.expiring import expire_due_points
from huiyuan.points.merging import transfer_points
from huiyuan.points.models import PointsAccount, PointsDraw, PointsEntry, PointsLot, PointsProgram

pytestmark = pytest.mark.django_db

points = st.integers(min_value=-5, max_value=400)
orders = st.sampled_from(["O1", "O2", "O3"])
operations = st.lists(
    st.one_of(
        st.tuples(st.just("earn"), points, orders, st.integers(0, 800)),
        st.tuples(st.just("redeem"), points),
        st.tuples(st.just("pay"), points, orders),
        st.tuples(st.just("adjust"), st.integers(-300, 300)),
        st.tuples(st.just("clawback"), orders, points),
        st.tuples(st.just("refund"), orders, points),
        st.tuples(st.just("expire"), st.integers(0, 900)),
        st.tuples(st.just("mode"), st.sampled_from(PointsProgram.ExpiryMode.values)),
        st.tuples(st.just("merge"), st.booleans()),
    ),
    max_size=30,
)


@pytest.fixture
def twin(register):
    return register(name="张三（重复）", phone="13900000009")


class Rollback(Exception):
    pass


def written() -> tuple[int, int, int]:
    return PointsEntry.objects.count(), PointsLot.objects.count(), PointsDraw.objects.count()


def apply(step, actor, member, twin):
    name, *args = step
    if name == "earn":
        earned_at = timezone.now() - datetime.timedelta(days=args[2])
        services.earn_points(
            actor=actor, member=member, points=args[0], ref_type="order", ref_no=args[1],
            earned_at=earned_at,
        )  # fmt: skip
    elif name == "redeem":
        services.redeem_points(actor=actor, member=member, points=args[0], ref_type="g", ref_no="G")
    elif name == "pay":
        services.spend_points(
            actor=actor, member=member, points=args[0], ref_type="order", ref_no=args[1]
        )
    elif name == "adjust":
        services.adjust_points(actor=actor, member=member, delta=args[0], reason="测试")
    elif name == "clawback":
        services.clawback_points(actor=actor, member=member, ref_no=args[0], points=args[1])
    elif name == "refund":
        services.refund_points(actor=actor, member=member, ref_no=args[0], points=args[1])
    elif name == "expire":
        expire_due_points(timezone.localdate() + datetime.timedelta(days=args[0]))
    elif name == "mode":
        PointsProgram.objects.filter(pk=PointsProgram.current().pk).update(expiry_mode=args[0])
    elif name == "merge":  # back and forth between the member and a duplicate record
        source, target = (member, twin) if args[0] else (twin, member)
        transfer_points(actor=actor, source=source, target=target, reason="合并")


def check_invariants():
    for account in PointsAccount.objects.all():
        ledger = PointsEntry.objects.filter(account=account).aggregate(total=Sum("delta"))
        lots = PointsLot.objects.filter(account=account).aggregate(total=Sum("remaining"))
        assert account.balance == (ledger["total"] or 0) == (lots["total"] or 0)
        assert account.balance >= 0
        assert not PointsLot.objects.filter(remaining__lt=0).exists()
    assert list(run_ledger_checks()) == []


@given(steps=operations)
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_balance_equals_ledger_and_live_lots_after_any_sequence(steps, member, twin, system):
    try:
        with transaction.atomic():
            for step in steps:
                before = written()
                try:
                    apply(step, system, member, twin)
                except DomainError:
                    assert written() == before  # a refusal writes nothing
                check_invariants()
            raise Rollback
    except Rollback:
        pass
