"""GET /promotions and GET /member-days (read-only, with the terminal's API key)."""

import datetime

import pytest

from huiyuan.promotions.models import MemberDay, Promotion
from huiyuan.promotions.services import record_use

pytestmark = pytest.mark.django_db
Kind = Promotion.Kind


def test_promotions_running_at_a_moment(api, make_promotion, row, products, store, other_store):
    ladder = make_promotion(
        Kind.FULL_REDUCTION, name="满减", rows=[row(100, 10), row(200, 25)], weekdays=[2],
        budget_fen=10_000, relations={"products": [products[0]]},
    )  # fmt: skip
    make_promotion(name="杭州八折", permille=800, relations={"stores": [other_store]})
    record_use(ladder.pk, None, 2500, "S1", datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC))
    answer = api.get("/api/v1/promotions", {"active_at": "2026-12-01T09:00:00+08:00"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["store_code"] == store.code
    assert body["at"] == "2026-12-01T09:00:00+08:00"
    (found,) = body["promotions"]
    assert found["id"] == ladder.pk
    assert found["kind"] == "full_reduction"
    assert found["schedule"] == "每周二"
    assert found["budget_left_fen"] == 7500
    assert found["product_codes"] == ["P001"]
    assert [(r["threshold_fen"], r["amount_fen"]) for r in found["rows"]] == [
        (10000, 1000),
        (20000, 2500),
    ]
    wednesday = api.get("/api/v1/promotions", {"active_at": "2026-12-02T09:00:00"})
    assert wednesday.json()["promotions"] == []
    hangzhou = api.get("/api/v1/promotions", {"active_at": "2026-12-02T09:00", "store": "HZ01"})
    assert [p["name"] for p in hangzhou.json()["promotions"]] == ["杭州八折"]


def test_promotions_unknown_store_and_bad_time(api):
    assert api.get("/api/v1/promotions", {"store": "NOPE"}).json()["error"]["code"] == (
        "STORE_NOT_FOUND"
    )
    assert api.get("/api/v1/promotions", {"active_at": "soon"}).status_code == 422
    for edge in ("9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+08:00", "1999-12-31T12:00"):
        assert api.get("/api/v1/promotions", {"active_at": edge}).status_code == 422
    for call in ("/api/v1/promotions", "/api/v1/member-days"):  # a 500 on PostgreSQL
        assert api.get(call, {"store": "S0\x001"}).status_code == 422


def test_promotions_need_a_key(client):
    assert client.get("/api/v1/promotions").status_code == 401
    assert client.get("/api/v1/member-days").status_code == 401


def test_member_days_with_their_next_date(api, travel, store, other_store):
    travel(2026, 12, 1)  # a Tuesday
    MemberDay.objects.create(name="周二会员日", weekdays=[2])
    village = MemberDay.objects.create(name="集日", dates=["2026-12-03"])
    village.stores.set([other_store])
    MemberDay.objects.create(name="停用", weekdays=[3], is_active=False)
    body = {day["name"]: day for day in api.get("/api/v1/member-days").json()}
    assert body["周二会员日"]["next_on"] == "2026-12-01"
    assert body["周二会员日"]["is_today"] is True
    assert body["集日"]["next_on"] is None
    assert body["集日"]["store_codes"] == ["HZ01"]
    assert body["停用"]["next_on"] is None
    there = {d["name"]: d for d in api.get("/api/v1/member-days", {"store": "HZ01"}).json()}
    assert there["集日"]["next_on"] == "2026-12-03"
    assert there["集日"]["is_today"] is False
    assert there["集日"]["dates"] == ["2026-12-03"]
