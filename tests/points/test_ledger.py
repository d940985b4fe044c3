import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from huiyuan.core.errors import DomainError
from huiyuan.points import selectors, services
from huiyuan.points.models import PointsAccount, PointsDraw, PointsEntry

pytestmark = pytest.mark.django_db


def test_earn_then_redeem_keeps_balance_ledger_and_lots_equal(member, system):
    services.earn_points(actor=system, member=member, points=300, ref_type="order", ref_no="A1")
    services.redeem_points(actor=system, member=member, points=120, ref_type="gift", ref_no="G1")
    assert selectors.points_balance(member) == 180
    assert sum(lot.remaining for lot in selectors.live_lots(member)) == 180
    call_command("verify_ledgers")


def test_spending_beyond_the_balance_writes_nothing(member, system):
    services.earn_points(actor=system, member=member, points=50)
    with pytest.raises(DomainError) as refused:
        services.redeem_points(actor=system, member=member, points=51, ref_type="g", ref_no="1")
    assert refused.value.code == "POINTS_INSUFFICIENT"
    assert PointsEntry.objects.count() == 1
    assert PointsDraw.objects.count() == 0


def test_a_corrupted_balance_fails_verify_ledgers(member, system):
    services.earn_points(actor=system, member=member, points=100)
    PointsAccount.objects.filter(member=member).update(balance=99)
    with pytest.raises(CommandError):
        call_command("verify_ledgers")


@pytest.mark.parametrize("table", ["points_pointsentry", "points_pointsdraw"])
@pytest.mark.parametrize("statement", ["UPDATE {t} SET id = id", "DELETE FROM {t}"])
def test_the_database_refuses_to_rewrite_the_ledger(member, system, table, statement):
    services.earn_points(actor=system, member=member, points=100)
    services.redeem_points(actor=system, member=member, points=10, ref_type="g", ref_no="1")
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement.format(t=table))


def test_balance_never_goes_negative_even_by_sql(member, system):
    services.earn_points(actor=system, member=member, points=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsAccount.objects.filter(member=member).update(balance=-1)
