"""Row locks on PostgreSQL: 20 tills spending 100 points each from 1,000 at the same moment."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection

from huiyuan.core.errors import DomainError
from huiyuan.points import selectors, services


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_spends_of_100_from_1000(member, system):
    services.earn_points(actor=system, member=member, points=600)
    services.earn_points(actor=system, member=member, points=400)
    barrier = threading.Barrier(20)
    outcomes, errors = [], []

    def spend(index):
        try:
            barrier.wait(timeout=10)
            services.spend_points(
                actor=system, member=member, points=100, ref_type="order", ref_no=f"S{index}"
            )
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(error.code)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=spend, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert sorted(outcomes) == ["POINTS_INSUFFICIENT"] * 10 + ["ok"] * 10
    assert selectors.points_balance(member) == 0
    call_command("verify_ledgers")
