"""Real concurrency on PostgreSQL: the level's row lock keeps stock exact, the first move of a
new product at a location makes one level, and a document is confirmed once."""

import threading
from collections import Counter

import pytest
from django.db import connection

from huiyuan.core.errors import DomainError
from huiyuan.core.ledgers import run_ledger_checks
from huiyuan.inventory.documents import Line, confirm_document, create_document
from huiyuan.inventory.models import MoveKind, PurchaseReceipt, StockLevel
from huiyuan.inventory.services import post_move

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_parallel(count, action) -> Counter:
    barrier = threading.Barrier(count)
    outcomes, errors = Counter(), []

    def run(index):
        try:
            barrier.wait(timeout=10)
            action(index)
            outcomes["ok"] += 1
        except DomainError as error:
            outcomes[error.code] += 1
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    return outcomes


def test_twenty_parallel_sales_of_ten_in_stock(manager, floor, chips, receive):
    receive(floor, chips, 10)

    def sell(index):
        post_move(
            actor=manager,
            location=floor,
            product=chips,
            kind=MoveKind.SALE,
            qty=-1,
            ref_type="order",
            ref_no=f"S{index}",
        )

    assert run_parallel(20, sell) == Counter(ok=10, INSUFFICIENT_STOCK=10)
    assert StockLevel.objects.get().on_hand == 0
    assert not list(run_ledger_checks())


def test_parallel_first_receipts_make_one_level(manager, floor, chips):
    def arrive(index):
        post_move(actor=manager, location=floor, product=chips, kind=MoveKind.RECEIPT, qty=1)

    assert run_parallel(10, arrive) == Counter(ok=10)
    assert StockLevel.objects.get().on_hand == 10


def test_a_receipt_confirmed_by_five_clicks_at_once_counts_once(manager, floor, supplier, chips):
    receipt = create_document(
        PurchaseReceipt, actor=manager, location=floor, supplier=supplier, lines=[Line(chips, 3)]
    )
    outcomes = run_parallel(5, lambda index: confirm_document(receipt, actor=manager))
    assert outcomes == Counter(ok=1, DOCUMENT_STATE_INVALID=4)
    assert StockLevel.objects.get().on_hand == 3
