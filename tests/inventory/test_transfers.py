from decimal import Decimal

import pytest

from huiyuan.core.errors import DomainError
from huiyuan.core.ledgers import run_ledger_checks
from huiyuan.inventory.documents import Line, update_document
from huiyuan.inventory.models import Location, Status, StockLevel, StockMove
from huiyuan.inventory.services import location_for
from huiyuan.inventory.transfers import (
    cancel_transfer,
    confirm_transfer,
    create_transfer,
    receive_transfer,
    ship_transfer,
)

pytestmark = pytest.mark.django_db


def stock(location, product):
    level = StockLevel.objects.get(location=location, product=product)
    return level.on_hand, level.frozen, level.in_transit_in


@pytest.fixture
def transfer(manager, floor, other_floor, chips, receive):
    receive(floor, chips, 10, 500)
    return create_transfer(
        actor=manager, source=floor, destination=other_floor, lines=[Line(chips, 4)]
    )


def test_confirm_freezes_ship_puts_in_transit_receive_puts_on_hand(
    manager, floor, other_floor, chips, transfer
):
    confirm_transfer(transfer, actor=manager)
    assert stock(floor, chips) == (10, 4, 0)
    ship_transfer(transfer, actor=manager)
    assert stock(floor, chips) == (6, 0, 0)
    assert stock(other_floor, chips) == (0, 0, 4)
    receive_transfer(transfer, actor=manager)
    assert stock(other_floor, chips) == (4, 0, 0)
    transfer.refresh_from_db()
    assert transfer.status == Status.RECEIVED
    assert transfer.lines.get().received_qty == 4
    assert StockLevel.objects.get(location=other_floor, product=chips).avg_cost_fen == 500
    assert not list(run_ledger_checks())


def test_more_than_available_is_refused(manager, floor, other_floor, chips, transfer):
    update_document(transfer, actor=manager, lines=[Line(chips, 11)])
    with pytest.raises(DomainError, match="INSUFFICIENT_STOCK"):
        confirm_transfer(transfer, actor=manager)
    assert stock(floor, chips) == (10, 0, 0)


def test_frozen_stock_is_not_available_to_a_second_transfer(
    manager, floor, other_floor, chips, transfer
):
    confirm_transfer(transfer, actor=manager)
    second = create_transfer(
        actor=manager, source=floor, destination=other_floor, lines=[Line(chips, 7)]
    )
    with pytest.raises(DomainError, match="INSUFFICIENT_STOCK"):
        confirm_transfer(second, actor=manager)


def test_cancel_before_shipping_releases_the_freeze(manager, floor, chips, transfer):
    confirm_transfer(transfer, actor=manager)
    cancel_transfer(transfer, actor=manager)
    assert stock(floor, chips) == (10, 0, 0)
    with pytest.raises(DomainError, match="DOCUMENT_STATE_INVALID"):
        ship_transfer(transfer, actor=manager)


def test_a_shipped_transfer_cannot_be_cancelled(manager, transfer):
    confirm_transfer(transfer, actor=manager)
    ship_transfer(transfer, actor=manager)
    with pytest.raises(DomainError, match="DOCUMENT_STATE_INVALID"):
        cancel_transfer(transfer, actor=manager)
    with pytest.raises(DomainError, match="DOCUMENT_STATE_INVALID"):
        confirm_transfer(transfer, actor=manager)


def test_receiving_more_than_shipped_needs_a_note(manager, other_floor, chips, transfer):
    confirm_transfer(transfer, actor=manager)
    ship_transfer(transfer, actor=manager)
    with pytest.raises(DomainError) as refused:
        receive_transfer(transfer, actor=manager, received={chips.pk: 5})
    assert refused.value.code == "RECEIPT_EXCEEDS_SHIPPED"
    assert "variance_note" in refused.value.fields
    assert stock(other_floor, chips) == (0, 0, 4)
    receive_transfer(transfer, actor=manager, received={chips.pk: 5}, variance_note="多发一包")
    assert stock(other_floor, chips) == (5, 0, 0)


def test_partial_receipt_with_a_note(manager, other_floor, chips, transfer):
    confirm_transfer(transfer, actor=manager)
    ship_transfer(transfer, actor=manager)
    with pytest.raises(DomainError, match="VALIDATION_ERROR"):
        receive_transfer(transfer, actor=manager, received={chips.pk: Decimal("3")})
    receive_transfer(
        transfer, actor=manager, received={chips.pk: Decimal("3")}, variance_note="途中破损 1 包"
    )
    assert stock(other_floor, chips) == (3, 0, 0)
    transfer.refresh_from_db()
    assert transfer.variance_note == "途中破损 1 包"
    assert transfer.lines.get().variance == -1
    with pytest.raises(DomainError, match="DOCUMENT_STATE_INVALID"):
        receive_transfer(transfer, actor=manager)


def test_same_location_is_refused(manager, floor, chips):
    with pytest.raises(DomainError, match="VALIDATION_ERROR"):
        create_transfer(actor=manager, source=floor, destination=floor, lines=[Line(chips, 1)])


def test_floor_to_back_room_of_one_store(manager, store, floor, chips, receive):
    receive(floor, chips, 2)
    back = location_for(store, Location.Kind.BACK_ROOM)
    transfer = create_transfer(
        actor=manager, source=floor, destination=back, lines=[Line(chips, 2)]
    )
    for step in (confirm_transfer, ship_transfer, receive_transfer):
        step(transfer, actor=manager)
    assert stock(back, chips) == (2, 0, 0)
    assert StockMove.objects.filter(ref_no=transfer.number).count() == 6
