# ruff: noqa: F811 (pytest fixtures imported from tests.sales.fixtures)
"""POST /checkout/quote: each promotion type through the API, with exact amounts."""

import pytest

from huiyuan.catalog.barcodes import with_check_digit
from huiyuan.points.services import earn_points
from tests.sales.fixtures import (  # noqa: F401 (fixtures)
    SYSTEM,
    Kind,
    earn_rule,
    gold_member,
    goods,
    member,
    member_day,
    on_tuesday,
    promo,
    row,
    template,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/checkout/quote"


@pytest.fixture
def ask(api):
    """ask(lines, member=…, **body) → the answer's JSON (asserting a 200)."""

    def go(lines, member=None, **body):
        body = {"lines": [as_json(line) for line in lines], **body}
        if member is not None:
            body["member_no"] = member.member_no
        response = api.post(URL, body, content_type="application/json")
        assert response.status_code == 200, response.content
        return response.json()

    return go


def as_json(line) -> dict:
    """("RICE", 2) or ("RICE", 1, {"add_price_offer_id": …}) or a ready dict."""
    if isinstance(line, dict):
        return line
    code, qty, *extra = line
    return {"product_code": code, "qty": qty, **(extra[0] if extra else {})}


def discounts(line):
    return [(d["kind"], d["name"], d["amount_fen"]) for d in line["discounts"]]


def test_a_guest_pays_list_prices_and_every_line_explains_itself(ask, goods):
    body = ask([("RICE", 2), ("EGG", 1)])
    rice, egg = body["lines"]
    assert (rice["list_price_fen"], rice["qty"], rice["total_fen"]) == (8000, "2", 16000)
    assert (egg["member_price_fen"], egg["unit_price_fen"], egg["discounts"]) == (1900, 2000, [])
    assert body["member"] is None
    assert body["payable_fen"] == body["to_pay_fen"] == body["list_total_fen"] == 18000
    assert body["points_earned"] == {"points": 0, "explanation": ["非会员不积分"]}


def test_a_member_gets_member_prices_and_the_tier_discount(ask, gold_member, goods, earn_rule):
    body = ask([("RICE", 1), ("EGG", 1), ("BAG", 1)], member=gold_member)
    rice, egg, bag = body["lines"]
    assert discounts(rice) == [("member_discount", "会员折扣", 800)]
    assert discounts(egg) == [("member_discount", "会员折扣", 200)]  # 9折 saves more than ¥19
    assert bag["discounts"] == []  # excluded from member discounts
    assert body["payable_fen"] == 7200 + 1800 + 200
    assert body["member"]["tier"] == "金卡"
    assert body["member"]["discount_permille"] == 900
    # 92 points ×1.5 (金卡) = 138
    assert body["points_earned"]["points"] == 138


def test_percent_off_a_product_a_category_and_the_order(ask, goods, promo, fresh):
    promo(Kind.PERCENT, name="大米9折", permille=900, products=[goods["RICE"]], priority=3)
    promo(Kind.PERCENT, name="饮料8折", permille=800, categories=[goods["MILK"].category])
    promo(Kind.PERCENT, name="全场95折", permille=950, priority=1)
    body = ask([("RICE", 1), ("MILK", 2), ("OIL", 1)])
    rice, milk, oil = body["lines"]
    assert discounts(rice) == [("promotion", "大米9折", 800), ("promotion", "全场95折", 360)]
    assert discounts(milk) == [("promotion", "全场95折", 50), ("promotion", "饮料8折", 190)]
    assert discounts(oil) == [("promotion", "全场95折", 250)]
    assert body["payable_fen"] == 6840 + 760 + 4750


def test_special_member_price(ask, member, goods, promo):
    promo(
        Kind.SPECIAL_PRICE, name="会员惊爆价", members_only=True,
        rows=[row(amount=1500, product=goods["EGG"])],
    )  # fmt: skip
    assert ask([("EGG", 2)])["payable_fen"] == 4000  # members only
    line = ask([("EGG", 2)], member=member)["lines"][0]
    assert (line["unit_price_fen"], line["total_fen"]) == (1500, 3000)
    assert discounts(line) == [("promotion", "会员惊爆价", 1000)]


def test_full_reduction_ladder_allocated_over_lines(ask, goods, promo):
    promo(Kind.FULL_REDUCTION, name="满100减10", rows=[row(10000, 1000), row(20000, 2500)])
    body = ask([("RICE", 1), ("OIL", 1)])
    assert body["order_discounts"] == [
        {"kind": "promotion", "source_id": body["order_discounts"][0]["source_id"],
         "name": "满100减10", "amount_fen": 1000}
    ]  # fmt: skip
    assert [line["discount_fen"] for line in body["lines"]] == [615, 385]
    assert body["payable_fen"] == 12000
    assert ask([("RICE", 3)])["payable_fen"] == 24000 - 2500


def test_every_full_reduction_with_a_cap(ask, goods, promo):
    promo(
        Kind.FULL_REDUCTION, name="每满100减10", every=True, cap_fen=2000, rows=[row(10000, 1000)]
    )
    assert ask([("RICE", 3)])["payable_fen"] == 24000 - 2000
    assert ask([("RICE", 2)])["payable_fen"] == 16000 - 1000


def test_buy_n_get_m(ask, goods, promo):
    promo(Kind.BUY_N_GET_M, name="牛奶买二送一", buy=2, get=1, permille=0, products=[goods["MILK"]])
    line = ask([("MILK", 7)])["lines"][0]
    assert discounts(line) == [("promotion", "牛奶买二送一", 1000)]
    assert line["total_fen"] == 2500


def test_second_item_half_price(ask, goods, promo):
    promo(Kind.BUY_N_GET_M, name="第二件半价", buy=1, get=1, permille=500, products=[goods["OIL"]])
    assert ask([("OIL", 2)])["payable_fen"] == 7500


def test_coupon_issuance_ladder(ask, member, goods, promo, template, member_day):
    five = template("5元券", face_fen=500, validity="next_member_day", member_day=member_day)
    promo(Kind.ISSUE_COUPONS, name="满68送5", rows=[row(6800, 500, coupon_template=five)])
    body = ask([("RICE", 1)], member=member)
    [issue] = body["coupons_to_issue"]
    assert issue["template_name"] == "5元券"
    assert issue["face_fen"] == 500
    assert issue["valid_from"] == issue["valid_until"] == "2026-12-01"
    assert ask([("RICE", 1)])["coupons_to_issue"] == []  # guests get no coupons
    assert ask([("OIL", 1)], member=member)["coupons_to_issue"] == []


def test_add_price_offer_reached_and_taken(ask, member, goods, promo):
    offer = promo(Kind.ADD_PRICE, name="加1元换购", rows=[row(1900, 100, product=goods["TISSUE"])])
    body = ask([("OIL", 1)])
    assert body["add_price_offers"] == [
        {"offer_id": offer.pk, "offer_name": "加1元换购", "threshold_fen": 1900, "price_fen": 100,
         "products": [{"code": "TISSUE", "name": "纸巾"}]}
    ]  # fmt: skip
    body = ask([("OIL", 1), ("TISSUE", 1, {"add_price_offer_id": offer.pk})])
    assert body["lines"][1]["total_fen"] == 100
    assert body["lines"][1]["add_price_offer_id"] == offer.pk
    assert body["payable_fen"] == 5100
    body = ask([("COLA", 1), ("TISSUE", 1, {"add_price_offer_id": offer.pk})])
    assert body["add_price_not_earned"] == [2]
    assert body["payable_fen"] == 1300


def test_gift_with_purchase(ask, member, goods, promo):
    promo(
        Kind.GIFT, name="满100送纸巾", members_only=True,
        rows=[row(10000, product=goods["TISSUE"]), row(20000, product=goods["TISSUE"], qty=3)],
    )  # fmt: skip
    body = ask([("RICE", 3)], member=member)
    [gift] = body["gifts"]
    assert (gift["kind"], gift["source_name"], gift["product_name"], gift["qty"]) == (
        "promotion", "满100送纸巾", "纸巾", 3
    )  # fmt: skip
    assert ask([("RICE", 3)])["gifts"] == []
    assert ask([("OIL", 1)], member=member)["gifts"] == []


def test_points_multiplier_day(ask, register, on_tuesday, goods, promo, earn_rule):
    member = register()
    promo(Kind.POINTS, name="周二积分翻倍", points_permille=2000, weekdays=[2])
    promo(Kind.POINTS, name="周六积分三倍", points_permille=3000, weekdays=[6])
    points = ask([("RICE", 1), ("CIG", 1)], member=member)["points_earned"]
    assert points["points"] == 160  # ¥80 (cigarettes earn nothing) ×2
    assert "周二积分翻倍 ×2" in points["explanation"]


def test_points_paid_do_not_earn_and_come_off_what_is_left(
    ask, register, on_tuesday, goods, earn_rule
):
    member = register()
    earn_points(actor=SYSTEM, member=member, points=1000)
    body = ask([("RICE", 1)], member=member, points_to_use=1000)
    assert (body["points_to_use"], body["points_payment_fen"]) == (1000, 1000)
    assert body["to_pay_fen"] == 7000
    assert body["points_earned"]["points"] == 70


def test_a_scale_label_gives_the_weight(ask, goods):
    label = with_check_digit("20" + "00042" + "03750")  # a price label: ¥37.50 of pork at ¥30/kg
    line = ask([{"barcode": label}])["lines"][0]
    assert (line["product_code"], line["qty"], line["barcode"]) == ("PORK", "1.250", label)
    assert (line["label_price_fen"], line["total_fen"]) == (3750, 3750)
