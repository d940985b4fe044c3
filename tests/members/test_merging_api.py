"""The API after a merge: the absorbed number answers with the kept member, and
POST /members/{member_no}/merge (idempotent)."""

import pytest

from huiyuan.core.actors import Actor
from huiyuan.core.models import AuditEvent, IdempotencyRecord
from huiyuan.members.merging import merge_members
from huiyuan.members.models import Member
from huiyuan.points.selectors import points_balance

pytestmark = pytest.mark.django_db

MEMBERS = "/api/v1/members"


@pytest.fixture
def pair(register, earn):
    kept = register(name="张三", phone="13800138000")
    absorbed = register(name="张三", phone="13900139000")
    earn(absorbed, 120)
    return kept, absorbed


def merge_call(api, kept, absorbed_no, reason="同一人重复登记", key=None):
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.post(
        f"{MEMBERS}/{kept.member_no}/merge",
        {"absorbed_member_no": absorbed_no, "reason": reason},
        content_type="application/json",
        **extra,
    )


def test_the_absorbed_number_answers_with_the_kept_member(api, pair):
    kept, absorbed = pair
    merge_members(actor=Actor.system(), absorbed=absorbed, kept=kept, reason="重复")

    read = api.get(f"{MEMBERS}/{absorbed.member_no}")
    assert read.status_code == 200
    assert (read.json()["member_no"], read.json()["status"]) == (kept.member_no, "active")
    lookup = api.get(f"{MEMBERS}/lookup", {"q": absorbed.member_no})
    assert lookup.json()["member_no"] == kept.member_no
    assert lookup.json()["balances"]["points"] == 120
    by_phone = api.get(f"{MEMBERS}/lookup", {"q": absorbed.phone})
    assert by_phone.json()["error"]["code"] == "MEMBER_NOT_FOUND"
    merged = api.get(MEMBERS, {"status": "merged"}).json()["items"]
    assert [item["member_no"] for item in merged] == [absorbed.member_no]


def test_merge_moves_the_balances_once_per_key(api, pair):
    kept, absorbed = pair

    first = merge_call(api, kept, absorbed.member_no, key="merge-1")
    again = merge_call(api, kept, absorbed.member_no, key="merge-1")

    assert first.status_code == again.status_code == 200, first.content
    assert first.json() == again.json()
    assert first.json()["member_no"] == kept.member_no
    assert points_balance(kept) == 120
    assert Member.objects.get(pk=absorbed.pk).merged_into == kept
    assert AuditEvent.objects.filter(action="member.merge").count() == 2


@pytest.mark.parametrize(
    ("absorbed_no", "status", "code"),
    [("99999999", 404, "MEMBER_NOT_FOUND"), (None, 409, "MERGE_NOT_ALLOWED")],
)
def test_refused_merges_write_nothing(api, pair, absorbed_no, status, code):
    kept, absorbed = pair
    before = (AuditEvent.objects.count(), IdempotencyRecord.objects.count())
    answer = merge_call(api, kept, absorbed_no or kept.member_no, key="merge-2")
    assert answer.status_code == status
    assert answer.json()["error"]["code"] == code
    assert (AuditEvent.objects.count(), IdempotencyRecord.objects.count()) == before
    assert points_balance(absorbed) == 120


def test_a_merge_needs_a_reason(api, pair):
    kept, absorbed = pair
    answer = merge_call(api, kept, absorbed.member_no, reason="")
    assert answer.status_code == 422
    assert points_balance(absorbed) == 120
