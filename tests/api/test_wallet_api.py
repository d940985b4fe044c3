"""The stored-value and count-card calls of API.md: ledger, top-up, count cards; each error code."""

import pytest

from huiyuan.cards import services as card_services
from huiyuan.core.actors import Actor
from huiyuan.points.selectors import points_balance
from huiyuan.wallet.models import CountCardEntry, StoredValueEntry, TopUp, WalletSettings
from tests.api.test_members_api import error_of, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(register, stored_value_card_type):
    return register(card_type=stored_value_card_type)


def topups_url(member):
    return f"/api/v1/members/{member.member_no}/topups"


def count_cards_url(member):
    return f"/api/v1/members/{member.member_no}/count-cards"


def uses_url(member, holding_id):
    return f"{count_cards_url(member)}/{holding_id}/uses"


def wallet_rows():
    return StoredValueEntry.objects.count(), TopUp.objects.count(), CountCardEntry.objects.count()


def test_top_up_credits_principal_and_bonus_and_answers_the_balances(
    api, member, bonus_rules, store
):
    response = post(
        api,
        topups_url(member),
        {"amount_fen": 50_000, "payment_method": "wechat", "external_ref": "4200001"},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["topup_no"].startswith("CZ")
    assert (body["amount_fen"], body["bonus_fen"], body["rule"]) == (50_000, 5_000, "充500送50")
    assert body["external_ref"] == "4200001"
    assert body["points"] == 0
    assert body["balances"] == {"principal_fen": 50_000, "bonus_fen": 5_000, "total_fen": 55_000}
    assert body["created_at"].endswith("+08:00")

    ledger = api.get(f"/api/v1/members/{member.member_no}/stored-value/ledger").json()
    assert ledger["count"] == 2
    rows = [(r["kind"], r["pot"], r["delta_fen"], r["balance_after_fen"]) for r in ledger["items"]]
    assert sorted(rows) == [
        ("bonus", "bonus", 5_000, 5_000),
        ("topup", "principal", 50_000, 50_000),
    ]
    assert {r["ref_no"] for r in ledger["items"]} == {body["topup_no"]}
    assert {r["store_code"] for r in ledger["items"]} == {store.code}


def test_top_up_is_idempotent(api, member):
    body = {"amount_fen": 10_000, "payment_method": "cash"}
    first = post(api, topups_url(member), body, HTTP_IDEMPOTENCY_KEY="till-1-0001")
    again = post(api, topups_url(member), body, HTTP_IDEMPOTENCY_KEY="till-1-0001")

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert TopUp.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount_fen": 0, "payment_method": "cash"}, "amount_fen"),
        ({"amount_fen": -100, "payment_method": "cash"}, "amount_fen"),
        ({"amount_fen": "100", "payment_method": "cash"}, "amount_fen"),
        ({"amount_fen": 100.0, "payment_method": "cash"}, "amount_fen"),
        ({"amount_fen": 10**13, "payment_method": "cash"}, "amount_fen"),
        ({"amount_fen": 100, "payment_method": "bitcoin"}, "payment_method"),
        ({"amount_fen": 100}, "payment_method"),
    ],
)
def test_bad_top_up_is_a_validation_error_and_writes_nothing(api, member, body, field):
    error = error_of(post(api, topups_url(member), body), 422, "VALIDATION_ERROR")
    assert field in error["fields"]
    assert wallet_rows() == (0, 0, 0)


def test_zero_top_up_says_why_in_chinese(api, member):
    error = error_of(
        post(api, topups_url(member), {"amount_fen": 0, "payment_method": "cash"}),
        422,
        "VALIDATION_ERROR",
    )
    assert error["fields"] == {"amount_fen": "必须是大于 0 的整数"}


def test_the_largest_top_up_with_points_fits_every_column(api, member):
    """10¹² fen at the most points per yuan: more points than a 32-bit column holds (PostgreSQL
    answered 500 'integer out of range')."""
    WalletSettings.objects.update_or_create(pk=1, defaults={"topup_points_per_yuan": 32_767})
    response = post(api, topups_url(member), {"amount_fen": 10**12, "payment_method": "cash"})
    assert response.status_code == 201, response.content
    assert response.json()["points"] == 10**10 * 32_767
    assert points_balance(member) == 10**10 * 32_767


def test_top_up_refusals(api, member, register):
    body = {"amount_fen": 100, "payment_method": "cash"}
    error_of(post(api, "/api/v1/members/99999999/topups", body), 404, "MEMBER_NOT_FOUND")
    plain = register(name="李四", phone="13900139000")  # the standard card: no stored value
    error_of(post(api, topups_url(plain), body), 409, "ACCOUNT_NOT_AVAILABLE")
    card_services.cancel_card(actor=Actor.system(), card=member.cards.get())
    error_of(post(api, topups_url(member), body), 409, "CARD_CANCELLED")
    assert wallet_rows() == (0, 0, 0)


def test_sell_list_and_use_count_cards(api, member, car_wash):
    sold = post(
        api, count_cards_url(member), {"package_code": "WASH10", "payment_method": "alipay"}
    )
    assert sold.status_code == 201, sold.content
    holding = sold.json()
    assert (holding["package_name"], holding["uses"], holding["remaining"]) == (
        "洗车10次卡",
        10,
        10,
    )
    assert holding["covers"] == ["SVC-WASH"]
    assert holding["expires_on"] is not None

    used = post(api, uses_url(member, holding["id"]), {"uses": 2, "ref_no": "W-1"})
    assert used.status_code == 200, used.content
    assert used.json()["remaining"] == 8
    once = post(api, uses_url(member, holding["id"]))  # no body: one use
    assert once.json()["remaining"] == 7

    listed = api.get(count_cards_url(member)).json()
    assert listed["count"] == 1
    assert listed["items"][0]["remaining"] == 7


def test_count_card_sale_and_use_are_idempotent(api, member, car_wash):
    body = {"package_code": "WASH10", "payment_method": "cash"}
    first = post(api, count_cards_url(member), body, HTTP_IDEMPOTENCY_KEY="sale-1")
    again = post(api, count_cards_url(member), body, HTTP_IDEMPOTENCY_KEY="sale-1")
    assert again.content == first.content
    holding_id = first.json()["id"]
    for _ in range(3):
        used = post(api, uses_url(member, holding_id), {}, HTTP_IDEMPOTENCY_KEY="use-1")
    assert used.json()["remaining"] == 9
    assert CountCardEntry.objects.count() == 2


def test_count_card_refusals(api, member, car_wash, register, stored_value_card_type):
    body = {"package_code": "NOPE", "payment_method": "cash"}
    error_of(post(api, count_cards_url(member), body), 404, "COUNT_CARD_PACKAGE_NOT_FOUND")
    holding = post(
        api, count_cards_url(member), {"package_code": "WASH10", "payment_method": "cash"}
    ).json()
    other = register(name="王五", phone="13700137000", card_type=stored_value_card_type)
    error_of(post(api, uses_url(other, holding["id"])), 404, "COUNT_CARD_NOT_FOUND")
    error_of(post(api, uses_url(member, 999_999)), 404, "COUNT_CARD_NOT_FOUND")
    error_of(post(api, uses_url(member, holding["id"]), {"uses": 0}), 422, "VALIDATION_ERROR")
    error_of(post(api, uses_url(member, holding["id"]), {"uses": 11}), 409, "COUNT_CARD_EXHAUSTED")
    assert CountCardEntry.objects.count() == 1


def test_an_expired_count_card_is_refused(api, member, car_wash):
    import datetime

    from huiyuan.wallet.models import CountCardHolding

    holding = post(
        api, count_cards_url(member), {"package_code": "WASH10", "payment_method": "cash"}
    ).json()
    CountCardHolding.objects.filter(pk=holding["id"]).update(expires_on=datetime.date(2020, 1, 1))
    error_of(post(api, uses_url(member, holding["id"])), 409, "COUNT_CARD_EXPIRED")


def test_calls_need_a_key(client, member):
    response = client.get(f"/api/v1/members/{member.member_no}/stored-value/ledger")
    error_of(response, 401, "AUTH_REQUIRED")
