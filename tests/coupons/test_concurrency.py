"""Row locks on PostgreSQL: ten tills using one coupon at once, and ten issues against a limit."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from huiyuan.core.errors import DomainError
from huiyuan.coupons import services
from huiyuan.coupons.models import Coupon


def at_once(count, action):
    barrier = threading.Barrier(count)
    outcomes, errors = [], []

    def run(index):
        try:
            barrier.wait(timeout=10)
            action(index)
            outcomes.append("ok")
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
    return sorted(outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_coupon_used_once_by_ten_tills(member, issue, store, system):
    coupon = issue(member)

    def use(index):
        services.mark_used(
            coupon, order_ref=f"XS{index}", store=store, actor=system, at=timezone.now()
        )

    assert at_once(10, use) == ["COUPON_USED"] * 9 + ["ok"]
    assert coupon.events.filter(kind="used").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_per_member_limit_holds_under_concurrent_issues(member, issue, make_template):
    template = make_template("限两张", per_member_limit=2)
    assert at_once(10, lambda index: issue(member, template)) == (
        ["COUPON_LIMIT_REACHED"] * 8 + ["ok"] * 2
    )
    assert Coupon.objects.filter(template=template).count() == 2
