"""Transfers (调拨) between two locations, usually two stores:

draft → confirmed: the goods are frozen at the source (INSUFFICIENT_STOCK if not available);
confirmed → shipped: they leave the source and are in transit towards the destination;
shipped → received: what arrived is on hand at the destination. Receiving another quantity than
was shipped needs a variance note; the whole shipped quantity leaves "in transit" either way.
A draft or confirmed transfer can be cancelled (the freeze is released).
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.inventory.documents import (
    check_status,
    create_document,
    lines_in_lock_order,
    locked,
    mark_confirmed,
    ref_type,
)
from huiyuan.inventory.models import Location, MoveKind, Status, Transfer
from huiyuan.inventory.services import post_move


def create_transfer(
    *, actor: Actor, source: Location, destination: Location, lines=(), note: str = ""
) -> Transfer:
    if source.pk == destination.pk:
        raise DomainError(
            "VALIDATION_ERROR", fields={"destination": _("调入库位不能与调出库位相同")}
        )
    return create_document(
        Transfer, actor=actor, source=source, destination=destination, lines=lines, note=note
    )


def _post(actor, transfer, location, line, kind, qty, unit_cost_fen=None):
    return post_move(
        actor=actor,
        location=location,
        product=line.product,
        kind=kind,
        qty=qty,
        unit_cost_fen=unit_cost_fen,
        ref_type=ref_type(transfer),
        ref_no=transfer.number,
    )


@transaction.atomic
def confirm_transfer(transfer: Transfer, *, actor: Actor) -> Transfer:
    transfer = locked(transfer)
    check_status(transfer, Status.DRAFT)
    for line in lines_in_lock_order(transfer):
        _post(actor, transfer, transfer.source, line, MoveKind.FREEZE, line.qty)
    mark_confirmed(transfer, actor)
    audit.record(actor, "stock_document.confirm", transfer, store=transfer.source.store)
    return transfer


@transaction.atomic
def ship_transfer(transfer: Transfer, *, actor: Actor) -> Transfer:
    transfer = locked(transfer)
    check_status(transfer, Status.CONFIRMED)
    for line in lines_in_lock_order(transfer):
        _post(actor, transfer, transfer.source, line, MoveKind.UNFREEZE, -line.qty)
        out = _post(actor, transfer, transfer.source, line, MoveKind.TRANSFER_OUT, -line.qty)
        line.unit_cost_fen = out.unit_cost_fen
        line.save(update_fields=["unit_cost_fen"])
        _post(
            actor,
            transfer,
            transfer.destination,
            line,
            MoveKind.TRANSIT_START,
            line.qty,
            out.unit_cost_fen,
        )
    transfer.status = Status.SHIPPED
    transfer.shipped_at = timezone.now()
    transfer.save()
    audit.record(actor, "transfer.ship", transfer, store=transfer.source.store)
    return transfer


@transaction.atomic
def receive_transfer(
    transfer: Transfer, *, actor: Actor, received: dict | None = None, variance_note: str = ""
) -> Transfer:
    """Book the arrival. `received` maps product id → quantity that arrived (a product left out
    arrived in full)."""
    transfer = locked(transfer)
    check_status(transfer, Status.SHIPPED)
    received = received or {}
    variance_note = variance_note.strip()
    lines = lines_in_lock_order(transfer)
    for line in lines:
        qty = Decimal(str(received.get(line.product_id, line.qty)))
        if not qty.is_finite() or qty < 0 or qty != qty.quantize(Decimal("0.001")):
            raise DomainError("VALIDATION_ERROR", fields={"received": _("实收数量不正确")})
        if qty != line.qty and not variance_note:
            if qty > line.qty:
                raise DomainError("RECEIPT_EXCEEDS_SHIPPED", field="variance_note")
            raise DomainError(
                "VALIDATION_ERROR",
                _("实收数量与发货数量不符，请填写差异说明"),
                fields={"variance_note": _("请填写差异说明")},
            )
        line.received_qty = qty
    for line in lines:
        _post(actor, transfer, transfer.destination, line, MoveKind.TRANSIT_END, -line.qty)
        if line.received_qty:
            _post(
                actor,
                transfer,
                transfer.destination,
                line,
                MoveKind.TRANSFER_IN,
                line.received_qty,
                line.unit_cost_fen,
            )
        line.save(update_fields=["received_qty"])
    transfer.status = Status.RECEIVED
    transfer.received_at = timezone.now()
    transfer.variance_note = variance_note
    transfer.save()
    audit.record(
        actor,
        "transfer.receive",
        transfer,
        after={
            "received": [[x.product.code, str(x.received_qty)] for x in lines],
            "variance_note": variance_note,
        },
        store=transfer.destination.store,
    )
    return transfer


@transaction.atomic
def cancel_transfer(transfer: Transfer, *, actor: Actor) -> Transfer:
    transfer = locked(transfer)
    check_status(transfer, Status.DRAFT, Status.CONFIRMED)
    if transfer.status == Status.CONFIRMED:
        for line in lines_in_lock_order(transfer):
            _post(actor, transfer, transfer.source, line, MoveKind.UNFREEZE, -line.qty)
    transfer.status = Status.CANCELLED
    transfer.save()
    audit.record(actor, "stock_document.cancel", transfer, store=transfer.source.store)
    return transfer
