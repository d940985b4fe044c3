"""Members and cards calls with a revoked key, or a key of a deactivated store: `401
API_KEY_REVOKED`, nothing read or written. (Keys carry no per-call permissions, so these calls
never answer PERMISSION_DENIED.)"""

import pytest

from huiyuan.api.services import revoke_api_key
from huiyuan.core.actors import Actor
from tests.api.test_members_api import MEMBERS, error_of, post, written

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(register):
    return register()


def calls(member):
    card = member.cards.get().number
    no = member.member_no
    return [
        ("get", f"{MEMBERS}/lookup?q={card}", None),
        ("get", f"{MEMBERS}?q=zs", None),
        ("get", f"{MEMBERS}/{no}", None),
        ("patch", f"{MEMBERS}/{no}", {"notes": "x"}),
        ("post", MEMBERS, {"name": "李四", "phone": "13900139000"}),
        ("post", f"{MEMBERS}/{no}/cards", {"card_type_code": "STD"}),
        ("post", f"/api/v1/cards/{card}/report-loss", {}),
        ("post", f"/api/v1/cards/{card}/replace", {}),
    ]


def call(api, method, url, body):
    if method == "get":
        return api.get(url)
    return getattr(api, method)(url, body, content_type="application/json")


@pytest.mark.parametrize("how", ["revoked", "store deactivated"])
def test_a_revoked_key_reads_and_writes_nothing(api, api_key_pair, member, store, how):
    if how == "revoked":
        revoke_api_key(actor=Actor.system(), api_key=api_key_pair[0])
    else:
        store.is_active = False
        store.save(update_fields=["is_active"])
    before = written()
    for method, url, body in calls(member):
        error = error_of(call(api, method, url, body), 401, "API_KEY_REVOKED")
        assert member.name not in str(error)
    assert written() == before
    member.refresh_from_db()
    assert member.notes == ""
    assert member.cards.get().status == "active"


def test_without_a_key_every_call_is_auth_required(client, member):
    for method, url, body in calls(member):
        error_of(call(client, method, url, body), 401, "AUTH_REQUIRED")


def test_the_same_calls_work_with_a_valid_key(api, member):
    """So the refusals above are the key's, not the call's."""
    for method, url, body in calls(member)[:4]:
        assert call(api, method, url, body).status_code == 200
    assert post(api, MEMBERS, {"name": "李四", "phone": "13900139000"}).status_code == 201
