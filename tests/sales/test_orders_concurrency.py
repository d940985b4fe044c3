"""Real concurrency on PostgreSQL: five tills sending the same sale at the same moment make one
order, through the service (the sale key) and through the API (the Idempotency-Key)."""

import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from huiyuan.core.errors import DomainError
from huiyuan.sales.models import Order, Payment
from huiyuan.sales.orders import SaleLine, place_order
from huiyuan.sales.tenders import PaymentIn
from huiyuan.wallet.models import StoredValueEntry
from tests.sales.fixtures import SYSTEM
from tests.sales.orders_fixtures import *  # noqa: F403 (fixtures)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
CONNECTIONS = 5


def all_at_once(call) -> list:
    barrier = threading.Barrier(CONNECTIONS)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except DomainError as error:
            results.append(error.code)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    return results


def test_five_tills_one_sale_key_one_order(store, stocked, member, with_stored_value):
    with_stored_value(member, 10_000)

    def sell():
        return place_order(
            actor=SYSTEM,
            store=store,
            sale_key="till-1-0001",
            lines=[SaleLine(product_code="RICE", qty=Decimal(1))],
            member_no=member.member_no,
            payments=[PaymentIn("stored_value", 5000), PaymentIn("cash", 3000)],
            expected_payable_fen=8000,
        ).order_no

    results = all_at_once(sell)
    assert len(set(results)) == 1
    assert Order.objects.count() == 1
    assert Payment.objects.count() == 2
    assert StoredValueEntry.objects.filter(kind="pay").count() == 1
    call_command("verify_ledgers")


def test_five_connections_one_idempotency_key_one_order(api_key_pair, stocked, member):
    body = {
        "member_no": member.member_no,
        "lines": [{"product_code": "OIL", "qty": 2}],
        "payments": [{"method": "cash", "amount_fen": 10000}],
        "expected_payable_fen": 10000,
    }

    def post():
        client = Client(HTTP_AUTHORIZATION=f"Bearer {api_key_pair[1]}")
        response = client.post(
            "/api/v1/orders", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
        )
        assert response.status_code == 201, response.content
        return response.json()["order_no"]

    results = all_at_once(post)
    assert len(set(results)) == 1
    assert Order.objects.count() == 1
    call_command("verify_ledgers")
