from decimal import Decimal

import pytest

from huiyuan.core.errors import DomainError
from huiyuan.core.ledgers import run_ledger_checks
from huiyuan.inventory.models import MoveKind, StockLevel, StockMove
from huiyuan.inventory.services import post_move
from huiyuan.inventory.stocktakes import (
    cancel_stocktake,
    confirm_stocktake,
    count,
    create_stocktake,
)

pytestmark = pytest.mark.django_db


def level(location, product):
    return StockLevel.objects.get(location=location, product=product)


def test_counting_freezes_and_confirming_posts_the_variance(
    manager, floor, categories, chips, make_product, receive
):
    crisps = make_product("S002", "虾条", cost=200)
    receive(floor, chips, 10, 500)
    receive(floor, crisps, 3, 200)
    sheet = create_stocktake(actor=manager, location=floor, category=categories["food"])
    assert sheet.number.startswith("PD")
    count(sheet, actor=manager, product=chips, qty=7)
    count(sheet, actor=manager, product=crisps, qty=1, add=True)
    count(sheet, actor=manager, product=crisps, qty=3, add=True)  # scanned: adds up to 4
    assert level(floor, chips).frozen == 10
    with pytest.raises(DomainError, match="INSUFFICIENT_STOCK"):
        post_move(actor=manager, location=floor, product=chips, kind=MoveKind.SALE, qty=-1)
    confirm_stocktake(sheet, actor=manager)
    chips_level, crisps_level = level(floor, chips), level(floor, crisps)
    assert (chips_level.on_hand, chips_level.frozen) == (7, 0)
    assert (crisps_level.on_hand, crisps_level.frozen) == (4, 0)
    variances = {x.product.code: (x.book_qty, x.counted_qty, x.variance) for x in sheet.lines.all()}
    assert variances == {"S001": (10, 7, -3), "S002": (3, 4, 1)}
    kinds = StockMove.objects.filter(ref_no=sheet.number).values_list("kind", "qty")
    assert set(kinds) >= {("stocktake_loss", Decimal(-3)), ("stocktake_gain", Decimal(1))}
    assert not list(run_ledger_checks())


def test_product_outside_the_category_is_refused(manager, floor, categories, soap):
    sheet = create_stocktake(actor=manager, location=floor, category=categories["food"])
    with pytest.raises(DomainError, match="VALIDATION_ERROR"):
        count(sheet, actor=manager, product=soap, qty=1)
    assert not sheet.lines.exists()


def test_cancel_releases_the_freeze(manager, floor, chips, receive):
    receive(floor, chips, 5)
    sheet = create_stocktake(actor=manager, location=floor)
    count(sheet, actor=manager, product=chips, qty=0)
    assert level(floor, chips).frozen == 5
    cancel_stocktake(sheet, actor=manager)
    assert (level(floor, chips).on_hand, level(floor, chips).frozen) == (5, 0)
    with pytest.raises(DomainError, match="DOCUMENT_NOT_DRAFT"):
        count(sheet, actor=manager, product=chips, qty=1)


def test_a_confirmed_sheet_is_closed(manager, floor, chips, receive):
    receive(floor, chips, 5)
    sheet = create_stocktake(actor=manager, location=floor)
    count(sheet, actor=manager, product=chips, qty=5)
    confirm_stocktake(sheet, actor=manager)
    assert not StockMove.objects.filter(kind__startswith="stocktake").exists()
    with pytest.raises(DomainError, match="DOCUMENT_STATE_INVALID"):
        confirm_stocktake(sheet, actor=manager)
    with pytest.raises(DomainError, match="VALIDATION_ERROR"):
        count(create_stocktake(actor=manager, location=floor), actor=manager, product=chips, qty=-1)
