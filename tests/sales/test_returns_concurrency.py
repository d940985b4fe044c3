"""Row locks on PostgreSQL: returns of one order from several tills at the same moment."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection

from huiyuan.core.errors import DomainError
from huiyuan.sales.models import Refund, SalesReturn
from huiyuan.sales.returns import return_lines
from tests.sales.fixtures import SYSTEM
from tests.sales.orders_fixtures import *  # noqa: F403 (fixtures)


def at_once(count, action):
    barrier = threading.Barrier(count)
    outcomes, errors = [], []

    def run(index):
        try:
            barrier.wait(timeout=10)
            outcomes.append(action(index))
        except DomainError as error:
            outcomes.append(error.code)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_six_tills_returning_one_each_of_four(sell, stocked):
    order = sell([("COLA", 4)])
    line = order.lines.get()

    def give_back(index):
        return_lines(actor=SYSTEM, order=order, lines=[(line, 1)], request_key=f"K{index}")
        return "ok"

    outcomes = at_once(6, give_back)
    assert sorted(outcomes) == ["RETURN_EXCEEDS_SOLD"] * 2 + ["ok"] * 4
    assert sum(r.amount_fen for r in Refund.objects.all()) == order.payable_fen
    call_command("verify_ledgers")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_retries_of_one_return_make_one(sell, stocked):
    order = sell([("COLA", 4)])
    line = order.lines.get()

    def give_back(index):
        return return_lines(actor=SYSTEM, order=order, lines=[(line, 1)], request_key="SAME").pk

    outcomes = at_once(5, give_back)
    assert len(set(outcomes)) == 1
    assert SalesReturn.objects.count() == 1
