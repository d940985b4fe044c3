"""Reads of stock that other apps rely on (the products API)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

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


BUCKETS = ("on_hand", "frozen", "in_transit_in")


def with_stock_at(products: QuerySet, store: Store) -> QuerySet:
    """`products`, each annotated with its stock at `store` (`stock_on_hand`, `stock_frozen`,
    `stock_in_transit_in`): one query for a whole list instead of one `stock_at` per product."""
    levels = StockLevel.objects.filter(location__store=store, product=OuterRef("pk"))
    levels = levels.values("product")
    quantity = DecimalField(max_digits=14, decimal_places=3)
    return products.annotate(
        **{
            f"stock_{bucket}": Coalesce(
                Subquery(levels.annotate(total=Sum(bucket)).values("total"), output_field=quantity),
                Value(Decimal(0)),
                output_field=quantity,
            )
            for bucket in BUCKETS
        }
    )


def annotated_stock(product) -> StoreStock:
    """The stock `with_stock_at` put on a product."""
    return StoreStock(*(getattr(product, f"stock_{bucket}") for bucket in BUCKETS))
