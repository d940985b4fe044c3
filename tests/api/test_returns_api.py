# ruff: noqa: F811 (pytest fixtures imported from tests.sales)
"""POST /orders/{order_no}/returns and its preview."""

import pytest

from huiyuan.core.ledgers import run_ledger_checks
from huiyuan.sales.models import SalesReturn
from tests.sales.fixtures import earn_rule, goods, member, on_tuesday  # noqa: F401 (fixtures)
from tests.sales.orders_fixtures import sell, stocked, with_stored_value  # noqa: F401

pytestmark = pytest.mark.django_db


def post(api, order, body, **headers):
    return api.post(
        f"/api/v1/orders/{order.order_no}/returns",
        body,
        content_type="application/json",
        **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()},
    )


def line_no(order, code):
    return order.lines.get(product_code=code).line_no


def test_a_return_refunds_the_tenders_and_claws_back(
    api, sell, stocked, member, with_stored_value, earn_rule
):
    with_stored_value(member, 5000)
    order = sell(
        [("RICE", 1), ("OIL", 1)], member=member, pay=[("stored_value", 5000), ("cash", 8000)]
    )
    body = {"lines": [{"line_id": line_no(order, "OIL"), "qty": 1}]}

    preview = api.post(
        f"/api/v1/orders/{order.order_no}/returns/preview", body, content_type="application/json"
    )
    assert preview.status_code == 200
    assert preview.json()["refunds"][0]["tender"] == "stored_value"
    assert not SalesReturn.objects.exists()

    answer = post(api, order, body, **{"Idempotency-Key": "ret-1"})
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert data["order_status"] == "partly_returned"
    assert data["refund_fen"] == 5000
    assert data["refunds"] == [
        {
            "tender": "stored_value",
            "method": "stored_value",
            "amount_fen": 5000,
            "principal_fen": 5000,
            "bonus_fen": 0,
            "points": 0,
        }
    ]
    assert data["points_clawed_back"] == order.lines.get(product_code="OIL").points_earned
    assert data["lines"][0]["line_id"] == line_no(order, "OIL")
    assert preview.json()["refund_fen"] == data["refund_fen"]

    again = post(api, order, body, **{"Idempotency-Key": "ret-1"})
    assert again.status_code == 201
    assert again.json() == data
    assert SalesReturn.objects.count() == 1
    assert list(run_ledger_checks()) == []


def test_returning_more_than_was_sold_is_422(api, sell, stocked):
    order = sell([("COLA", 2)])
    answer = post(api, order, {"lines": [{"line_id": 1, "qty": 3}]})
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "RETURN_EXCEEDS_SOLD"
    assert answer.json()["error"]["fields"] == {"lines.0.qty": "可乐 最多还能退 2"}
    assert not SalesReturn.objects.exists()


def test_bad_lines_and_unknown_orders(api, sell, stocked):
    order = sell([("COLA", 2)])
    answer = post(api, order, {"lines": [{"line_id": 9, "qty": 1}]})
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"] == {"lines.0.line_id": "该商品不在这张销售单上"}
    assert post(api, order, {"lines": []}).status_code == 422
    assert post(api, order, {"lines": [{"line_id": 1, "qty": 0}]}).status_code == 422
    missing = api.post(
        "/api/v1/orders/NOPE/returns",
        {"lines": [{"line_id": 1, "qty": 1}]},
        content_type="application/json",
    )
    assert missing.status_code == 404


def test_external_tenders_can_be_paid_back_in_cash(api, sell, stocked):
    order = sell([("RICE", 1)], pay=[("wechat", 8000)])
    answer = post(api, order, {"lines": [{"line_id": 1, "qty": 1}], "refund_method": "cash"})
    assert answer.status_code == 201
    [refund] = answer.json()["refunds"]
    assert (refund["tender"], refund["method"], refund["amount_fen"]) == ("wechat", "cash", 8000)
    assert answer.json()["order_status"] == "returned"


@pytest.mark.parametrize(
    "body",
    [
        {"lines": [{"line_id": 1, "qty": "NaN"}]},
        {"lines": [{"line_id": 1, "qty": "Infinity"}]},
        {"lines": [{"line_id": 1, "qty": 1e30}]},
        {"lines": [{"line_id": 1, "qty": "0.0001"}]},
        {"lines": [{"line_id": 1, "qty": -1}]},
        {"lines": [{"line_id": 10**20, "qty": 1}]},
        {"lines": [{"line_id": "1", "qty": 1}]},
        {"lines": [{"line_id": 1, "qty": 1}], "refund_method": "gold"},
        {"lines": [{"line_id": 1, "qty": 1}], "reason": "x" * 201},
        {"lines": "all"},
        {},
    ],
)
def test_bad_bodies_are_422(api, sell, stocked, body):
    order = sell([("COLA", 2)])
    answer = post(api, order, body)
    assert answer.status_code == 422, answer.content
    assert answer.json()["error"]["code"] == "VALIDATION_ERROR"
    assert not SalesReturn.objects.exists()
