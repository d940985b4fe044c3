"""The card lifecycle buttons of the member page (cards views): each calls one service,
refusals are Chinese messages and write nothing, and only cards.change_card may press them."""

import pytest
from django.urls import reverse

from huiyuan.cards.models import Card, CardEvent
from huiyuan.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, make_operator):
    client.force_login(make_operator("member_service"))
    return client


@pytest.fixture
def card(register):
    return register().cards.get()


def act(client, card, action, **data):
    return client.post(reverse("cards:action", args=[card.number, action]), data, follow=True)


def test_report_loss_then_unlock(desk, card):
    page = act(desk, card, "report_loss", reason="顾客电话挂失")
    assert page.redirect_chain[-1][0] == reverse("members:detail", args=[card.member.member_no])
    assert f"卡 {card.number} 挂失完成" in page.text
    card.refresh_from_db()
    assert card.status == Card.Status.LOST
    event = CardEvent.objects.get(card=card, kind="report_loss")
    assert event.reason == "顾客电话挂失"
    assert event.operator is not None
    assert "已挂失" in page.text
    assert "确认解挂" in page.text
    act(desk, card, "unlock")
    card.refresh_from_db()
    assert card.status == Card.Status.ACTIVE


def test_freeze_and_unfreeze(desk, card):
    act(desk, card, "freeze", reason="核查")
    card.refresh_from_db()
    assert card.status == Card.Status.FROZEN
    act(desk, card, "unfreeze")
    card.refresh_from_db()
    assert card.status == Card.Status.ACTIVE


def test_replace_gives_a_new_number_with_medium_and_fee(desk, card):
    act(desk, card, "report_loss")
    page = act(desk, card, "replace", medium="magnetic", fee="10.50", reason="补办")
    card.refresh_from_db()
    assert card.status == Card.Status.REPLACED
    new = card.member.cards.get(status=Card.Status.ACTIVE)
    assert new.number != card.number
    assert new.medium == "magnetic"
    assert f"新卡号 {new.number}" in page.text
    assert CardEvent.objects.get(card=card, kind="replace").fee_fen == 1050


def test_renew_with_the_card_types_fee_when_blank(desk, card):
    act(desk, card, "renew", medium="ic", fee="")
    card.refresh_from_db()
    assert card.status == Card.Status.REPLACED
    assert CardEvent.objects.get(card=card, kind="renew").fee_fen == card.card_type.fee_fen


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("unlock", {}, "该卡当前状态不允许此操作"),
        ("unfreeze", {}, "该卡当前状态不允许此操作"),
        ("replace", {"medium": "rfid"}, "该卡类型不支持此介质"),
        ("replace", {"medium": "ic", "fee": "abc"}, "请填写金额"),
        ("replace", {"medium": "ic", "fee": "-1"}, "费用不能为负"),
        ("replace", {}, "这个字段是必填项。"),
    ],
)
def test_refusals_are_chinese_and_write_nothing(desk, card, action, data, message):
    events, audits = CardEvent.objects.count(), AuditEvent.objects.count()
    page = act(desk, card, action, **data)
    assert page.status_code == 200
    assert message in page.text
    card.refresh_from_db()
    assert card.status == Card.Status.ACTIVE
    assert Card.objects.count() == 1
    assert (CardEvent.objects.count(), AuditEvent.objects.count()) == (events, audits)


def test_lifecycle_needs_change_card(client, make_operator, card):
    client.force_login(make_operator("cashier"))
    page = client.post(reverse("cards:action", args=[card.number, "report_loss"]))
    assert page.status_code == 403
    card.refresh_from_db()
    assert card.status == Card.Status.ACTIVE


def test_lifecycle_needs_a_login_and_a_post(client, desk, card):
    url = reverse("cards:action", args=[card.number, "report_loss"])
    assert desk.get(url).status_code == 405
    client.logout()
    page = client.post(url)
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("staff:login"))


def test_unknown_card_is_404_and_unknown_action_changes_nothing(desk, card):
    assert desk.post(reverse("cards:action", args=["123", "report_loss"])).status_code == 404
    act(desk, card, "explode")
    card.refresh_from_db()
    assert card.status == Card.Status.ACTIVE


def test_cancel_card(desk, card):
    act(desk, card, "cancel", reason="本人申请")
    card.refresh_from_db()
    assert card.status == Card.Status.CANCELLED


def test_issue_a_card_to_a_member_without_one(desk, card):
    member = card.member
    detail = reverse("members:detail", args=[member.member_no])
    assert desk.get(detail).context["issue_form"] is None  # holds a live card
    act(desk, card, "cancel", reason="卡损坏")
    assert desk.get(detail).context["issue_form"] is not None
    url = reverse("cards:issue", args=[member.member_no])
    page = desk.post(url, {"card_type": card.card_type.pk, "medium": "rfid"}, follow=True)
    assert "该卡类型不支持此介质" in page.text
    assert member.cards.count() == 1
    page = desk.post(url, {"card_type": card.card_type.pk, "medium": "ic"}, follow=True)
    new = member.cards.get(status=Card.Status.ACTIVE)
    assert f"已发卡，卡号 {new.number}" in page.text
    page = desk.post(url, {"card_type": card.card_type.pk, "medium": "ic"}, follow=True)
    assert "该会员已有一张有效的会员卡" in page.text
    assert member.cards.count() == 2


def test_issue_needs_add_card(client, make_operator, card):
    client.force_login(make_operator("cashier"))
    url = reverse("cards:issue", args=[card.member.member_no])
    assert client.post(url, {"card_type": card.card_type.pk, "medium": "ic"}).status_code == 403


def test_member_page_links_an_active_card_to_its_ecard_page(desk, card):
    from django.urls import NoReverseMatch

    page = desk.get(reverse("members:detail", args=[card.member.member_no]))
    try:
        url = reverse("ecard:page", args=[card.number])
    except NoReverseMatch:
        return
    assert url in page.text
