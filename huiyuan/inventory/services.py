"""Stock changes: `post_move` is the one way a level changes (documents, and later the till's
sales and returns and gift redemptions, all go through it). The documents live in
`inventory/documents.py`, `transfers.py` and `stocktakes.py`.

Lock order: levels are locked one at a time as moves are posted; a document posts its lines in
product id order so two documents never wait on each other in a circle.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import Store
from huiyuan.inventory.models import (
    KIND_RULES,
    Bucket,
    Location,
    MoveKind,
    StockLevel,
    StockMove,
)

LEVEL_FIELD = {
    Bucket.ON_HAND: "on_hand",
    Bucket.FROZEN: "frozen",
    Bucket.IN_TRANSIT: "in_transit_in",
}
QTY_PLACES = Decimal("0.001")


def location_for(store: Store, kind: str = Location.Kind.FLOOR) -> Location:
    """The store's shop floor (or back room), made on first use."""
    names = {Location.Kind.FLOOR: _("门店"), Location.Kind.BACK_ROOM: _("后仓")}
    return Location.objects.get_or_create(store=store, kind=kind, defaults={"name": names[kind]})[0]


@transaction.atomic
def open_back_room(store: Store, *, actor: Actor) -> Location:
    """Give a store its back-room warehouse (后仓): a second location, stocked by transfers."""
    if Location.objects.filter(store=store, kind=Location.Kind.BACK_ROOM).exists():
        raise DomainError("VALIDATION_ERROR", _("%(store)s 已有后仓") % {"store": store.name})
    location = location_for(store, Location.Kind.BACK_ROOM)
    audit.record(actor, "location.create", location, after={"name": location.name}, store=store)
    return location


def check_qty(qty, field: str = "qty", *, allow_zero: bool = False) -> Decimal:
    """A positive (or zero) quantity with at most three decimals (a weighed line is in kg)."""
    try:
        value = Decimal(str(qty))
    except ArithmeticError:
        value = None
    if (
        value is None
        or not value.is_finite()
        or value < 0
        or (value == 0 and not allow_zero)
        or value != value.quantize(QTY_PLACES)
    ):
        raise DomainError("VALIDATION_ERROR", fields={field: _("数量须大于 0，最多三位小数")})
    if value >= Decimal("1e9"):
        raise DomainError("VALIDATION_ERROR", fields={field: _("数量太大")})
    return value


def locked_level(location: Location, product) -> StockLevel:
    level, _created = StockLevel.objects.get_or_create(location=location, product=product)
    return StockLevel.objects.select_for_update().select_related("location__store").get(pk=level.pk)


def _averaged(level: StockLevel, qty: Decimal, unit_cost_fen: int) -> int:
    """Moving-average cost after `qty` arrives at `unit_cost_fen` (stock below zero counts as
    none: the average is of what is really there)."""
    before = max(level.on_hand, Decimal(0))
    total = before * level.avg_cost_fen + qty * unit_cost_fen
    return int((total / (before + qty)).to_integral_value(ROUND_HALF_UP))


@transaction.atomic
def post_move(
    *,
    actor: Actor,
    location: Location,
    product,
    kind: str,
    qty,
    unit_cost_fen: int | None = None,
    ref_type: str = "",
    ref_no: str = "",
) -> StockMove:
    """Change one bucket of one level by `qty` (signed: negative takes out) and write its move.

    Taking out more than is available is INSUFFICIENT_STOCK unless the store allows negative
    stock; freezing needs the goods to be there in every store. An incoming move mixes its unit
    cost into the moving average; `unit_cost_fen=None` means the level's average cost."""
    bucket, sign = KIND_RULES[kind]
    qty = Decimal(str(qty))
    if qty == 0 or (sign and (qty > 0) != (sign > 0)):
        raise ValueError(f"a {kind} move cannot be {qty}")
    level = locked_level(location, product)
    field = LEVEL_FIELD[bucket]
    after = getattr(level, field) + qty
    if bucket == Bucket.ON_HAND and qty < 0 and kind != MoveKind.STOCKTAKE_LOSS:
        # (A counted loss is what is really there: it is booked even below what is frozen.)
        if after - level.frozen < 0 and not location.store.allow_negative_stock:
            raise _insufficient(product, level.available)
    elif bucket == Bucket.FROZEN and qty > 0 and qty > level.available:
        raise _insufficient(product, level.available)
    elif after < 0:
        raise ValueError(f"{field} of {level} would go below zero")
    cost = level.avg_cost_fen if unit_cost_fen is None else unit_cost_fen
    updates = {field: F(field) + qty, "updated_at": timezone.now()}
    if bucket == Bucket.ON_HAND and qty > 0 and cost != level.avg_cost_fen:
        updates["avg_cost_fen"] = _averaged(level, qty, cost)
    StockLevel.objects.filter(pk=level.pk).update(**updates)
    return StockMove.objects.create(
        kind=kind,
        bucket=bucket,
        location=location,
        product=product,
        qty=qty,
        balance_after=after,
        unit_cost_fen=cost,
        ref_type=ref_type,
        ref_no=ref_no,
        operator=actor.operator,
        api_key=actor.api_key,
        store=location.store,
    )


def _insufficient(product, available: Decimal) -> DomainError:
    return DomainError(
        "INSUFFICIENT_STOCK",
        _("%(product)s 库存不足（可用 %(available)s）")
        % {"product": product, "available": available.normalize()},
        fields={"product": str(product)},
    )


@transaction.atomic
def set_minimum(level: StockLevel, *, actor: Actor, min_qty: Decimal | None) -> StockLevel:
    """The low-stock threshold of one product at one location (None: no alert)."""
    before = {"min_qty": str(level.min_qty)}
    StockLevel.objects.filter(pk=level.pk).update(min_qty=min_qty)
    level.min_qty = min_qty
    audit.record(
        actor,
        "stock_level.set_minimum",
        level,
        before=before,
        after={"min_qty": str(min_qty)},
        store=level.location.store,
    )
    return level
