"""Demo stock, after the demo stores and the catalogue demo: opening stock in every store (one
confirmed purchase receipt per store), a transfer in transit between the first two stores and an
open stocktake in the first store, with a few products counted.

`load()` is idempotent: it writes only while no demo receipt (note 演示期初库存) exists.
"""

import random
from decimal import Decimal

from django.db import transaction

from huiyuan.catalog.models import Product, Supplier
from huiyuan.core.actors import Actor
from huiyuan.core.models import Store
from huiyuan.inventory import stocktakes, transfers
from huiyuan.inventory.documents import Line, confirm_document, create_document
from huiyuan.inventory.models import PurchaseReceipt
from huiyuan.inventory.services import location_for

DEMO_NOTE = "演示期初库存"
PRODUCTS_PER_STORE = 80


@transaction.atomic
def load() -> int:
    """Returns the number of demo documents written (0 when already loaded)."""
    if PurchaseReceipt.objects.filter(note=DEMO_NOTE).exists():
        return 0
    products = list(
        Product.objects.filter(status=Product.Status.ACTIVE, is_service=False).order_by("code")[
            :PRODUCTS_PER_STORE
        ]
    )
    stores = list(Store.objects.filter(is_active=True))
    if not products or not stores:
        return 0
    actor = Actor.system()
    supplier = Supplier.objects.filter(is_active=True).first() or Supplier.objects.create(
        name="演示供应商"
    )
    rng = random.Random(6)
    for store in stores:
        lines = [
            Line(product, _qty(rng, product), product.cost_price_fen or 1) for product in products
        ]
        receipt = create_document(
            PurchaseReceipt,
            actor=actor,
            location=location_for(store),
            supplier=supplier,
            lines=lines,
            note=DEMO_NOTE,
        )
        confirm_document(receipt, actor=actor)
    written = len(stores)
    if len(stores) > 1:
        transfer = transfers.create_transfer(
            actor=actor,
            source=location_for(stores[0]),
            destination=location_for(stores[1]),
            lines=[Line(product, Decimal(2)) for product in products[:3]],
            note="演示：在途调拨",
        )
        transfers.confirm_transfer(transfer, actor=actor)
        transfers.ship_transfer(transfer, actor=actor)
        written += 1
    sheet = stocktakes.create_stocktake(
        actor=actor,
        location=location_for(stores[0]),
        category=products[-1].category,
        note="演示：盘点中",
    )
    for product in products[-1].category.products.filter(pk__in=[p.pk for p in products])[:5]:
        stocktakes.count(sheet, actor=actor, product=product, qty=_qty(rng, product))
    return written + 1


def _qty(rng: random.Random, product) -> Decimal:
    if product.is_weighed:
        return Decimal(rng.randint(2_000, 30_000)) / 1000
    return Decimal(rng.randint(5, 80))
