"""Count cards: sell, use, exhaust, expire (time-machine), ledger rows."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from huiyuan.core.errors import DomainError
from huiyuan.wallet import services
from huiyuan.wallet.count_cards import expiry_for
from huiyuan.wallet.models import CountCardEntry, CountCardHolding, CountCardPackage

pytestmark = pytest.mark.django_db

SALE_DAY = datetime.datetime(2026, 1, 31, 10, 0, tzinfo=datetime.UTC)


def entries(holding):
    return list(
        CountCardEntry.objects.filter(holding=holding)
        .order_by("id")
        .values_list("kind", "delta", "balance_after")
    )


def sell(desk, member, package, method="cash"):
    return services.sell_count_card(
        actor=desk, member=member, package=package, payment_method=method
    )


def use(desk, member, holding, uses=1):
    return services.use_count_card(actor=desk, member=member, holding_id=holding.pk, uses=uses)


def test_selling_a_package_gives_its_uses_with_a_ledger_row(desk, member, car_wash):
    holding = sell(desk, member, car_wash, "alipay")

    assert holding.number.startswith("JC")
    assert (holding.uses, holding.remaining, holding.price_fen) == (10, 10, 30_000)
    assert holding.payment_method == "alipay"
    assert entries(holding) == [("sale", 10, 10)]


def test_using_until_exhausted(desk, member, car_wash):
    holding = sell(desk, member, car_wash)
    use(desk, member, holding, uses=9)
    holding = use(desk, member, holding)

    assert (holding.remaining, holding.status) == (0, "exhausted")
    with pytest.raises(DomainError) as error:
        use(desk, member, holding)
    assert error.value.code == "COUNT_CARD_EXHAUSTED"
    assert entries(holding) == [("sale", 10, 10), ("use", -9, 1), ("use", -1, 0)]
    call_command("verify_ledgers")


@pytest.mark.parametrize("uses", [0, -1])
def test_zero_or_negative_uses_are_refused(desk, member, car_wash, uses):
    holding = sell(desk, member, car_wash)
    with pytest.raises(DomainError) as error:
        use(desk, member, holding, uses=uses)
    assert error.value.code == "VALIDATION_ERROR"
    assert error.value.fields == {"uses": "必须是大于 0 的整数"}


def test_another_members_holding_is_not_found(
    desk, member, register, stored_value_card_type, car_wash
):
    holding = sell(desk, member, car_wash)
    other = register(name="李四", phone="13900139000", card_type=stored_value_card_type)
    with pytest.raises(DomainError) as error:
        use(desk, other, holding)
    assert error.value.code == "COUNT_CARD_NOT_FOUND"


def test_an_inactive_package_or_a_card_type_without_count_cards_cannot_be_sold(
    desk, member, register, car_wash
):
    CountCardPackage.objects.filter(pk=car_wash.pk).update(is_active=False)
    car_wash.refresh_from_db()
    with pytest.raises(DomainError) as error:
        sell(desk, member, car_wash)
    assert error.value.code == "COUNT_CARD_PACKAGE_NOT_FOUND"

    CountCardPackage.objects.filter(pk=car_wash.pk).update(is_active=True)
    car_wash.refresh_from_db()
    with pytest.raises(DomainError) as error:
        sell(desk, register(name="王五", phone="13700137000"), car_wash)
    assert error.value.code == "ACCOUNT_NOT_AVAILABLE"
    assert not CountCardHolding.objects.exists()


def test_validity():
    months = CountCardPackage(uses=1, price_fen=1, validity_months=1)
    days = CountCardPackage(uses=1, price_fen=1, validity_days=30)
    assert expiry_for(months, datetime.date(2026, 1, 31)) == datetime.date(2026, 2, 27)
    assert expiry_for(months, datetime.date(2026, 3, 15)) == datetime.date(2026, 4, 14)
    assert expiry_for(days, datetime.date(2026, 1, 1)) == datetime.date(2026, 1, 30)
    assert expiry_for(CountCardPackage(uses=1, price_fen=1), datetime.date(2026, 1, 1)) is None


def test_expiry_job_takes_what_is_left_on_the_day_after_the_last_day(desk, member, car_wash):
    with time_machine.travel(SALE_DAY, tick=False):
        holding = sell(desk, member, car_wash)  # 12 months: last day 2027-01-30
        use(desk, member, holding, uses=3)
    assert holding.expires_on == datetime.date(2027, 1, 30)

    with time_machine.travel(datetime.datetime(2027, 1, 30, 12, tzinfo=datetime.UTC)):
        assert services.expire_count_cards() == 0
        use(desk, member, holding)  # the last day still counts
    with time_machine.travel(datetime.datetime(2027, 1, 31, 1, tzinfo=datetime.UTC)):
        with pytest.raises(DomainError) as error:  # before the job runs: refused all the same
            use(desk, member, holding)
        assert error.value.code == "COUNT_CARD_EXPIRED"
        assert services.expire_count_cards() == 1
        assert services.expire_count_cards() == 0  # a second run changes nothing

    holding.refresh_from_db()
    assert (holding.remaining, holding.status) == (0, "expired")
    assert entries(holding)[-1] == ("expire", -6, 0)
    call_command("verify_ledgers")


def test_the_expiry_job_is_registered(desk, member, car_wash):
    from huiyuan.tasks import expire_count_cards

    with time_machine.travel(SALE_DAY, tick=False):
        sell(desk, member, car_wash)
    with time_machine.travel(datetime.datetime(2028, 1, 1, tzinfo=datetime.UTC)):
        assert expire_count_cards.call_local() == 1


def test_the_database_refuses_to_update_count_card_ledger_rows(desk, member, car_wash):
    from django.db import DatabaseError, connection, transaction

    sell(desk, member, car_wash)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE wallet_countcardentry SET delta = 99")


def test_verify_ledgers_catches_a_corrupted_count_card(desk, member, car_wash):
    from django.core.management.base import CommandError
    from django.db import connection

    sell(desk, member, car_wash)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE wallet_countcardholding SET remaining = 11")
    with pytest.raises(CommandError):
        call_command("verify_ledgers")
