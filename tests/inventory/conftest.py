import pytest

from huiyuan.catalog.models import Barcode, Category, Product, Supplier
from huiyuan.core.actors import Actor
from huiyuan.inventory.documents import Line, confirm_document, create_document
from huiyuan.inventory.models import PurchaseReceipt
from huiyuan.inventory.services import location_for


@pytest.fixture
def categories(db):
    food = Category.objects.add_root(create_kwargs={"name": "食品", "code": "02"})
    return {
        "food": food,
        "snacks": Category.objects.add_child(
            food, create_kwargs={"name": "休闲零食", "code": "0201"}
        ),
        "home": Category.objects.add_root(create_kwargs={"name": "日化", "code": "03"}),
    }


@pytest.fixture
def supplier(db):
    return Supplier.objects.create(name="上海食品批发")


@pytest.fixture
def make_product(categories):
    def make(code, name="商品", category="snacks", cost=500, barcode=None, **fields):
        product = Product.objects.create(
            code=code,
            name=name,
            name_pinyin=code.lower(),
            name_initials=code.lower(),
            category=categories[category],
            retail_price_fen=cost * 2,
            cost_price_fen=cost,
            **fields,
        )
        if barcode:
            Barcode.objects.create(product=product, code=barcode)
        return product

    return make


@pytest.fixture
def chips(make_product):
    return make_product("S001", "薯片", barcode="6901234567892")


@pytest.fixture
def soap(make_product):
    return make_product("H001", "香皂", category="home", cost=300)


@pytest.fixture
def manager(store, other_store, make_operator):
    return Actor(operator=make_operator("store_manager", stores=[store, other_store]), store=store)


@pytest.fixture
def floor(store):
    return location_for(store)


@pytest.fixture
def other_floor(other_store):
    return location_for(other_store)


@pytest.fixture
def receive(manager, supplier):
    """receive(location, product, qty, cost) → a confirmed purchase receipt."""

    def run(location, product, qty, cost=500):
        receipt = create_document(
            PurchaseReceipt,
            actor=manager,
            location=location,
            supplier=supplier,
            lines=[Line(product, qty, cost)],
        )
        return confirm_document(receipt, actor=manager)

    return run
