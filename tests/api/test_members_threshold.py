"""办卡门槛 in the API: `POST /members` with a card type and `POST /members/{member_no}/cards`
need `receipt_total_fen` to reach the type's threshold, else `409 REGISTRATION_THRESHOLD_NOT_MET`
with nothing written."""

import pytest

from huiyuan.cards.models import CardEvent
from huiyuan.core.models import AuditEvent
from tests.api.test_members_api import MEMBERS, error_of, post, written

pytestmark = pytest.mark.django_db

MESSAGE = "金卡须当日消费满 ¥200.00，当日小票金额为 ¥150.00"


def registration(**more):
    return {"name": "李四", "phone": "13900139000", "card_type_code": "GOLD", **more}


@pytest.mark.parametrize("more", [{}, {"receipt_total_fen": 15000}])
def test_register_below_the_threshold_is_refused(api, gold_card_type, more):
    before = written()
    error = error_of(
        post(api, MEMBERS, registration(**more)), 409, "REGISTRATION_THRESHOLD_NOT_MET"
    )
    assert error["message"] == "未达到该卡类型的办卡消费门槛"
    assert set(error["fields"]) == {"receipt_total_fen"}
    if more:
        assert error["fields"]["receipt_total_fen"] == MESSAGE
    assert written() == before


def test_register_with_enough_receipts_issues_the_card_and_records_them(api, gold_card_type):
    response = post(api, MEMBERS, registration(receipt_total_fen=20000))
    assert response.status_code == 201, response.content
    card = response.json()["card"]
    assert card["card_type_code"] == "GOLD"
    assert CardEvent.objects.get(card__number=card["card_no"]).reason == "当日小票金额 ¥200.00"
    assert AuditEvent.objects.get(action="card.issue").after["receipt_total_fen"] == 20000


@pytest.mark.parametrize("bad", ["20000", 200.5, -1, True])
def test_receipt_total_must_be_a_whole_non_negative_number_of_fen(api, gold_card_type, bad):
    before = written()
    error = error_of(
        post(api, MEMBERS, registration(receipt_total_fen=bad)), 422, "VALIDATION_ERROR"
    )
    assert "receipt_total_fen" in error["fields"]
    assert written() == before


def test_issue_a_card_below_and_at_the_threshold(api, register, gold_card_type):
    member = register(card_type=None)
    url = f"{MEMBERS}/{member.member_no}/cards"
    before = written()
    body = {"card_type_code": "GOLD", "receipt_total_fen": 15000}
    error = error_of(post(api, url, body), 409, "REGISTRATION_THRESHOLD_NOT_MET")
    assert error["fields"] == {"receipt_total_fen": MESSAGE}
    assert written() == before
    response = post(api, url, {**body, "receipt_total_fen": 30000})
    assert response.status_code == 201, response.content
    assert member.cards.get().card_type == gold_card_type


def test_a_card_type_without_a_threshold_ignores_the_field(api, card_type):
    response = post(api, MEMBERS, registration(card_type_code="STD"))
    assert response.status_code == 201, response.content
