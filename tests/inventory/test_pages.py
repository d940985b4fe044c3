import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from huiyuan.catalog.barcodes import with_check_digit
from huiyuan.inventory.documents import Line, create_document
from huiyuan.inventory.models import PurchaseReceipt, Status, StockLevel, Stocktake, Transfer
from huiyuan.inventory.services import location_for
from huiyuan.inventory.transfers import confirm_transfer, create_transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager.operator)
    return client


def new_receipt(client, floor, supplier):
    response = client.post(
        reverse("inventory:document_create", args=["receipts"]),
        {"location": floor.pk, "supplier": supplier.pk, "note": "开业备货"},
    )
    assert response.status_code == 302
    return PurchaseReceipt.objects.get()


def test_receipt_by_scan_and_confirm(manager_client, floor, supplier, chips):
    receipt = new_receipt(manager_client, floor, supplier)
    add = reverse("inventory:add_line", args=["receipts", receipt.number])
    manager_client.post(add, {"code": "6901234567892", "qty": "12", "unit_cost_fen": "4.80"})
    manager_client.post(add, {"code": "S001", "qty": ""})  # typed code, qty 1
    line = receipt.lines.get()
    assert (line.qty, line.unit_cost_fen) == (13, 480)
    page = manager_client.get(reverse("inventory:document", args=["receipts", receipt.number]))
    assert "薯片" in page.content.decode()
    manager_client.post(reverse("inventory:step", args=["receipts", receipt.number, "confirm"]))
    assert StockLevel.objects.get(product=chips).on_hand == 13
    again = manager_client.post(
        reverse("inventory:step", args=["receipts", receipt.number, "confirm"]), follow=True
    )
    assert "单据当前状态不允许此操作" in again.content.decode()
    printed = manager_client.get(reverse("inventory:print", args=["receipts", receipt.number]))
    assert receipt.number in printed.content.decode()
    assert "¥62.40" in printed.content.decode()


def test_unknown_code_is_shown_on_the_form(manager_client, floor, supplier):
    receipt = new_receipt(manager_client, floor, supplier)
    response = manager_client.post(
        reverse("inventory:add_line", args=["receipts", receipt.number]), {"code": "X999"}
    )
    assert response.status_code == 422
    assert "商品不存在" in response.content.decode()
    assert not receipt.lines.exists()


def test_transfer_pages_ship_and_receive_with_a_note(
    manager_client, floor, other_floor, chips, receive
):
    receive(floor, chips, 10)
    manager_client.post(
        reverse("inventory:document_create", args=["transfers"]),
        {"location": floor.pk, "destination": other_floor.pk},
    )
    transfer = Transfer.objects.get()
    number = transfer.number
    manager_client.post(
        reverse("inventory:add_line", args=["transfers", number]), {"code": "S001", "qty": "4"}
    )
    for action in ("confirm", "ship"):
        manager_client.post(reverse("inventory:step", args=["transfers", number, action]))
    line = transfer.lines.get()
    receive_url = reverse("inventory:receive", args=["transfers", number])
    refused = manager_client.post(receive_url, {f"line_{line.pk}": "5"})
    assert refused.status_code == 422
    assert "差异说明" in refused.content.decode()
    manager_client.post(receive_url, {f"line_{line.pk}": "5", "variance_note": "多发一包"})
    transfer.refresh_from_db()
    assert transfer.status == Status.RECEIVED
    assert StockLevel.objects.get(location=other_floor).on_hand == 5


def test_levels_with_low_stock_alert_and_exports(manager_client, floor, chips, receive):
    receive(floor, chips, 3)
    level = StockLevel.objects.get()
    manager_client.post(reverse("inventory:minimum", args=[level.pk]), {"min_qty": "5"})
    page = manager_client.get(reverse("inventory:levels"))
    assert "1 个商品低于库存下限" in page.content.decode()
    for name in ("levels", "movements", "valuation"):
        export = manager_client.get(reverse(f"inventory:{name}"), {"export": "xlsx"})
        rows = list(load_workbook(io.BytesIO(export.content)).active.values)
        assert len(rows) == 2, name
    value = manager_client.get(reverse("inventory:valuation"))
    assert "¥15.00" in value.content.decode()


def test_cashier_cannot_run_documents(client, make_operator):
    client.force_login(make_operator("cashier"))
    assert client.get(reverse("inventory:receipts")).status_code == 403
    assert client.get(reverse("inventory:levels")).status_code == 403


def test_finance_sees_valuation_but_not_documents(client, make_operator):
    client.force_login(make_operator("finance"))
    assert client.get(reverse("inventory:valuation")).status_code == 200
    assert client.get(reverse("inventory:transfers")).status_code == 403


def test_other_stores_documents_are_hidden(client, make_operator, other_store, manager, supplier):

    receipt = create_document(
        PurchaseReceipt, actor=manager, location=location_for(other_store), supplier=supplier
    )
    client.force_login(make_operator("store_manager"))  # only the first store
    url = reverse("inventory:document", args=["receipts", receipt.number])
    assert client.get(url).status_code == 404


def test_only_the_destination_receives_and_only_the_source_ships(
    client, make_operator, manager, store, other_store, floor, other_floor, chips, receive
):

    receive(floor, chips, 5)
    transfer = create_transfer(
        actor=manager, source=floor, destination=other_floor, lines=[Line(chips, 2)]
    )
    confirm_transfer(transfer, actor=manager)
    client.force_login(make_operator("store_manager", stores=[other_store]))
    ship = reverse("inventory:step", args=["transfers", transfer.number, "ship"])
    assert (
        client.get(reverse("inventory:document", args=["transfers", transfer.number])).status_code
        == 200
    )
    assert client.post(ship).status_code == 403
    client.force_login(make_operator("store_manager", stores=[store]))
    assert client.post(ship).status_code == 302
    receive_url = reverse("inventory:receive", args=["transfers", transfer.number])
    assert client.post(receive_url, {}).status_code == 403


def test_stocktake_counts_a_scale_label_then_sets_a_count(manager_client, floor, make_product):
    make_product("F001", "散装大米", cost=500, is_weighed=True, plu="10001")
    manager_client.post(
        reverse("inventory:document_create", args=["stocktakes"]), {"location": floor.pk}
    )
    number = Stocktake.objects.get().number
    add = reverse("inventory:add_line", args=["stocktakes", number])
    # ¥12.80 at ¥10.00 a kg: 1.28 kg
    manager_client.post(add, {"code": with_check_digit("201000101280")})
    manager_client.post(add, {"code": with_check_digit("201000101280")})
    line = Stocktake.objects.get().lines.get()
    assert line.counted_qty == Decimal("2.56")
    manager_client.post(add, {"code": "F001", "qty": "0", "replace": "on"})
    line.refresh_from_db()
    assert line.counted_qty == 0


def test_open_a_back_room_once(manager_client, store):
    url = reverse("inventory:back_room")
    manager_client.post(url, {"store": store.pk})
    assert store.locations.filter(kind="back_room").count() == 1
    again = manager_client.post(url, {"store": store.pk}, follow=True)
    assert "已有后仓" in again.content.decode()
    assert manager_client.post(url, {"store": 999}).status_code == 404
