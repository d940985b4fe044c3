"""Real concurrency on PostgreSQL: the account row lock keeps the balance exact."""

import threading

import pytest
from django.db import connection

from huiyuan.core.errors import DomainError
from huiyuan.wallet import services
from huiyuan.wallet.models import StoredValueEntry
from huiyuan.wallet.selectors import stored_value_of

THREADS = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_spends_of_100_from_1000(desk, member):
    services.top_up(actor=desk, member=member, amount_fen=100_000, payment_method="cash")
    barrier = threading.Barrier(THREADS)
    outcomes, errors = [], []

    def spend(index):
        try:
            barrier.wait(timeout=10)
            services.spend_stored_value(
                actor=desk, member=member, amount_fen=10_000, ref_type="order", ref_no=f"S{index}"
            )
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(error.code)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=spend, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert sorted(outcomes) == ["STORED_VALUE_INSUFFICIENT"] * 10 + ["ok"] * 10
    assert stored_value_of(member) == (0, 0)
    assert StoredValueEntry.objects.filter(kind="pay").count() == 10
