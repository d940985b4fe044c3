"""PostgreSQL: parallel earnings upgrade a member exactly once (each waits on the points account,
then locks the tier standing: the documented lock order)."""

import threading

import pytest
from django.db import connection

from huiyuan.tiers.selectors import tier_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_ten_parallel_earnings_cross_the_threshold_once(member, earn):
    barrier = threading.Barrier(10)
    errors = []

    def buy(index):
        try:
            barrier.wait(timeout=10)
            earn(member, 50, ref_type="order", ref_no=f"O{index}")
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert tier_of(member).name == "银卡"
    upgrade = member.tier_changes.get(kind="upgrade")
    assert upgrade.metric_value == 300
