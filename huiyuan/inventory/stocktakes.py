"""Stocktakes (盘点): a sheet for one location and optionally a category subtree.

Counting a product (typed or scanned) while the sheet is open freezes its available quantity, so
nothing is sold or transferred out of what is being counted. Confirming releases the freeze and
posts counted − book as a stocktake gain or loss at the average cost; the lines keep the book
quantity, so the sheet is the variance report. Only counted products are adjusted: a product
nobody counted is not taken to be zero.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from huiyuan.catalog.selectors import category_subtree
from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.inventory.documents import (
    check_draft,
    check_status,
    create_document,
    lines_in_lock_order,
    locked,
    mark_confirmed,
    ref_type,
)
from huiyuan.inventory.models import Location, MoveKind, Status, Stocktake, StocktakeLine
from huiyuan.inventory.services import check_qty, locked_level, post_move


def create_stocktake(*, actor: Actor, location: Location, category=None, note: str = ""):
    return create_document(Stocktake, actor=actor, location=location, category=category, note=note)


def _post(actor, sheet, product, kind, qty):
    return post_move(
        actor=actor,
        location=sheet.location,
        product=product,
        kind=kind,
        qty=qty,
        ref_type=ref_type(sheet),
        ref_no=sheet.number,
    )


def _check_in_scope(sheet: Stocktake, product) -> None:
    if (
        sheet.category
        and not category_subtree(sheet.category).filter(pk=product.category_id).exists()
    ):
        raise DomainError(
            "VALIDATION_ERROR",
            _("%(product)s 不在本次盘点的类别内") % {"product": product},
            fields={"product": _("商品不在盘点类别内")},
        )


@transaction.atomic
def count(sheet: Stocktake, *, actor: Actor, product, qty, add: bool = False) -> StocktakeLine:
    """Enter a counted quantity (`add=True`: a scan adds to what was counted so far; qty 0 is a
    product counted as absent)."""
    sheet = locked(sheet)
    check_draft(sheet)
    _check_in_scope(sheet, product)
    qty = check_qty(qty, allow_zero=True)
    line = sheet.lines.filter(product=product).first()
    if line is None:
        available = locked_level(sheet.location, product).available
        line = StocktakeLine(document=sheet, product=product, counted_qty=0)
        if available > 0:
            _post(actor, sheet, product, MoveKind.FREEZE, available)
            line.frozen_qty = available
    before = line.counted_qty
    line.counted_qty = before + qty if add else qty
    line.save()
    audit.record(
        actor,
        "stock_document.update",
        sheet,
        before={"counted": [product.code, str(before)]},
        after={"counted": [product.code, str(line.counted_qty)]},
        store=sheet.location.store,
    )
    return line


def _release(actor, sheet, lines) -> None:
    for line in lines:
        if line.frozen_qty:
            _post(actor, sheet, line.product, MoveKind.UNFREEZE, -line.frozen_qty)


@transaction.atomic
def confirm_stocktake(sheet: Stocktake, *, actor: Actor) -> Stocktake:
    sheet = locked(sheet)
    check_status(sheet, Status.DRAFT)
    lines = lines_in_lock_order(sheet)
    _release(actor, sheet, lines)
    for line in lines:
        level = locked_level(sheet.location, line.product)
        line.book_qty = level.on_hand
        line.unit_cost_fen = level.avg_cost_fen
        line.save(update_fields=["book_qty", "unit_cost_fen"])
        if line.variance:
            kind = MoveKind.STOCKTAKE_GAIN if line.variance > 0 else MoveKind.STOCKTAKE_LOSS
            _post(actor, sheet, line.product, kind, line.variance)
    mark_confirmed(sheet, actor)
    audit.record(
        actor,
        "stock_document.confirm",
        sheet,
        after={"variances": [[x.product.code, str(x.variance)] for x in lines if x.variance]},
        store=sheet.location.store,
    )
    return sheet


@transaction.atomic
def cancel_stocktake(sheet: Stocktake, *, actor: Actor) -> Stocktake:
    sheet = locked(sheet)
    check_status(sheet, Status.DRAFT)
    _release(actor, sheet, sheet.lines.select_related("product").order_by("product_id"))
    sheet.status = Status.CANCELLED
    sheet.save()
    audit.record(actor, "stock_document.cancel", sheet, store=sheet.location.store)
    return sheet
