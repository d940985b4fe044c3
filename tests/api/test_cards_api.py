"""The card lifecycle calls of API.md, and the till refusing a card after each of them."""

import datetime

import pytest
from django.utils import timezone

from huiyuan.cards.models import Card, CardEvent
from huiyuan.core.models import AuditEvent
from tests.api.test_members_api import error_of, post, written

pytestmark = pytest.mark.django_db

LOOKUP = "/api/v1/members/lookup"


def url(card, action):
    return f"/api/v1/cards/{card.number}/{action}"


@pytest.fixture
def member(register):
    return register()


@pytest.fixture
def card(member):
    return member.cards.get()


def status_of(card):
    card.refresh_from_db()
    return card.status


@pytest.mark.parametrize(
    ("action", "status", "code"),
    [
        ("report-loss", "lost", "CARD_LOST"),
        ("freeze", "frozen", "CARD_FROZEN"),
        ("cancel", "cancelled", "CARD_CANCELLED"),
    ],
)
def test_a_blocked_card_is_refused_at_the_till(
    api, api_key_pair, store, card, action, status, code
):
    response = post(api, url(card, action), {"reason": "顾客来电"})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == status
    assert status_of(card) == status
    event = CardEvent.objects.exclude(kind="issue").get()
    assert (event.reason, event.store, event.operator) == ("顾客来电", store, None)
    audit = AuditEvent.objects.get(action=f"card.{event.kind}")
    assert audit.api_key == api_key_pair[0]
    # By its number the card says why; by the phone, a lost or frozen card says why too, while
    # a member whose card was cancelled is found without a card (a new one may be issued).
    error_of(api.get(LOOKUP, {"q": card.number}), 409, code)
    by_phone = api.get(LOOKUP, {"q": card.member.phone})
    if status == "cancelled":
        assert by_phone.json()["card"] is None
    else:
        error_of(by_phone, 409, code)


@pytest.mark.parametrize(("block", "undo"), [("report-loss", "unlock"), ("freeze", "unfreeze")])
def test_unlock_and_unfreeze_make_the_card_usable_again(api, card, block, undo):
    post(api, url(card, block))

    response = post(api, url(card, undo))

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "active"
    assert api.get(LOOKUP, {"q": card.number}).status_code == 200


def test_an_expired_card_is_refused_at_the_till(api, card):
    Card.objects.filter(pk=card.pk).update(expires_on=timezone.localdate() - datetime.timedelta(1))

    error_of(api.get(LOOKUP, {"q": card.number}), 409, "CARD_EXPIRED")


def test_a_card_expires_after_its_validity(api, register, card_type, time_machine):
    card_type.validity_months = 12
    card_type.save()
    time_machine.move_to(datetime.datetime(2026, 1, 15, 12, tzinfo=timezone.get_current_timezone()))
    card = register().cards.get()
    assert card.expires_on == datetime.date(2027, 1, 15)

    time_machine.move_to(datetime.datetime(2027, 1, 16, 12, tzinfo=timezone.get_current_timezone()))

    error_of(api.get(LOOKUP, {"q": card.number}), 409, "CARD_EXPIRED")
    # 以旧换新 gives a fresh validity period.
    renewed = post(api, url(card, "renew"))
    assert renewed.status_code == 201, renewed.content
    assert renewed.json()["expires_on"] == "2028-01-16"
    assert api.get(LOOKUP, {"q": renewed.json()["card_no"]}).status_code == 200


def test_replace_a_lost_card(api, member, card):
    post(api, url(card, "report-loss"))

    response = post(api, url(card, "replace"), {"fee_fen": 500, "medium": "ic", "reason": "补办"})

    assert response.status_code == 201, response.content
    new = response.json()
    assert new["card_no"] != card.number
    assert (new["status"], new["medium"], new["member_no"]) == ("active", "ic", member.member_no)
    assert status_of(card) == "replaced"
    event = CardEvent.objects.get(kind="replace")
    assert (event.card, event.new_card.number, event.fee_fen) == (card, new["card_no"], 500)
    # The member is found by the new card, and the old number is void for ever.
    assert api.get(LOOKUP, {"q": new["card_no"]}).json()["member_no"] == member.member_no
    error_of(api.get(LOOKUP, {"q": card.number}), 409, "CARD_REPLACED")
    error_of(post(api, url(card, "unlock")), 409, "CARD_ACTION_NOT_ALLOWED")


def test_renew_keeps_the_medium_unless_asked(api, card):
    response = post(api, url(card, "renew"))

    assert response.status_code == 201, response.content
    assert response.json()["medium"] == card.medium
    assert CardEvent.objects.get(kind="renew").fee_fen == card.card_type.fee_fen


def test_a_body_is_optional(api, card):
    response = api.post(url(card, "report-loss"), content_type="application/json")

    assert response.status_code == 200, response.content
    assert CardEvent.objects.get(kind="report_loss").reason == ""


@pytest.mark.parametrize(
    ("setup", "action"),
    [
        (None, "unlock"),
        (None, "unfreeze"),
        ("report-loss", "freeze"),
        ("report-loss", "renew"),
        ("freeze", "report-loss"),
        ("cancel", "cancel"),
        ("cancel", "replace"),
    ],
)
def test_an_action_the_cards_state_does_not_allow_writes_nothing(api, card, setup, action):
    if setup:
        post(api, url(card, setup))
    status = status_of(card)
    before = written()

    error = error_of(post(api, url(card, action)), 409, "CARD_ACTION_NOT_ALLOWED")

    assert "card_no" in error["fields"]
    assert written() == before
    assert status_of(card) == status


@pytest.mark.parametrize(
    "action", ["report-loss", "unlock", "replace", "renew", "freeze", "unfreeze", "cancel"]
)
def test_an_unknown_card_is_card_not_found(api, member, action):
    before = written()

    error_of(post(api, f"/api/v1/cards/880099999995/{action}"), 404, "CARD_NOT_FOUND")

    assert written() == before


@pytest.mark.parametrize("card_no", ["abc", "1234567", "1" * 33, "8800%2000001", "%00"])
def test_a_malformed_card_number_never_reaches_the_database(api, card_no):
    response = post(api, f"/api/v1/cards/{card_no}/report-loss")

    assert response.status_code in (404, 422), response.content
    assert response.json()["error"]["code"] in ("VALIDATION_ERROR", "NOT_FOUND")


@pytest.mark.parametrize(
    ("action", "body", "code"),
    [
        ("replace", {"fee_fen": -1}, "VALIDATION_ERROR"),
        ("replace", {"fee_fen": "500"}, "VALIDATION_ERROR"),
        ("replace", {"fee_fen": 1.5}, "VALIDATION_ERROR"),
        ("replace", {"fee_fen": True}, "VALIDATION_ERROR"),
        ("renew", {"medium": "paper"}, "VALIDATION_ERROR"),
        ("renew", {"medium": "rfid"}, "CARD_MEDIUM_NOT_ALLOWED"),
        ("replace", {"medium": "rfid"}, "CARD_MEDIUM_NOT_ALLOWED"),
        ("freeze", {"reason": "长" * 201}, "VALIDATION_ERROR"),
        ("freeze", [], "VALIDATION_ERROR"),
        ("freeze", '"x"', "VALIDATION_ERROR"),  # a JSON string
        ("renew", [1], "VALIDATION_ERROR"),
    ],
)
def test_bad_bodies_are_refused_and_write_nothing(api, card, action, body, code):
    before = written()

    error_of(post(api, url(card, action), body), 422, code)

    assert written() == before
    assert status_of(card) == "active"


def test_a_repeated_lifecycle_call_with_the_same_key_applies_once(api, card):
    first = post(api, url(card, "report-loss"), {"reason": "丢了"}, HTTP_IDEMPOTENCY_KEY="loss-1")
    again = post(api, url(card, "report-loss"), {"reason": "丢了"}, HTTP_IDEMPOTENCY_KEY="loss-1")

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert CardEvent.objects.filter(kind="report_loss").count() == 1
    # Without the key the repeat is a second call, refused by the card's state.
    error_of(post(api, url(card, "report-loss")), 409, "CARD_ACTION_NOT_ALLOWED")


def test_a_repeated_replace_with_the_same_key_issues_one_new_card(api, card):
    first = post(api, url(card, "replace"), HTTP_IDEMPOTENCY_KEY="replace-1")
    again = post(api, url(card, "replace"), HTTP_IDEMPOTENCY_KEY="replace-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["card_no"] == first.json()["card_no"]
    assert Card.objects.count() == 2


@pytest.mark.parametrize(
    "action", ["report-loss", "unlock", "replace", "renew", "freeze", "unfreeze", "cancel"]
)
def test_every_lifecycle_call_needs_a_key(client, card, action):
    before = written()

    error_of(post(client, url(card, action)), 401, "AUTH_REQUIRED")

    assert written() == before
    assert status_of(card) == "active"
