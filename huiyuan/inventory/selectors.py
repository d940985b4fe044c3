"""Reads of stock that other apps rely on (the products API)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from huiyuan.core.models import Store
from huiyuan.inventory.models import StockLevel


@dataclass(frozen=True)
class StoreStock:
    on_hand: Decimal
    frozen: Decimal
    in_transit_in: Decimal

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.frozen


def stock_at(store: Store, product) -> StoreStock:
    """A product's stock in a store, all its locations (shop floor and back room) together."""
    totals = StockLevel.objects.filter(location__store=store, product=product).aggregate(
        on_hand=Sum("on_hand"), frozen=Sum("frozen"), in_transit_in=Sum("in_transit_in")
    )
    return StoreStock(**{name: value or Decimal(0) for name, value in totals.items()})
