"""Set-up shared by the gift tests and the gift browser tests (plain functions, so the browser
tests can use them without this folder's fixtures)."""

from django.contrib.auth.models import Permission

from huiyuan.catalog.models import Category, Product, Supplier
from huiyuan.core.actors import Actor
from huiyuan.inventory.documents import Line, confirm_document, create_document
from huiyuan.inventory.models import PurchaseReceipt
from huiyuan.inventory.services import location_for

GIFT_PERMISSIONS = (
    "view_gift",
    "add_gift",
    "change_gift",
    "view_giftredemption",
    "add_giftredemption",
)


def gift_product(code: str, name: str, cost: int = 1000) -> Product:
    category = Category.objects.filter(code="09").first() or Category.objects.add_root(
        create_kwargs={"name": "积分礼品", "code": "09"}
    )
    return Product.objects.create(
        code=code,
        name=name,
        name_pinyin=code.lower(),
        name_initials=code.lower(),
        category=category,
        retail_price_fen=cost * 2,
        cost_price_fen=cost,
    )


def receive(store, product, qty):
    """A confirmed purchase receipt of `qty` for the store's shop floor."""
    actor = Actor.system()
    receipt = create_document(
        PurchaseReceipt,
        actor=actor,
        location=location_for(store),
        supplier=Supplier.objects.get_or_create(name="礼品供应商")[0],
        lines=[Line(product, qty, product.cost_price_fen)],
    )
    return confirm_document(receipt, actor=actor)


def grant_gift_permissions(operator):
    """The gift permissions (the built-in roles get them from the lead's roles.py)."""
    operator.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="gifts", codename__in=GIFT_PERMISSIONS)
    )
    return operator
