"""Set-up for the till's tests (tests/sales/test_till*, tests/browser/test_till*): goods with
EAN-13 barcodes on the shelf, a weighed product for scale labels, a cashier who may sell.
Plain functions, so the browser tests use them without this folder's fixtures."""

from decimal import Decimal

from django.contrib.auth.models import Permission
from stdnum import ean

from huiyuan.catalog import categories, services
from huiyuan.core.actors import Actor
from huiyuan.inventory.models import MoveKind
from huiyuan.inventory.services import location_for, post_move

SYSTEM = Actor.system()
TILL_PERMISSIONS = ("add_order", "view_order")


def barcode(body: str) -> str:
    """An EAN-13 from its first 12 digits."""
    return body + ean.calc_check_digit(body)


WATER = barcode("690123456701")
BREAD = barcode("690123456702")
MILK = barcode("690123456703")
UNKNOWN = barcode("690123456799")
PORK_LABEL = barcode("200004201596")  # PLU 42, ¥15.96 → 0.532 kg at ¥30.00/kg


def till_goods(store) -> dict:
    """code → product, 100 of each on the store's shop floor."""
    food = categories.create_category(actor=SYSTEM, name="食品", code="01")
    made = [
        ("WATER", "矿泉水", 200, [WATER], {}),
        ("BREAD", "全麦面包", 1250, [BREAD], {}),
        ("MILK", "纯牛奶", 550, [MILK], {}),
        ("RICE", "东北大米", 8000, [], {}),
        ("PORK", "五花肉", 3000, [], {"is_weighed": True, "plu": "42", "unit": "千克"}),
    ]
    floor = location_for(store)
    goods = {}
    for code, name, price, codes, more in made:
        product = services.create_product(
            actor=SYSTEM,
            code=code,
            name=name,
            category=food,
            retail_price_fen=price,
            barcode_codes=codes,
            **more,
        )
        post_move(
            actor=SYSTEM,
            location=floor,
            product=product,
            kind=MoveKind.RECEIPT,
            qty=Decimal(100),
            unit_cost_fen=price // 2,
        )
        goods[code] = product
    return goods


def may_sell(operator):
    """The operator with the till's permissions (until the built-in cashier role has them)."""
    operator.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="sales", codename__in=TILL_PERMISSIONS)
    )
    return operator
