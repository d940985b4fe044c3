"""`verify_ledgers` check: every stock level's on hand, frozen and in-transit quantities each
equal the sum of their moves (registered when the app is ready)."""

from collections.abc import Iterator
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from huiyuan.core.ledgers import ledger_check
from huiyuan.inventory.models import QTY, Bucket, StockLevel, StockMove
from huiyuan.inventory.services import LEVEL_FIELD

THOUSANDTH = Decimal("0.001")


def _moves_sum(bucket: str):
    moves = (
        StockMove.objects.filter(
            location=OuterRef("location"), product=OuterRef("product"), bucket=bucket
        )
        .order_by()
        .values("location", "product")
        .annotate(total=Sum("qty"))
        .values("total")
    )
    return Coalesce(Subquery(moves), Value(Decimal(0)), output_field=DecimalField(**QTY))


@ledger_check
def stock_levels() -> Iterator[str]:
    sums = {f"moves_{bucket}": _moves_sum(bucket) for bucket in Bucket.values}
    mismatch = Q()
    for bucket, field in LEVEL_FIELD.items():
        mismatch |= ~Q(**{f"moves_{bucket}": F(field)})
    levels = StockLevel.objects.annotate(**sums).filter(mismatch)
    for level in levels.select_related("location__store", "product"):
        for bucket, field in LEVEL_FIELD.items():
            # SQLite sums decimals as floats (0.0789999…): compare at the stored precision.
            total = getattr(level, f"moves_{bucket}").quantize(THOUSANDTH)
            if total != getattr(level, field):
                yield (
                    f"库存不符 / stock mismatch: {level.location} {level.product.code} {bucket} "
                    f"{getattr(level, field)} ≠ 流水合计 {total}"
                )
