"""Property test: after any sequence of documents and till moves, refused or not, every level's
on hand, frozen and in-transit quantities equal the sums of their moves, frozen and in transit
are never negative, no store without negative stock goes below zero, and verify_ledgers passes.
(Frozen may exceed on hand after a stocktake counts less than a transfer has set aside: the count
is the truth, and that transfer then can't ship.)"""

import contextlib
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huiyuan.core.errors import DomainError
from huiyuan.core.ledgers import run_ledger_checks
from huiyuan.inventory import stocktakes, transfers
from huiyuan.inventory.documents import Line, confirm_document, create_document
from huiyuan.inventory.models import (
    MoveKind,
    PurchaseReceipt,
    StockLevel,
    SupplierReturn,
    WriteOff,
)
from huiyuan.inventory.services import post_move

pytestmark = pytest.mark.django_db

qty = st.decimals(min_value=Decimal("0.5"), max_value=Decimal(12), places=1)
side = st.integers(0, 1)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("receive"), side, side, qty, st.integers(1, 900)),
        st.tuples(st.sampled_from(["return", "write_off", "sale"]), side, side, qty),
        st.tuples(st.just("transfer"), side, side, qty, st.integers(0, 3)),
        st.tuples(st.just("stocktake"), side, side, qty, st.booleans()),
    ),
    max_size=14,
)


def apply(operation, actor, locations, products, supplier):
    name, where, which, amount, *extra = operation
    location, product = locations[where], products[which]
    if name == "receive":
        receipt = create_document(
            PurchaseReceipt,
            actor=actor,
            location=location,
            supplier=supplier,
            lines=[Line(product, amount, extra[0])],
        )
        confirm_document(receipt, actor=actor)
    elif name in ("return", "write_off"):
        fields = {"supplier": supplier} if name == "return" else {"reason": "damage"}
        model = SupplierReturn if name == "return" else WriteOff
        document = create_document(
            model, actor=actor, location=location, lines=[Line(product, amount)], **fields
        )
        confirm_document(document, actor=actor)
    elif name == "sale":
        post_move(actor=actor, location=location, product=product, kind=MoveKind.SALE, qty=-amount)
    elif name == "transfer":
        transfer = transfers.create_transfer(
            actor=actor,
            source=location,
            destination=locations[1 - where],
            lines=[Line(product, amount)],
        )
        steps = [transfers.confirm_transfer, transfers.ship_transfer, transfers.receive_transfer]
        for step in steps[: extra[0]]:
            step(transfer, actor=actor)
        if extra[0] == 1:
            transfers.cancel_transfer(transfer, actor=actor)
    else:
        sheet = stocktakes.create_stocktake(actor=actor, location=location)
        stocktakes.count(sheet, actor=actor, product=product, qty=amount)
        if extra[0]:
            stocktakes.confirm_stocktake(sheet, actor=actor)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=operations)
def test_levels_always_equal_their_moves(
    operations, manager, floor, other_floor, chips, soap, supplier
):
    for operation in operations:
        with contextlib.suppress(DomainError):
            apply(operation, manager, [floor, other_floor], [chips, soap], supplier)
    assert not list(run_ledger_checks())
    for level in StockLevel.objects.all():
        assert level.frozen >= 0
        assert level.in_transit_in >= 0
        assert level.on_hand >= 0  # neither store allows negative stock
