"""Row locks on PostgreSQL: desks redeeming the same gift at the same moment never hand out more
than the stock or the limits allow."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection

from huiyuan.core.errors import DomainError
from huiyuan.gifts.models import GiftRedemption
from huiyuan.gifts.services import Wanted, redeem_gifts, save_gift

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def all_at_once(calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes, errors = [], []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(error.code)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    return sorted(outcomes)


def redeeming(desk, store, member, gift, qty=1):
    return lambda: redeem_gifts(
        actor=desk, member=member, lines=[Wanted(gift.pk, qty)], store=store
    )


def members(register, earn, count):
    made = [register(name=f"会员{i}", phone=f"1390000{i:04d}") for i in range(count)]
    for member in made:
        earn(member, 1000)
    return made


def test_ten_desks_and_five_cups_in_stock(register, earn, cup, stock, make_gift, desk, store):
    stock(store, cup, 5)
    gift = make_gift("保温杯", 500, product=cup)
    calls = [redeeming(desk, store, m, gift) for m in members(register, earn, 10)]
    assert all_at_once(calls) == ["INSUFFICIENT_STOCK"] * 5 + ["ok"] * 5
    call_command("verify_ledgers")


def test_a_total_limit_of_three(register, earn, cup_gift, system, desk, store):
    save_gift(actor=system, gift=cup_gift, total_quantity=3)
    calls = [redeeming(desk, store, m, cup_gift) for m in members(register, earn, 6)]
    assert all_at_once(calls) == ["GIFT_LIMIT_REACHED"] * 3 + ["ok"] * 3


def test_one_member_at_two_desks_keeps_the_per_member_limit(
    member, earn, cup_gift, system, desk, store
):
    earn(member, 10_000)
    save_gift(actor=system, gift=cup_gift, per_member_limit=2)
    assert all_at_once([redeeming(desk, store, member, cup_gift)] * 6) == (
        ["GIFT_LIMIT_REACHED"] * 4 + ["ok"] * 2
    )
    assert GiftRedemption.objects.count() == 2
