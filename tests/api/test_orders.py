# ruff: noqa: F811 (pytest fixtures imported from tests.sales)
"""POST /orders and GET /orders/{order_no}: the must-show sale with every amount to the fen,
idempotent replays, and each refusal's code."""

import datetime

import pytest
from django.core.management import call_command

from huiyuan.catalog.barcodes import with_check_digit
from huiyuan.coupons.models import Coupon, Validity
from huiyuan.inventory.models import StockLevel, StockMove
from huiyuan.points.models import PointsEntry, PointsLot, PointsProgram
from huiyuan.promotions.models import PromotionUse
from huiyuan.sales.models import Order
from huiyuan.wallet.models import StoredValueEntry
from tests.api.test_members_api import error_of
from tests.sales.fixtures import (  # noqa: F401 (fixtures)
    Kind,
    earn_rule,
    give,
    gold_member,
    goods,
    member,
    member_day,
    on_tuesday,
    promo,
    row,
    template,
)
from tests.sales.orders_fixtures import stocked, with_stored_value  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/api/v1/orders"
PORK_LABEL = with_check_digit("20" + "00042" + "03750")  # ¥37.50 of pork at ¥30/kg: 1.250 kg


def post(api, body, key=None):
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.post(URL, body, content_type="application/json", **extra)


@pytest.fixture
def sale(gold_member, stocked, promo, template, give, member_day, earn_rule, with_stored_value):
    """The must-show sale's setting: 金卡 (9折, points ×1.5) on the Tuesday member day, a 惊爆价
    on eggs, a ¥10 coupon, ¥50 + ¥10 bonus of stored value, 满128送10 on member days."""
    PointsProgram.objects.update(earn_on_stored_value=False)
    promo(
        Kind.SPECIAL_PRICE, name="会员惊爆价", members_only=True,
        rows=[row(amount=1500, product=stocked["EGG"])],
    )  # fmt: skip
    next_day = {"validity": Validity.NEXT_MEMBER_DAY, "member_day": member_day}
    ten = template("会员日10元券", face_fen=1000, **next_day)
    promo(
        Kind.ISSUE_COUPONS, name="会员日满128送10", member_day=member_day,
        rows=[row(12800, 1000, coupon_template=ten)],
    )  # fmt: skip
    coupon = give(template("10元代金券", face_fen=1000), gold_member)
    with_stored_value(gold_member, 5000, bonus_fen=1000)
    body = {
        "member_no": gold_member.member_no,
        "lines": [
            {"product_code": "RICE", "qty": 1},
            {"product_code": "EGG", "qty": 2},
            {"barcode": PORK_LABEL},
            {"product_code": "MILK", "qty": 2},
            {"product_code": "BAG", "qty": 1},
        ],
        "coupon_codes": [coupon.code],
        "payments": [
            {"method": "stored_value", "amount_fen": 6000},
            {"method": "cash", "amount_fen": 8000},
        ],
        "expected_payable_fen": 13675,
    }
    return body, coupon


def test_the_must_show_sale_to_the_fen(api, sale, gold_member, store):
    body, coupon = sale
    response = post(api, body, key="sale-1")
    assert response.status_code == 201, response.content
    answer = response.json()

    # Lines: 9折 on rice, pork (weighed) and milk; 惊爆价 on eggs (no 9折 on top); the bag is
    # excluded from member discounts; the ¥10 coupon spread by what each line still costs
    # (14675 in all: 490, 205, 230, 61, 14 by cumulative flooring).
    lines = [
        (
            line["product_code"], line["qty"], line["list_total_fen"],
            [(d["kind"], d["name"], d["amount_fen"]) for d in line["discounts"]],
            line["total_fen"],
        )
        for line in answer["lines"]
    ]  # fmt: skip
    assert lines == [
        ("RICE", "1", 8000, [("member_discount", "会员折扣", 800), ("coupon", "10元代金券", 490)],
         6710),
        ("EGG", "2", 4000, [("promotion", "会员惊爆价", 1000), ("coupon", "10元代金券", 205)],
         2795),
        ("PORK", "1.25", 3750,
         [("member_discount", "会员折扣", 375), ("coupon", "10元代金券", 230)], 3145),
        ("MILK", "2", 1000, [("member_discount", "会员折扣", 100), ("coupon", "10元代金券", 61)],
         839),
        ("BAG", "1", 200, [("coupon", "10元代金券", 14)], 186),
    ]  # fmt: skip
    assert answer["lines"][2]["barcode"] == PORK_LABEL
    assert (answer["list_total_fen"], answer["discount_fen"], answer["payable_fen"]) == (
        16950, 3275, 13675,
    )  # fmt: skip

    # Payments: all the stored value (principal 5000 + bonus 1000), ¥80 cash for ¥76.75.
    assert [
        (p["method"], p["amount_fen"], p["principal_fen"], p["bonus_fen"])
        for p in answer["payments"]
    ] == [("stored_value", 6000, 5000, 1000), ("cash", 8000, 0, 0)]
    assert (answer["tendered_fen"], answer["change_fen"]) == (14000, 325)

    # Points: the stored-value part doesn't earn here: 13675 − 6000 = 7675 → 76 × 1.5 = 114,
    # shared over the lines by their totals.
    assert answer["points_earned"] == 114
    assert [line["points_earned"] for line in answer["lines"]] == [55, 24, 26, 7, 2]
    assert answer["balances"] == {
        "points": 114, "principal_fen": 0, "bonus_fen": 0, "stored_value_fen": 0,
    }  # fmt: skip

    # Coupons: the ¥10 used; 满128送10 issues a ¥10 coupon valid next Tuesday only.
    assert [(c["code"], c["amount_fen"]) for c in answer["coupons_used"]] == [(coupon.code, 1000)]
    [issued] = answer["coupons_issued"]
    assert (issued["name"], issued["face_fen"]) == ("会员日10元券", 1000)
    assert issued["valid_from"] == issued["valid_until"] == "2026-12-01"
    order_no = answer["order_no"]
    assert order_no == "SH01202611240001"
    assert answer["receipt_url"].endswith(f"/orders/{order_no}/receipt/")

    # The ledgers, lots and stock rows behind it.
    sv = StoredValueEntry.objects.filter(ref_no=order_no).order_by("pot")
    assert [(e.kind, e.pot, e.delta, e.balance_after) for e in sv] == [
        ("pay", "bonus", -1000, 0),
        ("pay", "principal", -5000, 0),
    ]
    [earned] = PointsEntry.objects.filter(ref_no=order_no)
    assert (earned.kind, earned.delta, earned.balance_after) == ("earn", 114, 114)
    lot = PointsLot.objects.get(account__member=gold_member)
    assert (lot.original, lot.remaining, lot.ref_no) == (114, 114, order_no)
    moves = StockMove.objects.filter(ref_no=order_no).order_by("product__code")
    assert [(m.product.code, m.kind, str(m.qty), str(m.balance_after)) for m in moves] == [
        ("BAG", "sale", "-1.000", "99.000"),
        ("EGG", "sale", "-2.000", "98.000"),
        ("MILK", "sale", "-2.000", "98.000"),
        ("PORK", "sale", "-1.250", "98.750"),
        ("RICE", "sale", "-1.000", "99.000"),
    ]
    pork = StockLevel.objects.get(location__store=store, product__code="PORK")
    assert str(pork.on_hand) == "98.750"
    coupon.refresh_from_db()
    assert (coupon.state, coupon.order_ref) == ("used", order_no)
    new = Coupon.objects.get(code=issued["code"])
    assert (new.member, new.valid_from) == (gold_member, datetime.date(2026, 12, 1))
    uses = PromotionUse.objects.filter(order_ref=order_no).order_by("promotion__name")
    assert [(u.promotion.name, u.discount_fen) for u in uses] == [
        ("会员惊爆价", 1000),
        ("会员日满128送10", 0),
    ]
    call_command("verify_ledgers")

    # GET answers the same.
    again = api.get(f"{URL}/{order_no}")
    assert again.status_code == 200
    assert again.json() == answer


def test_ten_replays_make_one_order(api, sale):
    body, _coupon = sale
    answers = [post(api, body, key="same-key") for _ in range(10)]
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["order_no"] for a in answers}) == 1
    assert Order.objects.count() == 1
    assert StoredValueEntry.objects.filter(kind="pay").count() == 2


def test_a_changed_price_is_409(api, sale):
    body, _coupon = sale
    error = error_of(post(api, {**body, "expected_payable_fen": 13600}, "k"), 409, "PRICE_CHANGED")
    assert "expected_payable_fen" in error["fields"]
    assert not Order.objects.exists()


def test_payments_that_do_not_add_up_are_422(api, sale):
    body, _coupon = sale
    short = [{"method": "stored_value", "amount_fen": 6000}, {"method": "cash", "amount_fen": 1}]
    error_of(post(api, {**body, "payments": short}, "k"), 422, "PAYMENT_MISMATCH")
    assert not Order.objects.exists()


def test_a_used_coupon_is_refused(api, sale):
    body, coupon = sale
    assert post(api, body, "k1").status_code == 201
    error = error_of(post(api, body, "k2"), 409, "COUPON_USED")
    assert coupon.code in error["fields"]["coupon_codes"]
    assert Order.objects.count() == 1


def test_an_unknown_order_is_404(api, goods):
    error_of(api.get(f"{URL}/SH01209901010001"), 404, "NOT_FOUND")


def test_a_non_member_sale_through_the_api(api, stocked):
    body = {
        "lines": [{"product_code": "COLA", "qty": 3}],
        "payments": [{"method": "wechat", "amount_fen": 900, "external_ref": "WX1"}],
        "expected_payable_fen": 900,
    }
    answer = post(api, body, "guest").json()
    assert answer["member"] is None
    assert answer["balances"] is None
    assert answer["payments"][0]["external_ref"] == "WX1"


def test_a_salesperson_by_login_name(api, stocked, make_operator):
    make_operator("cashier", username="guide1")
    body = {
        "lines": [{"product_code": "COLA", "qty": 1, "salesperson": "guide1"}],
        "payments": [{"method": "cash", "amount_fen": 300}],
        "expected_payable_fen": 300,
    }
    assert post(api, body, "g1").json()["lines"][0]["salesperson"] == "guide1"
    body["lines"][0]["salesperson"] = "nobody"
    error = error_of(post(api, body, "g2"), 422, "VALIDATION_ERROR")
    assert "lines.0.salesperson" in error["fields"]


def test_an_unknown_tender_is_a_validation_error(api, stocked):
    body = {
        "lines": [{"product_code": "COLA", "qty": 1}],
        "payments": [{"method": "iou", "amount_fen": 300}],
        "expected_payable_fen": 300,
    }
    error_of(post(api, body, "t1"), 422, "VALIDATION_ERROR")
    assert not Order.objects.exists()
