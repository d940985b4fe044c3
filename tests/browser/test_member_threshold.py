"""办卡门槛 in a real browser: registering for a card type with a threshold asks for the day's
receipts, refuses too little next to the field, and issues the card once they reach it."""

import pytest
from playwright.sync_api import Page, expect

from huiyuan.members.models import Member
from tests.browser.conftest import login
from tests.browser.test_members import shot
from tests.factories import TEST_PASSWORD


@pytest.fixture(autouse=True)
def _card_types(card_type, gold_card_type):
    """STD and GOLD (¥200 threshold), re-made after an earlier test's flush."""


def test_register_for_a_card_with_a_registration_threshold(
    request, page: Page, live_server, make_operator
):
    make_operator("member_service", username="desk")
    login(page, live_server, "desk", TEST_PASSWORD)
    page.goto(f"{live_server.url}/members/register/")
    page.get_by_label("手机号").fill("13900139000")
    page.get_by_label("姓名").fill("李四")
    page.get_by_label("卡类型").select_option(label="金卡")
    receipts = page.get_by_label("当日小票金额（元）")
    expect(page.get_by_test_id("register-form")).to_contain_text("办卡门槛：金卡 ¥200.00")
    receipts.fill("150")
    page.get_by_role("button", name="登记并发卡").click()

    expect(page.get_by_test_id("register-form")).to_contain_text(
        "金卡须当日消费满 ¥200.00，当日小票金额为 ¥150.00"
    )
    shot(request, page, "threshold-refused")
    assert not Member.objects.exists()

    page.get_by_label("当日小票金额（元）").fill("236.80")
    page.get_by_role("button", name="登记并发卡").click()
    expect(page.get_by_role("alert")).to_contain_text("登记成功")
    card = Member.objects.get().cards.get()
    assert card.card_type.code == "GOLD"
    expect(page.get_by_test_id(f"card-{card.number}")).to_contain_text("当日小票金额 ¥236.80")
