"""GET / POST /members/{member_no}/coupons and the lookup's available coupons."""

import pytest

from huiyuan.coupons import services
from huiyuan.coupons.models import Coupon
from tests.api.test_members_api import error_of, post

pytestmark = pytest.mark.django_db


def url(member):
    return f"/api/v1/members/{member.member_no}/coupons"


def test_list_with_filters(api, member, issue, make_template, store, other_store, system, travel):
    now = travel(2026, 3, 10)
    usable = issue(member)
    used = services.mark_used(issue(member), order_ref="XS1", store=store, actor=system, at=now)
    elsewhere = make_template("杭州券")
    elsewhere.stores.add(other_store)
    issue(member, elsewhere)
    body = api.get(url(member)).json()
    assert body["count"] == 3
    assert api.get(url(member), {"state": "used"}).json()["items"][0]["code"] == used.code
    (item,) = api.get(url(member), {"usable": "true"}).json()["items"]
    assert item == item | {
        "code": usable.code,
        "name": "10元代金券",
        "kind": "cash",
        "face_fen": 1000,
        "state": "issued",
        "valid_from": "2026-03-10",
        "valid_until": "2026-04-08",
        "source": "manual",
    }
    assert api.get(url(member), {"state": "lost"}).status_code == 422


def test_unknown_member(api):
    error_of(api.get("/api/v1/members/99999999/coupons"), 404, "MEMBER_NOT_FOUND")


def test_issue_is_idempotent(api, member, cash10):
    headers = {"HTTP_IDEMPOTENCY_KEY": "till-1-0001"}
    first = post(api, url(member), {"template_id": cash10.pk, "note": "补偿"}, **headers)
    assert first.status_code == 201
    again = post(api, url(member), {"template_id": cash10.pk, "note": "补偿"}, **headers)
    assert again.json() == first.json()
    assert Coupon.objects.count() == 1
    coupon = Coupon.objects.get()
    assert coupon.events.get().note == "补偿"
    assert first.json()["code"] == coupon.code
    from huiyuan.core.models import AuditEvent

    (audited,) = AuditEvent.objects.filter(action="coupon.issue")  # as from the member page
    assert audited.after["reason"] == "补偿"


def test_issue_refusals(api, member, make_template):
    error_of(post(api, url(member), {"template_id": 999}), 404, "COUPON_TEMPLATE_NOT_FOUND")
    error_of(post(api, url(member), {"template_id": "1"}), 422, "VALIDATION_ERROR")
    limited = make_template("限一张", per_member_limit=1)
    assert post(api, url(member), {"template_id": limited.pk}).status_code == 201
    error = error_of(
        post(api, url(member), {"template_id": limited.pk}), 409, "COUPON_LIMIT_REACHED"
    )
    assert "template_id" in error["fields"]
    assert Coupon.objects.count() == 1


def test_lookup_lists_the_usable_coupons(api, member, issue, system):
    usable = issue(member)
    services.revoke(issue(member), actor=system, reason="x")
    body = api.get("/api/v1/members/lookup", {"q": member.member_no}).json()
    assert [coupon["code"] for coupon in body["available_coupons"]] == [usable.code]
