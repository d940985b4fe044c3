"""What every stock document shares: a number, lines that change only while it is a draft, and
the draft → confirmed / cancelled states. Purchase receipts, supplier returns and write-offs
are fully described here; transfers (`transfers.py`) and stocktakes (`stocktakes.py`) add
their own steps.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.core import audit, sequences
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.inventory.models import (
    MoveKind,
    PurchaseReceipt,
    Status,
    StockDocument,
    SupplierReturn,
    WriteOff,
)
from huiyuan.inventory.services import check_qty, post_move


@dataclass(frozen=True)
class Line:
    """A line as entered: product, quantity, unit cost (fen; 0 = the product's cost price)."""

    product: object
    qty: Decimal
    unit_cost_fen: int = 0


def ref_type(document: StockDocument) -> str:
    return document._meta.model_name


def next_number(model) -> str:
    serial = sequences.take(f"inventory.{model._meta.model_name}")[0]
    return f"{model.PREFIX}{serial:08d}"


def locked(document: StockDocument) -> StockDocument:
    """The document re-read under a row lock, so two clicks on 确认 run one after the other."""
    return type(document).objects.select_for_update().get(pk=document.pk)


def check_draft(document: StockDocument) -> None:
    if document.status != Status.DRAFT:
        raise DomainError("DOCUMENT_NOT_DRAFT")


def check_status(document: StockDocument, *allowed: str) -> None:
    if document.status not in allowed:
        raise DomainError("DOCUMENT_STATE_INVALID")


def _clean_lines(lines: Iterable[Line]) -> list[Line]:
    """Lines with valid numbers, one per product (a product entered twice is added up, at the
    first cost unless the later line names one)."""
    merged: dict[int, Line] = {}
    for line in lines:
        qty = check_qty(line.qty)
        earlier = merged.get(line.product.pk)
        cost = (
            line.unit_cost_fen or (earlier and earlier.unit_cost_fen) or line.product.cost_price_fen
        )
        if not isinstance(cost, int) or cost < 0:
            raise DomainError("VALIDATION_ERROR", fields={"unit_cost_fen": _("单价不正确")})
        if earlier:
            qty += earlier.qty
        merged[line.product.pk] = Line(line.product, qty, cost)
    return list(merged.values())


def write_lines(document: StockDocument, lines: Iterable[Line]) -> None:
    document.lines.all().delete()
    document.lines.bulk_create(
        document.lines.model(
            document=document, product=line.product, qty=line.qty, unit_cost_fen=line.unit_cost_fen
        )
        for line in _clean_lines(lines)
    )


def lines_snapshot(document: StockDocument) -> list[list]:
    return [
        [line.product.code, str(line.qty), line.unit_cost_fen]
        for line in document.lines.select_related("product")
    ]


def store_of(document: StockDocument):
    return document.stores[0]


@transaction.atomic
def create_document(model, *, actor: Actor, lines: Iterable[Line] = (), **fields) -> StockDocument:
    """A new draft of `model` (PurchaseReceipt, SupplierReturn, WriteOff, Transfer, Stocktake)."""
    document = model(number=next_number(model), created_by=actor.operator, **fields)
    document.save()
    if lines:
        write_lines(document, lines)
    audit.record(
        actor,
        "stock_document.create",
        document,
        after={"lines": lines_snapshot(document) if lines else []},
        store=store_of(document),
    )
    return document


@transaction.atomic
def update_document(
    document: StockDocument, *, actor: Actor, lines: Iterable[Line] | None = None, **fields
) -> StockDocument:
    """Change a draft's header fields and/or replace its lines."""
    document = locked(document)
    check_draft(document)
    before = {"lines": lines_snapshot(document), **{k: str(getattr(document, k)) for k in fields}}
    for name, value in fields.items():
        setattr(document, name, value)
    document.save()
    if lines is not None:
        write_lines(document, lines)
    after = {"lines": lines_snapshot(document), **{k: str(v) for k, v in fields.items()}}
    before, after = audit.changes(before, after)
    audit.record(
        actor,
        "stock_document.update",
        document,
        before=before,
        after=after,
        store=store_of(document),
    )
    return document


@transaction.atomic
def add_line(document: StockDocument, *, actor: Actor, line: Line) -> StockDocument:
    """Add a scanned or typed line (a product already on the document gets the quantity added)."""
    current = [
        Line(x.product, x.qty, x.unit_cost_fen) for x in document.lines.select_related("product")
    ]
    return update_document(document, actor=actor, lines=[*current, line])


def mark_confirmed(document: StockDocument, actor: Actor) -> None:
    document.status = Status.CONFIRMED
    document.confirmed_by = actor.operator
    document.confirmed_at = timezone.now()
    document.save()


def lines_in_lock_order(document: StockDocument):
    lines = list(document.lines.select_related("product").order_by("product_id"))
    if not lines:
        raise DomainError("VALIDATION_ERROR", _("单据没有明细"), fields={"lines": _("请添加商品")})
    return lines


# Posting of the simple documents: the move kind and whether the line's cost goes into the move
# (incoming at the purchase price) or the level's average cost leaves with the goods.
SIMPLE_KINDS = {
    PurchaseReceipt: (MoveKind.RECEIPT, 1),
    SupplierReturn: (MoveKind.SUPPLIER_RETURN, -1),
    WriteOff: (MoveKind.WRITE_OFF, -1),
}


@transaction.atomic
def confirm_document(document: StockDocument, *, actor: Actor) -> StockDocument:
    """Confirm a purchase receipt, supplier return or write-off: its lines become stock moves."""
    if type(document) not in SIMPLE_KINDS:
        raise TypeError(f"{type(document).__name__} has its own steps")
    document = locked(document)
    check_status(document, Status.DRAFT)
    kind, sign = SIMPLE_KINDS[type(document)]
    for line in lines_in_lock_order(document):
        move = post_move(
            actor=actor,
            location=document.location,
            product=line.product,
            kind=kind,
            qty=sign * line.qty,
            unit_cost_fen=line.unit_cost_fen if sign > 0 else None,
            ref_type=ref_type(document),
            ref_no=document.number,
        )
        if type(document) is WriteOff:
            line.unit_cost_fen = move.unit_cost_fen
            line.save(update_fields=["unit_cost_fen"])
    mark_confirmed(document, actor)
    audit.record(actor, "stock_document.confirm", document, store=store_of(document))
    return document


@transaction.atomic
def cancel_document(document: StockDocument, *, actor: Actor) -> StockDocument:
    """Void a draft. (Transfers: `transfers.cancel_transfer`; stocktakes: `stocktakes`.)"""
    document = locked(document)
    check_status(document, Status.DRAFT)
    document.status = Status.CANCELLED
    document.save()
    audit.record(actor, "stock_document.cancel", document, store=store_of(document))
    return document
