"""办卡门槛 on the pages: the counter registration and the member page's issue form ask for
当日小票金额 only while a card type has a threshold, name the thresholds, and refuse too little
next to the field, writing nothing."""

import pytest
from django.urls import reverse

from huiyuan.cards.models import Card, CardEvent
from huiyuan.members.models import Member
from tests.members.test_pages import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, make_operator):
    client.force_login(make_operator("member_service"))
    return client


def test_the_field_is_there_only_while_a_card_type_has_a_threshold(desk, card_type):
    page = desk.get(reverse("members:register"))
    assert "receipt_total_fen" not in page.context["form"].fields
    assert "当日小票金额" not in page.text


def test_the_field_names_each_threshold(desk, card_type, gold_card_type):
    page = desk.get(reverse("members:register"))
    field = page.context["form"].fields["receipt_total_fen"]
    assert field.help_text == "办卡门槛：金卡 ¥200.00（须当日消费满此金额）；其他卡类型不必填写"
    assert "当日小票金额（元）" in page.text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "金卡须当日消费满 ¥200.00，当日小票金额为 ¥0.00"),
        ("199.99", "金卡须当日消费满 ¥200.00，当日小票金额为 ¥199.99"),
        ("abc", "请填写金额，如 10 或 10.50"),
        ("-5", "金额不能为负"),
    ],
)
def test_registration_below_the_threshold_is_refused_next_to_the_field(
    desk, gold_card_type, typed, message
):
    data = form_data(card_type=str(gold_card_type.pk), receipt_total_fen=typed)
    page = desk.post(reverse("members:register"), data)
    assert page.status_code == 200
    assert page.context["form"].errors["receipt_total_fen"] == [message]
    assert not Member.objects.exists()
    assert not Card.objects.exists()


def test_registration_with_enough_receipts_gets_the_card(desk, gold_card_type):
    data = form_data(card_type=str(gold_card_type.pk), receipt_total_fen="268.50")
    page = desk.post(reverse("members:register"), data)
    assert page.status_code == 302
    card = Member.objects.get().cards.get()
    assert card.card_type == gold_card_type
    assert CardEvent.objects.get(card=card).reason == "当日小票金额 ¥268.50"


def test_a_standard_card_needs_no_receipts_even_when_gold_exists(desk, card_type, gold_card_type):
    page = desk.post(reverse("members:register"), form_data(card_type=str(card_type.pk)))
    assert page.status_code == 302
    assert Member.objects.get().cards.get().card_type == card_type


def test_the_member_pages_issue_form_checks_the_threshold(desk, register, gold_card_type):
    member = register(card_type=None)
    url = reverse("cards:issue", args=[member.member_no])
    detail = desk.get(reverse("members:detail", args=[member.member_no]))
    assert "receipt_total_fen" in detail.context["issue_form"].fields
    data = {"card_type": gold_card_type.pk, "medium": "ic", "receipt_total_fen": "150"}
    page = desk.post(url, data, follow=True)
    assert "发卡未完成：金卡须当日消费满 ¥200.00，当日小票金额为 ¥150.00" in page.text
    assert not member.cards.exists()
    page = desk.post(url, {**data, "receipt_total_fen": "200"}, follow=True)
    card = member.cards.get()
    assert f"已发卡，卡号 {card.number}" in page.text
    assert "当日小票金额 ¥200.00" in page.text  # the card's issue event
