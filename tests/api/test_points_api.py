"""积分 calls: the ledger (newest first, paginated) and the adjustment authorised by an operator
holding points.adjust_points; one test per error code."""

import json

import pytest
from django.test import Client

from huiyuan.core.actors import Actor
from huiyuan.points import selectors, services
from huiyuan.points.models import PointsEntry
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(register):
    return register()


@pytest.fixture
def supervisor(make_operator):
    return make_operator("member_service", username="zhuguan")


def adjust(api, member_no, key=None, **body):
    body = {"operator": "zhuguan", "operator_password": TEST_PASSWORD, **body}
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.post(
        f"/api/v1/members/{member_no}/points/adjust",
        data=json.dumps(body),
        content_type="application/json",
        **extra,
    )


def test_ledger_newest_first_and_paginated(api, member):
    for points in (10, 20, 30):
        services.earn_points(
            actor=Actor.system(), member=member, points=points, ref_no=f"O{points}"
        )
    answer = api.get(f"/api/v1/members/{member.member_no}/points/ledger?limit=2").json()
    assert answer["count"] == 3
    assert [(row["delta"], row["balance_after"]) for row in answer["items"]] == [(30, 60), (20, 30)]
    assert (answer["items"][0]["kind"], answer["items"][0]["ref_no"]) == ("earn", "O30")
    rest = api.get(f"/api/v1/members/{member.member_no}/points/ledger?limit=2&offset=2").json()
    assert [row["delta"] for row in rest["items"]] == [10]


def test_ledger_of_an_unknown_member_is_404(api):
    answer = api.get("/api/v1/members/99999999/points/ledger")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "MEMBER_NOT_FOUND"


def test_adjust_is_idempotent_and_names_the_operator(api, member, supervisor, api_key_pair):
    first = adjust(api, member.member_no, key="adj-1", delta=50, reason="活动补发")
    assert first.status_code == 200
    assert first.json()["balance"] == 50
    again = adjust(api, member.member_no, key="adj-1", delta=50, reason="活动补发")
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    entry = PointsEntry.objects.get()
    assert (entry.operator, entry.api_key, entry.reason) == (
        supervisor,
        api_key_pair[0],
        "活动补发",
    )
    reused = adjust(api, member.member_no, key="adj-1", delta=51, reason="活动补发")
    assert reused.status_code == 409
    assert reused.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert selectors.points_balance(member) == 50


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"delta": -1, "reason": "扣"}, 409, "POINTS_INSUFFICIENT"),
        ({"delta": 0, "reason": "零"}, 422, "VALIDATION_ERROR"),
        ({"delta": 5, "reason": " "}, 422, "VALIDATION_ERROR"),
        ({"delta": "5", "reason": "字符串"}, 422, "VALIDATION_ERROR"),
        ({"delta": 5.0, "reason": "小数"}, 422, "VALIDATION_ERROR"),
        ({"delta": 5}, 422, "VALIDATION_ERROR"),
        ({"delta": 5, "reason": "错密码", "operator_password": "wrong"}, 403, "PERMISSION_DENIED"),
        ({"delta": 5, "reason": "无此人", "operator": "nobody"}, 403, "PERMISSION_DENIED"),
    ],
)
def test_adjust_refusals_write_nothing(api, member, supervisor, body, status, code):
    answer = adjust(api, member.member_no, **body)
    assert answer.status_code == status, answer.content
    assert answer.json()["error"]["code"] == code
    assert not PointsEntry.objects.exists()


def test_an_operator_without_the_permission_cannot_authorise(api, member, make_operator):
    make_operator("cashier", username="shouyin")
    answer = adjust(api, member.member_no, delta=5, reason="x", operator="shouyin")
    assert answer.status_code == 403
    assert "没有调整积分的权限" in answer.json()["error"]["message"]


def test_adjust_of_an_unknown_member_and_without_a_key(api, supervisor):
    assert (
        adjust(api, "99999999", delta=5, reason="x").json()["error"]["code"] == "MEMBER_NOT_FOUND"
    )
    anonymous = adjust(Client(), "10000001", delta=5, reason="x")
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "AUTH_REQUIRED"


def test_adjusting_a_cancelled_member_is_refused(api, member, supervisor):
    member.status = member.Status.CANCELLED
    member.save()
    answer = adjust(api, member.member_no, delta=5, reason="x")
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "MEMBER_CANCELLED"


@pytest.mark.parametrize("with_key", [False, True], ids=["no key", "idempotency key"])
def test_wrong_passwords_lock_the_operator_out_with_or_without_an_idempotency_key(
    api, member, supervisor, with_key
):
    """A refused idempotent call rolls its transaction back: the lockout's count of wrong
    passwords must survive that, or a till could guess a supervisor's password for ever."""
    for attempt in range(5):
        key = f"guess-{attempt}" if with_key else None
        wrong = adjust(api, member.member_no, key=key, delta=5, reason="x", operator_password="?")
        assert wrong.status_code == 403
    right = adjust(api, member.member_no, key="right" if with_key else None, delta=5, reason="x")
    assert right.status_code == 403
    assert not PointsEntry.objects.exists()


def test_a_revoked_key_is_refused_with_its_own_code(api, member, supervisor, api_key_pair):
    key = api_key_pair[0]
    key.revoked_at = key.created_at
    key.save(update_fields=["revoked_at"])
    for idempotency_key in (None, "k-1"):
        answer = adjust(api, member.member_no, key=idempotency_key, delta=5, reason="x")
        assert answer.json()["error"]["code"] == "API_KEY_REVOKED"


@pytest.mark.parametrize("name", ["zhu\x00guan", "zhu\ud800guan"])
def test_credentials_no_column_can_store_are_malformed_json(api, member, supervisor, name):
    answer = adjust(api, member.member_no, key="k-1", delta=5, reason="x", operator=name)
    assert answer.json()["error"]["code"] == "MALFORMED_JSON"
