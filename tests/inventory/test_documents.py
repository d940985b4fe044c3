from decimal import Decimal

import pytest

from huiyuan.core.errors import DomainError
from huiyuan.core.ledgers import run_ledger_checks
from huiyuan.core.models import AuditEvent
from huiyuan.inventory.documents import (
    Line,
    add_line,
    cancel_document,
    confirm_document,
    create_document,
    update_document,
)
from huiyuan.inventory.models import (
    PurchaseReceipt,
    Status,
    StockLevel,
    StockMove,
    SupplierReturn,
    WriteOff,
)

pytestmark = pytest.mark.django_db


def on_hand(location, product):
    return StockLevel.objects.get(location=location, product=product).on_hand


def test_purchase_receipt_draft_then_confirm(manager, floor, supplier, chips, soap):
    receipt = create_document(
        PurchaseReceipt,
        actor=manager,
        location=floor,
        supplier=supplier,
        lines=[Line(chips, Decimal("10")), Line(soap, Decimal("2.5"), 320), Line(chips, 2)],
    )
    assert receipt.number.startswith("JH")
    assert receipt.status == Status.DRAFT
    assert [(x.product, x.qty, x.unit_cost_fen) for x in receipt.lines.all()] == [
        (chips, 12, 500),  # the product's cost price; entered twice → added up
        (soap, Decimal("2.5"), 320),
    ]
    assert not StockMove.objects.exists()
    confirm_document(receipt, actor=manager)
    receipt.refresh_from_db()
    assert receipt.status == Status.CONFIRMED
    assert receipt.confirmed_by == manager.operator
    assert on_hand(floor, chips) == 12
    assert on_hand(floor, soap) == Decimal("2.5")
    assert set(StockMove.objects.values_list("ref_no", flat=True)) == {receipt.number}
    assert AuditEvent.objects.filter(action="stock_document.confirm").count() == 1


def test_confirming_twice_or_editing_a_confirmed_document_is_refused(
    manager, floor, chips, receive
):
    receipt = receive(floor, chips, 3)
    with pytest.raises(DomainError, match="DOCUMENT_STATE_INVALID"):
        confirm_document(receipt, actor=manager)
    with pytest.raises(DomainError, match="DOCUMENT_NOT_DRAFT"):
        update_document(receipt, actor=manager, lines=[Line(chips, 5)])
    with pytest.raises(DomainError, match="DOCUMENT_NOT_DRAFT"):
        add_line(receipt, actor=manager, line=Line(chips, 1))
    with pytest.raises(DomainError, match="DOCUMENT_STATE_INVALID"):
        cancel_document(receipt, actor=manager)
    assert on_hand(floor, chips) == 3


@pytest.mark.parametrize("qty", ["0", "-1", "1.0001", "abc", "NaN", "1e12"])
def test_bad_quantities_are_refused(manager, floor, supplier, chips, qty):
    with pytest.raises(DomainError, match="VALIDATION_ERROR"):
        create_document(
            PurchaseReceipt,
            actor=manager,
            location=floor,
            supplier=supplier,
            lines=[Line(chips, qty)],
        )
    assert not PurchaseReceipt.objects.exists()


def test_an_empty_document_cannot_be_confirmed(manager, floor, supplier):
    receipt = create_document(PurchaseReceipt, actor=manager, location=floor, supplier=supplier)
    with pytest.raises(DomainError, match="VALIDATION_ERROR"):
        confirm_document(receipt, actor=manager)


def test_scanned_lines_add_up(manager, floor, supplier, chips):
    receipt = create_document(PurchaseReceipt, actor=manager, location=floor, supplier=supplier)
    add_line(receipt, actor=manager, line=Line(chips, 1))
    add_line(receipt, actor=manager, line=Line(chips, 1))
    assert receipt.lines.get().qty == 2


def test_a_cancelled_draft_stays_cancelled(manager, floor, supplier, chips):
    receipt = create_document(
        PurchaseReceipt, actor=manager, location=floor, supplier=supplier, lines=[Line(chips, 1)]
    )
    cancel_document(receipt, actor=manager)
    with pytest.raises(DomainError, match="DOCUMENT_STATE_INVALID"):
        confirm_document(receipt, actor=manager)
    assert not StockMove.objects.exists()


def test_supplier_return_takes_stock_out_at_average_cost(
    manager, floor, supplier, chips, soap, receive
):
    receive(floor, chips, 10, 400)
    receive(floor, soap, 1, 300)
    ret = create_document(
        SupplierReturn,
        actor=manager,
        location=floor,
        supplier=supplier,
        lines=[Line(chips, 4, 380), Line(soap, 2)],
    )
    with pytest.raises(DomainError, match="INSUFFICIENT_STOCK"):
        confirm_document(ret, actor=manager)
    # Nothing half-written: the chips line (posted first) was rolled back too.
    assert on_hand(floor, chips) == 10
    update_document(ret, actor=manager, lines=[Line(chips, 4, 380)])
    confirm_document(ret, actor=manager)
    assert on_hand(floor, chips) == 6
    assert StockMove.objects.get(kind="supplier_return").unit_cost_fen == 400
    assert not list(run_ledger_checks())


def test_write_off_with_reason_records_its_cost(manager, floor, chips, receive):
    receive(floor, chips, 5, 450)
    write_off = create_document(
        WriteOff,
        actor=manager,
        location=floor,
        reason=WriteOff.Reason.EXPIRY,
        lines=[Line(chips, 2)],
    )
    confirm_document(write_off, actor=manager)
    assert write_off.number.startswith("BS")
    assert write_off.lines.get().unit_cost_fen == 450
    assert on_hand(floor, chips) == 3
