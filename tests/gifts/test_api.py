"""The gift calls: GET /gifts (member's price, stock at the key's store) and the idempotent
POST /members/{member_no}/gift-redemptions with each refusal writing nothing."""

import pytest

from huiyuan.gifts.models import GiftRedemption
from huiyuan.gifts.services import save_gift
from huiyuan.inventory.models import MoveKind, StockMove
from huiyuan.points.models import PointsEntry
from huiyuan.points.selectors import points_balance
from tests.api.test_members_api import error_of, post

pytestmark = pytest.mark.django_db


def url(member):
    return f"/api/v1/members/{member.member_no}/gift-redemptions"


def rows():
    return (
        GiftRedemption.objects.count(),
        PointsEntry.objects.filter(kind=PointsEntry.Kind.REDEEM).count(),
        StockMove.objects.filter(kind=MoveKind.GIFT).count(),
    )


def test_gifts_list_the_members_price_and_the_stores_stock(
    api, member, earn, cup_gift, voucher_gift, tiers, system
):
    save_gift(actor=system, gift=cup_gift, tier_points={tiers["金卡"]: 420})
    earn(member, 2000)  # 金卡
    plain = api.get("/api/v1/gifts").json()
    assert plain["count"] == 2
    cup = next(item for item in plain["items"] if item["name"] == "保温杯")
    assert cup["points"] == 500
    assert cup["member_points"] is None
    assert cup["tier_points"] == [{"tier": "金卡", "points": 420}]
    assert (cup["kind"], cup["product_code"], cup["stock_available"]) == (
        "product",
        "G001",
        "10.000",
    )
    mine = api.get("/api/v1/gifts", {"member_no": member.member_no}).json()
    prices = {item["name"]: item["member_points"] for item in mine["items"]}
    assert prices == {"保温杯": 420, "10元代金券": 800}
    voucher = next(item for item in mine["items"] if item["kind"] == "coupon")
    assert (voucher["stock_available"], voucher["coupon_template"]) == (None, "积分兑换10元代金券")


def test_redeem_is_idempotent(api, member, earn, cup_gift, voucher_gift):
    earn(member, 2000)
    body = {"lines": [{"gift_id": cup_gift.pk, "qty": 1}, {"gift_id": voucher_gift.pk, "qty": 1}]}
    first = post(api, url(member), body, HTTP_IDEMPOTENCY_KEY="till-1-0001")
    again = post(api, url(member), body, HTTP_IDEMPOTENCY_KEY="till-1-0001")
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    answer = first.json()
    assert answer["total_points"] == 1300
    assert answer["points_balance"] == 700
    assert answer["store_code"] == "SH01"
    lines = {line["name"]: line for line in answer["lines"]}
    assert lines["保温杯"]["product_code"] == "G001"
    assert len(lines["10元代金券"]["coupon_codes"]) == 1
    assert rows() == (1, 1, 1)
    assert points_balance(member) == 700
    listed = api.get(url(member)).json()
    assert [item["redemption_no"] for item in listed["items"]] == [answer["redemption_no"]]


@pytest.mark.parametrize(
    ("points", "qty", "status", "code"),
    [
        (100, 1, 409, "POINTS_INSUFFICIENT"),
        (100_000, 11, 409, "INSUFFICIENT_STOCK"),
    ],
)
def test_refusals_write_nothing(api, member, earn, cup_gift, points, qty, status, code):
    earn(member, points)
    body = {"lines": [{"gift_id": cup_gift.pk, "qty": qty}]}
    error_of(post(api, url(member), body, HTTP_IDEMPOTENCY_KEY="k"), status, code)
    assert rows() == (0, 0, 0)
    assert points_balance(member) == points


def test_gift_refusals(api, member, earn, cup_gift, system):
    earn(member, 100_000)
    body = {"lines": [{"gift_id": cup_gift.pk + 100, "qty": 1}]}
    error_of(post(api, url(member), body), 404, "GIFT_NOT_FOUND")
    save_gift(actor=system, gift=cup_gift, per_member_limit=1)
    body = {"lines": [{"gift_id": cup_gift.pk, "qty": 2}]}
    error = error_of(post(api, url(member), body), 409, "GIFT_LIMIT_REACHED")
    assert error["fields"] == {"gift_id": str(cup_gift.pk)}
    save_gift(actor=system, gift=cup_gift, is_active=False)
    error_of(post(api, url(member), body), 409, "GIFT_NOT_AVAILABLE")
    assert rows() == (0, 0, 0)


@pytest.mark.parametrize(
    "body",
    [
        {"lines": []},
        {"lines": [{"gift_id": 1, "qty": 0}]},
        {"lines": [{"gift_id": 1, "qty": "1"}]},
        {"lines": [{"gift_id": 1, "qty": 1.0}]},
        {"lines": [{"gift_id": 1}]},
        {},
    ],
)
def test_bad_bodies_are_validation_errors(api, member, body):
    error_of(post(api, url(member), body), 422, "VALIDATION_ERROR")


def test_unknown_member_and_no_key(api, client, cup_gift):
    error_of(
        post(api, "/api/v1/members/99999999/gift-redemptions", {"lines": []}),
        422,
        "VALIDATION_ERROR",
    )
    body = {"lines": [{"gift_id": cup_gift.pk, "qty": 1}]}
    error_of(post(api, "/api/v1/members/99999999/gift-redemptions", body), 404, "MEMBER_NOT_FOUND")
    error_of(api.get("/api/v1/gifts", {"member_no": "99999999"}), 404, "MEMBER_NOT_FOUND")
    client.defaults.pop("HTTP_AUTHORIZATION")
    error_of(client.get("/api/v1/gifts"), 401, "AUTH_REQUIRED")
