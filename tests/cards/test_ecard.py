import datetime
import re

import pytest
import time_machine

from huiyuan.cards import ecard, services
from huiyuan.core.actors import Actor
from huiyuan.core.errors import ERRORS, DomainError
from huiyuan.members.selectors import lookup_member

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 5, 1, 10, 0, 0, tzinfo=datetime.UTC)


@pytest.fixture
def card(register):
    return register().cards.get()


def refused(token) -> str:
    with pytest.raises(DomainError) as error:
        ecard.verify_token(token)
    return error.value.code


def test_token_round_trip_and_lookup(card):
    token = ecard.make_token(card)
    assert re.fullmatch(r"HY1\.[0-9A-Z]+\.[0-9A-Z]+\.[A-Z2-7]{16}", token)
    assert card.number not in token
    assert ecard.verify_token(token) == card
    assert lookup_member(token) == (card.member, card)
    # A scanner that sends lower case, with stray whitespace, still works.
    assert lookup_member(f" {token.lower()}\n") == (card.member, card)


def test_token_is_compact_enough_for_a_small_qr(card):
    token = ecard.make_token(card)
    assert len(token) <= 40
    assert ecard.segno.make(token, error="m", micro=False).version <= 3


@pytest.mark.parametrize("position", [4, -1, -10])
def test_a_flipped_character_makes_the_token_invalid(card, position):
    token = ecard.make_token(card)
    chars = list(token)
    chars[position] = "B" if chars[position] != "B" else "C"
    tampered = "".join(chars)
    assert refused(tampered) == "ECARD_TOKEN_INVALID"
    with pytest.raises(DomainError) as error:
        lookup_member(tampered)
    assert error.value.code == "ECARD_TOKEN_INVALID"
    assert error.value.status == 400


@pytest.mark.parametrize("garbage", ["HY1.", "HY1.1.2.3", "HY1.!!.??.**", "hy1." + "A" * 60])
def test_malformed_tokens_are_invalid(garbage):
    assert refused(garbage) == "ECARD_TOKEN_INVALID"


def test_token_of_another_card_cannot_be_forged_by_changing_the_id(card, register):
    other = register(name="李四", phone="13900139000").cards.get()
    token = ecard.make_token(card)
    _, card_id, expires, signature = token.split(".")
    forged = f"HY1.{ecard._base36(other.pk)}.{expires}.{signature}"
    assert refused(forged) == "ECARD_TOKEN_INVALID"


def test_token_expires_after_sixty_seconds(card):
    with time_machine.travel(T0, tick=False) as clock:
        token = ecard.make_token(card)
        clock.shift(59)
        assert ecard.verify_token(token) == card
        clock.shift(2)
        assert refused(token) == "ECARD_TOKEN_EXPIRED"
        with pytest.raises(DomainError) as error:
            lookup_member(token)
        assert (error.value.code, error.value.status) == ("ECARD_TOKEN_EXPIRED", 409)


def test_token_lifetime_follows_the_setting(card, settings):
    settings.HUIYUAN_ECARD_TOKEN_SECONDS = 10
    with time_machine.travel(T0, tick=False) as clock:
        token = ecard.make_token(card)
        clock.shift(11)
        assert refused(token) == "ECARD_TOKEN_EXPIRED"


def test_token_of_a_card_lost_after_issuing_is_refused_on_lookup(card, admin, store):
    token = ecard.make_token(card)
    services.report_card_loss(actor=Actor(operator=admin, store=store), card=card)
    # The token itself is still genuine; the card behind it is not usable.
    assert ecard.verify_token(token) == card
    with pytest.raises(DomainError) as error:
        lookup_member(token)
    assert error.value.code == "CARD_LOST"


def test_new_error_codes_are_registered():
    assert ERRORS["ECARD_TOKEN_EXPIRED"].status == 409
    assert ERRORS["ECARD_TOKEN_INVALID"].status == 400


def test_barcode_svg_carries_the_card_number(card):
    svg = ecard.barcode_svg(card.number)
    assert svg.startswith("<svg")
    assert card.number in svg


def test_qr_svg_carries_the_token_not_the_card_number(card):
    token = ecard.make_token(card)
    svg = ecard.qr_svg(token)
    assert svg.startswith("<svg")
    assert card.number not in svg
    assert token not in svg  # modules only, no text


# The e-card page


def test_ecard_page_shows_barcode_and_qr_for_an_active_card(admin_client, card):
    response = admin_client.get(f"/cards/ecard/{card.number}/")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    html = response.content.decode()
    assert 'data-testid="ecard-barcode"' in html
    assert 'data-testid="ecard-qr"' in html
    assert 'hx-trigger="every 50s,' in html
    # A tab brought back from the background (where browsers slow timers down) renews at once.
    assert "visibilitychange" in html
    assert card.member.name in html


def test_codes_fragment_gives_a_fresh_qr(admin_client, card, settings):
    settings.HUIYUAN_ECARD_REFRESH_SECONDS = 5
    url = f"/cards/ecard/{card.number}/codes/"
    with time_machine.travel(T0, tick=False) as clock:
        first = admin_client.get(url, HTTP_HX_REQUEST="true").content.decode()
        clock.shift(5)
        second = admin_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in first
    assert 'hx-trigger="every 5s,' in first
    qr = re.compile(r'data-testid="ecard-qr".*?</svg>', re.S)
    assert qr.search(first).group() != qr.search(second).group()


@pytest.mark.parametrize(
    ("action", "reason"),
    [(services.report_card_loss, "该卡已挂失"), (services.freeze_card, "该卡已冻结")],
)
def test_a_lost_or_frozen_card_shows_no_codes_only_the_reason(
    admin_client, admin, store, card, action, reason
):
    action(actor=Actor(operator=admin, store=store), card=card)
    for url in (f"/cards/ecard/{card.number}/", f"/cards/ecard/{card.number}/codes/"):
        html = admin_client.get(url).content.decode()
        assert reason in html
        assert "<svg" not in html
        assert "hx-trigger" not in html  # no more polling


def test_ecard_page_needs_login_and_the_view_card_permission(client, make_operator, card):
    from django.contrib.auth.models import Permission

    page, codes = f"/cards/ecard/{card.number}/", f"/cards/ecard/{card.number}/codes/"
    assert client.get(page)["Location"].startswith("/staff/login/")
    assert client.get(codes)["Location"].startswith("/staff/login/")
    cashier = make_operator("cashier")  # the cashier role may view cards
    client.force_login(cashier)
    assert (client.get(page).status_code, client.get(codes).status_code) == (200, 200)
    cashier.groups.clear()
    cashier.user_permissions.add(Permission.objects.get(codename="view_member"))
    client.force_login(cashier)
    assert (client.get(page).status_code, client.get(codes).status_code) == (403, 403)


def test_a_poll_after_the_session_ended_reloads_the_page(client, card):
    response = client.get(f"/cards/ecard/{card.number}/codes/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    assert b"<svg" not in response.content


def test_unknown_card_is_404(admin_client):
    assert admin_client.get("/cards/ecard/8800000000/").status_code == 404


# GET /members/lookup accepts the token (the API wraps lookup_member)


def test_api_lookup_accepts_a_token_and_refuses_bad_ones(api, card):
    with time_machine.travel(T0, tick=False) as clock:
        token = ecard.make_token(card)
        response = api.get("/api/v1/members/lookup", {"q": token})
        assert response.status_code == 200, response.content
        assert response.json()["member_no"] == card.member.member_no
        tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
        response = api.get("/api/v1/members/lookup", {"q": tampered})
        assert (response.status_code, response.json()["error"]["code"]) == (
            400,
            "ECARD_TOKEN_INVALID",
        )
        clock.shift(61)
        response = api.get("/api/v1/members/lookup", {"q": token})
        assert (response.status_code, response.json()["error"]["code"]) == (
            409,
            "ECARD_TOKEN_EXPIRED",
        )


def test_ecard_page_in_english(admin_client, card, settings):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = admin_client.get(f"/cards/ecard/{card.number}/").content.decode()
    assert "E-card" in html
    assert "The QR code is valid for 60 seconds and renews itself" in html
