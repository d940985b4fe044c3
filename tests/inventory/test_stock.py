from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from huiyuan.core.errors import DomainError
from huiyuan.core.ledgers import run_ledger_checks
from huiyuan.inventory.models import Location, MoveKind, StockLevel, StockMove
from huiyuan.inventory.selectors import stock_at
from huiyuan.inventory.services import location_for, post_move

pytestmark = pytest.mark.django_db


def level(location, product):
    return StockLevel.objects.get(location=location, product=product)


def test_location_for_makes_the_shop_floor_once(store):
    first = location_for(store)
    assert location_for(store) == first
    assert first.kind == Location.Kind.FLOOR
    assert location_for(store, Location.Kind.BACK_ROOM) != first


def test_receipt_sets_moving_average_cost_half_up(floor, chips, receive):
    receive(floor, chips, 10, 500)
    receive(floor, chips, 5, 801)  # (10×500 + 5×801) / 15 = 600.33…
    stock = level(floor, chips)
    assert stock.on_hand == 15
    assert stock.avg_cost_fen == 600
    assert not list(run_ledger_checks())


def test_sale_beyond_available_is_refused_and_writes_nothing(manager, floor, chips, receive):
    receive(floor, chips, 2)
    with pytest.raises(DomainError) as refused:
        post_move(actor=manager, location=floor, product=chips, kind=MoveKind.SALE, qty=-3)
    assert refused.value.code == "INSUFFICIENT_STOCK"
    assert level(floor, chips).on_hand == 2
    assert StockMove.objects.filter(kind=MoveKind.SALE).count() == 0


def test_frozen_goods_cannot_be_sold(manager, floor, chips, receive):
    receive(floor, chips, 2)
    post_move(actor=manager, location=floor, product=chips, kind=MoveKind.FREEZE, qty=2)
    with pytest.raises(DomainError, match="INSUFFICIENT_STOCK"):
        post_move(actor=manager, location=floor, product=chips, kind=MoveKind.SALE, qty=-1)


def test_negative_stock_where_the_store_allows_it(manager, store, floor, chips):
    store.allow_negative_stock = True
    store.save()
    floor.refresh_from_db()
    move = post_move(
        actor=manager, location=floor, product=chips, kind=MoveKind.SALE, qty=Decimal("-1.5")
    )
    assert move.balance_after == Decimal("-1.5")
    assert level(floor, chips).on_hand == Decimal("-1.5")
    # Freezing still needs the goods to be there.
    with pytest.raises(DomainError, match="INSUFFICIENT_STOCK"):
        post_move(actor=manager, location=floor, product=chips, kind=MoveKind.FREEZE, qty=1)
    assert not list(run_ledger_checks())


def test_a_move_against_its_kind_is_a_bug(manager, floor, chips):
    with pytest.raises(ValueError):
        post_move(actor=manager, location=floor, product=chips, kind=MoveKind.RECEIPT, qty=-1)


def test_stock_at_adds_the_store_locations(store, floor, chips, receive):
    receive(floor, chips, 3)
    receive(location_for(store, Location.Kind.BACK_ROOM), chips, 4)
    stock = stock_at(store, chips)
    assert (stock.on_hand, stock.available, stock.in_transit_in) == (7, 7, 0)


def test_the_database_refuses_to_change_a_move(floor, chips, receive):
    receive(floor, chips, 3)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE inventory_stockmove SET qty = 100")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM inventory_stockmove")
    assert StockMove.objects.get().qty == 3


def test_verify_ledgers_names_a_level_off_its_moves(floor, chips, receive):
    receive(floor, chips, 3)
    StockLevel.objects.update(frozen=1)
    (line,) = run_ledger_checks()
    assert "S001" in line
    assert "frozen" in line
