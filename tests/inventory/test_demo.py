"""The inventory demo loads on top of a catalogue, adds up, and loads only once."""

import pytest
from django.core.management import call_command

from huiyuan.inventory import demo
from huiyuan.inventory.models import PurchaseReceipt, Status, StockLevel, Stocktake, Transfer

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_adds_up(store, other_store, chips, soap, make_product):
    make_product("F001", "散装大米", is_weighed=True, plu="10001")
    written = demo.load()
    assert written == 4  # two opening receipts, a transfer, a stocktake
    assert PurchaseReceipt.objects.filter(status=Status.CONFIRMED).count() == 2
    assert Transfer.objects.get().status == Status.SHIPPED
    sheet = Stocktake.objects.get()
    assert sheet.status == Status.DRAFT
    assert sheet.lines.exists()
    assert StockLevel.objects.filter(in_transit_in__gt=0).exists()
    call_command("verify_ledgers")
    assert demo.load() == 0
    assert PurchaseReceipt.objects.count() == 2


def test_nothing_to_do_without_products(store):
    assert demo.load() == 0
