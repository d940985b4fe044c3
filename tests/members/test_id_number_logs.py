"""The ID number never reaches the logs: registering (page and API), a refused registration (bad
checksum, an ID already holding a card) and a search by ID number, with every logger at DEBUG."""

import logging

import pytest
from django.urls import reverse

from tests.api.test_members_api import MEMBERS, post
from tests.conftest import RESIDENT_IDS
from tests.members.test_pages import form_data

pytestmark = pytest.mark.django_db

HELD, BAD = RESIDENT_IDS[1], RESIDENT_IDS[1][:-1] + "8"


def test_no_log_line_holds_an_id_number(client, api, make_operator, card_type, caplog):
    caplog.set_level(logging.DEBUG)
    client.force_login(make_operator("member_service"))
    register = reverse("members:register")
    data = form_data(card_type=str(card_type.pk), id_number=HELD)
    assert client.post(register, data).status_code == 302
    assert client.post(register, {**data, "phone": "13900139000"}).status_code == 200
    assert client.post(register, {**data, "id_number": BAD}).status_code == 200
    assert client.get(reverse("members:search"), {"q": HELD}).status_code == 200
    check = {"id_type": "resident_id", "id_number": HELD}
    assert client.get(reverse("members:check_id"), check).status_code == 200

    body = {"name": "李四", "phone": "13700137000", "id_number": HELD}
    assert post(api, MEMBERS, body).status_code == 409
    assert post(api, MEMBERS, {**body, "id_number": BAD}).status_code == 422
    assert post(api, MEMBERS, {**body, "id_number": RESIDENT_IDS[2]}).status_code == 201
    assert api.get(MEMBERS, {"q": HELD}).status_code == 200

    assert caplog.records  # the refusals were logged…
    for number in (HELD, BAD, RESIDENT_IDS[2]):
        assert number not in caplog.text  # …without the number
        assert number[6:14] not in caplog.text  # not even its birth date
