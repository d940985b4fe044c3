# ruff: noqa: F811 (pytest fixtures imported from tests.sales.fixtures)
"""Coupons in POST /checkout/quote, POST /coupons/{code}/verify, and bad input to both."""

import datetime

import pytest

from huiyuan.cards.services import report_card_loss
from huiyuan.coupons.models import CouponState
from tests.sales.fixtures import SYSTEM, give, goods, member, on_tuesday, template  # noqa: F401

pytestmark = pytest.mark.django_db
QUOTE = "/api/v1/checkout/quote"


def post(api, url, body):
    return api.post(url, body, content_type="application/json")


def quote(api, member, codes, lines=(("RICE", 1),)):
    body = {
        "member_no": member.member_no,
        "lines": [{"product_code": code, "qty": qty} for code, qty in lines],
        "coupon_codes": codes,
    }
    response = post(api, QUOTE, body)
    assert response.status_code == 200, response.content
    return response.json()


def applied(body):
    return [(c["name"], c["amount_fen"]) for c in body["coupons_applied"]]


def rejected(body):
    return [(c["error_code"], c["reason"]) for c in body["coupons_rejected"]]


def test_cash_percent_and_threshold_coupons(api, member, goods, template, give):
    cash = give(template("5元代金券", face_fen=500), member)
    percent = give(template("9折券", kind="percent", permille=900, cap_fen=500), member)
    threshold = give(
        template("满100减20", kind="threshold", face_fen=2000, min_spend_fen=10000), member
    )
    body = quote(api, member, [cash.code, percent.code, threshold.code], [("RICE", 1)])
    by_code = {cash.code: ("5元代金券", 500), percent.code: ("9折券", 500)}
    expected = [by_code[code] for code in sorted(by_code)]
    assert applied(body) == expected
    assert rejected(body) == [("COUPON_NOT_APPLICABLE", "min_spend")]
    assert body["payable_fen"] == 8000 - 1000
    assert [d["kind"] for d in body["lines"][0]["discounts"]] == ["coupon", "coupon"]


def test_exchange_and_gift_coupons(api, member, goods, template, give):
    exchange = give(template("牛奶兑换券", kind="exchange", products=[goods["MILK"]]), member)
    gift = template("送纸巾", kind="gift", gift_product=goods["TISSUE"])
    gift_coupon = give(gift, member)
    body = quote(api, member, [exchange.code, gift_coupon.code], [("RICE", 1), ("MILK", 3)])
    assert sorted(applied(body)) == [("牛奶兑换券", 500), ("送纸巾", 0)]
    assert body["payable_fen"] == 8000 + 1000
    assert [(g["kind"], g["product_code"], g["product_name"], g["qty"]) for g in body["gifts"]] == [
        ("coupon", "TISSUE", "纸巾", 1)
    ]


def test_refused_coupons_come_back_with_their_code_and_the_rest_apply(
    api, member, register, goods, template, give
):
    five = template("5元代金券", face_fen=500)
    used = give(five, member)
    used.state = CouponState.USED
    used.save()
    expired = give(five, member)
    expired.valid_until = datetime.date(2026, 11, 1)
    expired.valid_from = datetime.date(2026, 10, 1)
    expired.save()
    foreign = give(five, register(name="李四", phone="13900139000"))
    good = give(five, member)
    codes = [used.code, expired.code, foreign.code, "0000000000000000", good.code]
    body = quote(api, member, codes)
    assert applied(body) == [("5元代金券", 500)]
    refusals = {c["code"]: c["error_code"] for c in body["coupons_rejected"]}
    assert refusals == {
        used.code: "COUPON_USED",
        expired.code: "COUPON_EXPIRED",
        foreign.code: "COUPON_NOT_APPLICABLE",
        "0000000000000000": "COUPON_NOT_FOUND",
    }


def verify(api, code, **body):
    return post(api, f"/api/v1/coupons/{code}/verify", body)


def error_code(response):
    return response.json()["error"]["code"]


def test_verify_a_usable_coupon_with_and_without_a_cart(api, member, goods, template, give):
    coupon = give(template("满50减10", kind="threshold", face_fen=1000, min_spend_fen=5000), member)
    answer = verify(api, coupon.code, member_no=member.member_no)
    assert answer.status_code == 200, answer.content
    assert answer.json()["usable"] is True
    assert answer.json()["discount_fen"] is None
    lines = [{"product_code": "RICE"}]
    answer = verify(api, coupon.code, member_no=member.member_no, lines=lines).json()
    assert (answer["discount_fen"], answer["payable_fen"]) == (1000, 7000)


def test_verify_refusals(api, member, register, goods, template, give):
    coupon = give(template("满50减10", kind="threshold", face_fen=1000, min_spend_fen=5000), member)
    small_cart = [{"product_code": "COLA", "qty": 2}]
    response = verify(api, coupon.code, member_no=member.member_no, lines=small_cart)
    assert response.status_code == 409
    assert response.json()["error"]["fields"]["reason"] == "min_spend"
    stranger = register(name="李四", phone="13900139000")
    assert error_code(verify(api, coupon.code, member_no=stranger.member_no)) == (
        "COUPON_NOT_APPLICABLE"
    )
    assert error_code(verify(api, "1234567890123456", member_no=member.member_no)) == (
        "COUPON_NOT_FOUND"
    )
    coupon.state = CouponState.USED
    coupon.save()
    assert error_code(verify(api, coupon.code, member_no=member.member_no)) == "COUPON_USED"
    coupon.state, coupon.valid_until = CouponState.ISSUED, datetime.date(2026, 11, 1)
    coupon.valid_from = datetime.date(2026, 10, 1)
    coupon.save()
    assert error_code(verify(api, coupon.code, member_no=member.member_no)) == "COUPON_EXPIRED"


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"lines": []}, "VALIDATION_ERROR", "lines"),
        ({"lines": [{"product_code": "RICE"}] * 201}, "VALIDATION_ERROR", "lines"),
        ({"lines": [{"product_code": "RICE", "qty": -1}]}, "VALIDATION_ERROR", "lines.0.qty"),
        ({"lines": [{"product_code": "RICE", "qty": "x"}]}, "VALIDATION_ERROR", "lines.0.qty"),
        ({"lines": [{"product_code": "RICE", "qty": 1.5}]}, "VALIDATION_ERROR", "lines.0"),
        ({"lines": [{"product_code": "PORK"}]}, "VALIDATION_ERROR", "lines.0"),
        ({"lines": [{}]}, "VALIDATION_ERROR", "lines.0"),
        ({"lines": [{"product_code": "RICE"}, {"product_code": "NOPE"}]}, "PRODUCT_NOT_FOUND",
         "lines.1"),
        ({"lines": [{"barcode": "6901234567890"}]}, "BARCODE_INVALID", "lines.0"),
        ({"lines": [{"barcode": "6901234567892"}]}, "PRODUCT_NOT_FOUND", "lines.0"),
        ({"lines": "RICE"}, "VALIDATION_ERROR", "lines"),
        ({"lines": [{"product_code": "RICE"}], "points_to_use": 10}, "VALIDATION_ERROR",
         "points_to_use"),
        ({"lines": [{"product_code": "RICE"}], "points_to_use": -1}, "VALIDATION_ERROR",
         "points_to_use"),
        ({"lines": [{"product_code": "RICE"}], "member_no": "99999999"}, "MEMBER_NOT_FOUND",
         "member_no"),
        ({"lines": [{"product_code": "RICE"}], "card_no": "12345678"}, "CARD_NOT_FOUND",
         "card_no"),
        ({"lines": [{"product_code": "RICE"}], "coupon_codes": ["x"] * 21}, "VALIDATION_ERROR",
         "coupon_codes"),
    ],
)  # fmt: skip
def test_bad_input_gets_a_stable_code(api, goods, body, code, field):
    response = post(api, QUOTE, body)
    assert response.status_code in (404, 409, 422, 400), response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert field in error["fields"]


def test_a_lost_card_is_refused(api, member, goods):
    card = member.cards.get()
    report_card_loss(actor=SYSTEM, card=card)
    response = post(api, QUOTE, {"card_no": card.number, "lines": [{"product_code": "RICE"}]})
    assert error_code(response) == "CARD_LOST"


def test_not_enough_points_is_refused(api, member, goods):
    body = {"member_no": member.member_no, "lines": [{"product_code": "RICE"}]}
    response = post(api, QUOTE, {**body, "points_to_use": 100})
    assert error_code(response) == "POINTS_INSUFFICIENT"
