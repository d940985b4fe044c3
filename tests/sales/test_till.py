"""The till's calls (sales/till_views.py): pricing the cart, the member, 挂单/取单 and paying."""

import json

import pytest

from huiyuan.cards.services import report_card_loss
from huiyuan.sales.models import Order, SuspendedSale
from tests.sales.till_fixtures import (
    BREAD,
    MILK,
    PORK_LABEL,
    UNKNOWN,
    WATER,
    may_sell,
    till_goods,
)

pytestmark = pytest.mark.django_db
KEY = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def goods(store):
    return till_goods(store)


@pytest.fixture
def till(client, make_operator, goods):
    client.force_login(may_sell(make_operator("cashier")))
    return client


def post(client, name, data, *args):
    from django.urls import reverse

    return client.post(
        reverse(f"till:{name}", args=args), json.dumps(data), content_type="application/json"
    )


def cart(*lines, **more):
    return {
        "lines": [{"barcode": code, "qty": qty} for code, qty in lines],
        "member_no": "",
        "card_no": "",
        "coupon_codes": [],
        "points_to_use": 0,
        **more,
    }


def test_the_page_needs_the_permission_to_sell(client, make_operator, goods):
    client.force_login(make_operator("member_service"))  # a built-in role that doesn't sell
    assert client.get("/till/").status_code == 403
    assert post(client, "price", cart()).status_code == 403
    client.force_login(make_operator("cashier"))
    page = client.get("/till/")
    assert page.status_code == 200
    assert "F10" in page.content.decode()


def test_a_cart_is_priced_and_lines_of_one_product_merge(till, goods):
    answer = post(till, "price", cart((WATER, None), (BREAD, "2"), ("WATER", None)))
    assert answer.status_code == 200
    data = answer.json()
    assert [
        (line["barcode"], line["product_code"], line["qty"]) for line in data["cart"]["lines"]
    ] == [
        (WATER, "", "2"),
        (BREAD, "", "2"),
    ]
    assert data["payable_fen"] == 2 * 200 + 2 * 1250
    assert data["line_kinds"] == ["counted", "counted"]
    assert "矿泉水" in data["html"]
    assert "全麦面包" in data["html"]


def test_a_scale_label_gives_weight_and_price_and_is_never_merged(till, goods):
    data = post(till, "price", cart((PORK_LABEL, None), (PORK_LABEL, None))).json()
    assert data["line_kinds"] == ["single", "single"]
    assert data["payable_fen"] == 2 * 1596
    assert "0.532 千克" in data["html"]


def test_a_typed_product_code_is_taken(till, goods):
    data = post(till, "price", cart(("RICE", None))).json()
    assert data["cart"]["lines"][0]["product_code"] == "RICE"
    assert data["payable_fen"] == 8000


def test_an_unknown_barcode_is_refused_on_its_line(till, goods):
    answer = post(till, "price", cart((WATER, None), (UNKNOWN, None)))
    assert answer.status_code == 404
    error = answer.json()["error"]
    assert error["code"] == "PRODUCT_NOT_FOUND"
    assert error["fields"] == {"lines.1": "商品不存在"}


def test_bad_carts_are_refused_not_500s(till, goods):
    for body in (
        [],
        {"lines": "x"},
        cart((WATER, "abc")),
        cart((WATER, "NaN")),
        cart((WATER, None), points_to_use="5"),
        cart((WATER, None), coupon_codes="x"),
    ):
        assert post(till, "price", body).status_code in (400, 422), body
    assert till.post("/till/price/", b"{", content_type="application/json").status_code == 400


def test_an_empty_cart_shows_the_member(till, register):
    member = register()
    found = post(till, "member", {"q": member.phone}).json()
    assert found["member_no"] == member.member_no
    assert found["card_no"]
    data = post(till, "price", cart(**found)).json()
    assert data["payable_fen"] == 0
    assert member.name in data["html"]


def test_a_lost_card_is_refused_with_its_message(till, register):
    member = register()
    card = member.cards.get()
    from huiyuan.core.actors import Actor

    report_card_loss(actor=Actor.system(), card=card, reason="测试")
    answer = post(till, "member", {"q": card.number})
    assert answer.status_code == 409
    assert answer.json()["error"]["message"] == "该卡已挂失"
    assert post(till, "member", {"q": "13900000000"}).json()["error"]["code"] == "MEMBER_NOT_FOUND"


def test_a_suspended_sale_is_taken_once(till, goods, store):
    answer = post(till, "suspend", cart((WATER, "3"), (MILK, None)))
    assert answer.status_code == 201
    sale = SuspendedSale.objects.get()
    assert sale.store == store
    assert "2 行" in sale.label
    assert "¥11.50" in sale.label
    listed = till.get("/till/suspended/").json()["html"]
    assert sale.label in listed
    taken = post(till, "resume", {}, sale.pk)
    assert taken.json()["cart"]["lines"][0] == {
        "barcode": WATER,
        "product_code": "",
        "qty": "3",
        "add_price_offer_id": None,
    }
    again = post(till, "resume", {}, sale.pk)
    assert again.status_code == 404
    assert again.json()["error"]["message"] == "该挂单不存在或已被取走"
    assert sale.label not in till.get("/till/suspended/").json()["html"]


def test_an_empty_or_unknown_cart_is_not_suspended(till, goods):
    assert post(till, "suspend", cart()).status_code == 422
    assert post(till, "suspend", cart((UNKNOWN, None))).status_code == 404
    assert not SuspendedSale.objects.exists()


def pay_body(lines, payments, expected, **more):
    return {
        "sale_key": KEY,
        "cart": cart(*lines, **more),
        "payments": payments,
        "expected_payable_fen": expected,
        "stored_value_password": "",
    }


def test_paying_makes_one_order_however_often_it_is_sent(till, goods):
    body = pay_body(
        [(WATER, "2"), (BREAD, None)],
        [
            {"method": "wechat", "amount_fen": 1000, "reference": "WX123"},
            {"method": "cash", "amount_fen": 1000},
        ],
        1650,
    )
    first = post(till, "pay", body)
    assert first.status_code == 201, first.json()
    answer = first.json()
    order = Order.objects.get()
    assert answer["order_no"] == order.order_no
    assert answer["change_fen"] == 350
    assert answer["receipt_url"] == f"/orders/{order.order_no}/receipt/"
    assert answer["reprint_url"].endswith("?reprint=1")
    assert {(p.method, p.amount_fen, p.external_ref) for p in order.payments.all()} == {
        ("wechat", 1000, "WX123"),
        ("cash", 1000, ""),
    }
    for _ in range(3):
        assert post(till, "pay", body).json()["order_no"] == order.order_no
    assert Order.objects.count() == 1


def test_payments_that_do_not_add_up_are_refused(till, goods):
    body = pay_body([(WATER, None)], [{"method": "cash", "amount_fen": 100}], 200)
    answer = post(till, "pay", body)
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "PAYMENT_MISMATCH"
    assert not Order.objects.exists()


def test_a_changed_price_comes_back_with_the_new_quote(till, goods):
    body = pay_body([(WATER, None)], [{"method": "cash", "amount_fen": 150}], 150)
    answer = post(till, "pay", body)
    assert answer.status_code == 409
    data = answer.json()
    assert data["error"]["code"] == "PRICE_CHANGED"
    assert data["quote"]["payable_fen"] == 200
    assert not Order.objects.exists()


def test_stored_value_beyond_the_balance_is_refused(till, goods, register):
    member = register()
    body = pay_body(
        [(WATER, None)],
        [{"method": "stored_value", "amount_fen": 200}],
        200,
        member_no=member.member_no,
    )
    answer = post(till, "pay", body)
    assert answer.status_code == 409, answer.json()
    assert not Order.objects.exists()


def test_a_bad_sale_key_or_tender_is_refused(till, goods):
    body = pay_body([(WATER, None)], [{"method": "cash", "amount_fen": 200}], 200)
    for change in (
        {"sale_key": "short"},
        {"payments": [{"method": "cheque", "amount_fen": 200}]},
        {"payments": [{"method": "cash", "amount_fen": 0}]},
        {"payments": []},
        {"expected_payable_fen": "200"},
    ):
        assert post(till, "pay", {**body, **change}).status_code == 422, change
    assert not Order.objects.exists()


def test_each_line_shows_its_discounts_and_an_earned_add_price_offer_can_be_taken(
    till, goods, promo
):
    from tests.sales.fixtures import Kind, row

    promo(Kind.PERCENT, name="全场9折", permille=900)
    offer = promo(Kind.ADD_PRICE, name="满20元换购", rows=[row(2000, 100, product=goods["MILK"])])
    data = post(till, "price", cart((BREAD, "2"))).json()
    assert "全场9折 −¥2.50" in data["html"]
    assert f'data-offer="{offer.pk}" data-product="MILK"' in data["html"]
    assert "今日促销" in data["html"]
    taken = cart((BREAD, "2"))
    taken["lines"].append({"product_code": "MILK", "qty": "1", "add_price_offer_id": offer.pk})
    data = post(till, "price", taken).json()
    assert data["line_kinds"] == ["counted", "single"]
    assert data["payable_fen"] == 2250 + 100
    assert "满20元换购 −¥4.50" in data["html"]
    assert "data-offer=" not in data["html"]  # one item per offer: taken
    taken["lines"][0]["qty"] = "1"  # below the threshold now
    data = post(till, "price", taken).json()
    assert "未达换购条件，按原价" in data["html"]


def test_a_refused_coupon_comes_back_with_its_message_and_leaves_the_cart(till, goods):
    data = post(till, "price", cart((WATER, None), coupon_codes=["1234 5678 1234 5678"])).json()
    assert data["refused_coupons"] == {"1234 5678 1234 5678": "优惠券不存在"}
    assert data["cart"]["coupon_codes"] == []
    assert data["payable_fen"] == 200


def test_pricing_a_scan_costs_the_same_queries_whatever_the_lines(till, goods, register):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    member = register()

    def queries(*lines):
        with CaptureQueriesContext(connection) as captured:
            answer = post(till, "price", cart(*lines, member_no=member.member_no))
        assert answer.status_code == 200
        return len(captured)

    few = queries((WATER, None))
    assert queries((WATER, None), (BREAD, None), (MILK, "2")) == few
    print(f"till price call: {few} queries")


def test_points_pay_part_of_the_sale(till, goods, register, earn):
    from huiyuan.points.models import PointsProgram

    PointsProgram.objects.update(pay_enabled=True, pay_points_per_yuan=100, pay_min_points=0)
    member = register()
    earn(member, 300)
    lines = [(BREAD, None)]
    too_many = post(till, "price", cart(*lines, member_no=member.member_no, points_to_use=400))
    assert too_many.json()["error"]["code"] == "POINTS_INSUFFICIENT"
    assert "points_to_use" in too_many.json()["error"]["fields"]
    priced = post(till, "price", cart(*lines, member_no=member.member_no, points_to_use=300))
    assert priced.json()["points_payment_fen"] == 300
    assert priced.json()["to_pay_fen"] == 950
    body = pay_body(
        lines,
        [{"method": "points", "amount_fen": 300}, {"method": "cash", "amount_fen": 1000}],
        1250,
        member_no=member.member_no,
        points_to_use=300,
    )
    answer = post(till, "pay", body)
    assert answer.status_code == 201, answer.json()
    order = Order.objects.get()
    assert order.points_used == 300
    assert order.change_fen == 50


def test_another_stores_suspended_sales_are_neither_listed_nor_taken(till, other_store, admin):
    sale = SuspendedSale.objects.create(
        store=other_store, cashier=admin, label="别的门店", cart=cart((WATER, None))
    )
    assert "别的门店" not in till.get("/till/suspended/").json()["html"]
    assert post(till, "resume", {}, sale.pk).status_code == 404
    sale.refresh_from_db()
    assert sale.resumed_at is None


@pytest.mark.parametrize(
    "body",
    [
        '{"lines": [{"barcode": "\\ud800"}]}',
        '{"lines": [], "member_no": "\\udc00"}',
        '{"lines": [], "coupon_codes": ["A\\u0000"]}',
        "[" * 100_000 + "]" * 100_000,
    ],
)
@pytest.mark.parametrize("name", ["price", "suspend", "member", "pay"])
def test_text_no_column_stores_is_malformed_json(till, body, name):
    """Lone surrogates (and deep nesting) were a 500 on the till's calls, as NUL is refused."""
    from django.urls import reverse

    answer = till.post(reverse(f"till:{name}"), body, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "MALFORMED_JSON"
