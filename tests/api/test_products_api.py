"""GET /products?barcode= and ?q=."""

from decimal import Decimal

import pytest

from huiyuan.catalog.barcodes import with_check_digit
from huiyuan.inventory.models import MoveKind
from huiyuan.inventory.services import location_for, post_move
from tests.api.test_members_api import error_of
from tests.catalog.conftest import SYSTEM

pytestmark = pytest.mark.django_db


def test_a_barcode_answers_the_product_with_prices_and_stock(api, store, make_product):
    apple = make_product(member_price_fen=1180, barcode_codes=["6901234567892"])
    post_move(
        actor=SYSTEM,
        location=location_for(store),
        product=apple,
        kind=MoveKind.RECEIPT,
        qty=Decimal("12.5"),
        unit_cost_fen=900,
    )

    body = api.get("/api/v1/products", {"barcode": "6901234567892"}).json()

    assert body["count"] == 1
    item = body["items"][0]
    assert item["code"] == "P001"
    assert (item["retail_price_fen"], item["member_price_fen"]) == (1280, 1180)
    assert item["barcodes"] == ["6901234567892"]
    assert item["category"] == {"code": "01", "name": "生鲜"}
    assert Decimal(item["stock"]["on_hand"]) == Decimal("12.5")
    assert Decimal(item["stock"]["available"]) == Decimal("12.5")
    assert item["scale"] is None


def test_a_scale_label_answers_the_embedded_price(api, make_product):
    make_product(is_weighed=True, plu="123", unit="千克")
    label = with_check_digit("20" + "00123" + "01580")

    item = api.get("/api/v1/products", {"barcode": label}).json()["items"][0]

    assert item["plu"] == "123"
    assert item["scale"]["barcode"] == label
    assert item["scale"]["price_fen"] == 1580
    assert Decimal(item["scale"]["qty"]) == Decimal("1.234")
    assert Decimal(item["stock"]["on_hand"]) == 0


def test_search_by_name_pinyin_and_initials(api, make_product):
    make_product()
    make_product(code="P002", name="香蕉")
    for q in ("苹果", "hongfu", "hfs", "P001"):
        body = api.get("/api/v1/products", {"q": q}).json()
        assert [i["code"] for i in body["items"]] == ["P001"], q
    assert api.get("/api/v1/products", {"q": "nothing"}).json() == {"items": [], "count": 0}


def test_errors(api, make_product, client):
    make_product(barcode_codes=["6901234567892"])
    error_of(api.get("/api/v1/products", {"barcode": "6901234567893"}), 422, "BARCODE_INVALID")
    error_of(api.get("/api/v1/products", {"barcode": "96385074"}), 404, "PRODUCT_NOT_FOUND")
    error_of(api.get("/api/v1/products", {"barcode": "x" * 40}), 422, "VALIDATION_ERROR")
    del client.defaults["HTTP_AUTHORIZATION"]
    error_of(client.get("/api/v1/products", {"q": "x"}), 401, "AUTH_REQUIRED")


def test_a_search_answers_each_products_stock_in_a_fixed_number_of_queries(
    api, store, other_store, make_product, django_assert_max_num_queries
):
    """Stock comes with the list (one query), only the key's store counts, and more products
    cost no more queries."""
    for n in range(12):
        product = make_product(code=f"P{n:03d}", name=f"苹果{n}")
        for where, qty in ((store, n), (other_store, 100)):
            if qty:
                post_move(
                    actor=SYSTEM,
                    location=location_for(where),
                    product=product,
                    kind=MoveKind.RECEIPT,
                    qty=Decimal(qty),
                    unit_cost_fen=100,
                )

    with django_assert_max_num_queries(5):  # key, count, page, barcodes; the stock is in the page
        body = api.get("/api/v1/products", {"q": "苹果", "limit": 50}).json()

    assert body["count"] == 12
    assert [Decimal(item["stock"]["on_hand"]) for item in body["items"]] == list(range(12))
