"""Browser: top up ¥500 under 充500送50 and see principal 500, bonus 50 and two ledger rows;
configure a rule with its example line; sell and use a count card; refund a top-up."""

import pytest
from playwright.sync_api import expect

from huiyuan.core.actors import Actor
from huiyuan.wallet import services
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD


@pytest.fixture
def member(register, stored_value_card_type):
    return register(card_type=stored_value_card_type)


def test_top_up_500_with_the_500_rule(page, live_server, make_operator, member, bonus_rules):
    desk = make_operator("member_service")
    login(page, live_server, desk.username, TEST_PASSWORD)
    page.get_by_test_id("navigation").get_by_role("link").filter(has_text="会员充值").click()
    page.get_by_label("识别会员").fill(member.phone)
    page.get_by_role("button", name="找会员").click()
    expect(page.get_by_test_id("rules-in-force")).to_contain_text("充 ¥500 → 赠 ¥50")

    form = page.get_by_test_id("top-up-form")
    form.get_by_label("充值金额（元）").fill("500")
    form.get_by_label("微信支付").check()
    form.get_by_label("支付流水号").fill("4200000001")
    form.get_by_role("button", name="确认充值").click()

    expect(page.get_by_text("充值成功：本金 ¥500，赠送 ¥50。")).to_be_visible()
    panel = page.get_by_test_id("wallet-panel")
    expect(panel.get_by_test_id("principal")).to_have_text("¥500.00")
    expect(panel.get_by_test_id("bonus")).to_have_text("¥50.00")
    rows = panel.get_by_test_id("stored-value-entries").get_by_test_id("entry")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="充值赠送")).to_contain_text("¥50.00")
    expect(rows.filter(has_text="本金")).to_contain_text("¥500.00")

    with page.expect_popup() as popup:
        page.get_by_test_id("slip-link").click()
    slip = popup.value
    expect(slip.get_by_test_id("slip")).to_contain_text("4200000001")


def test_marketing_adds_a_rule_and_sees_the_example(page, live_server, make_operator):
    marketing = make_operator("marketing")
    login(page, live_server, marketing.username, TEST_PASSWORD)
    page.get_by_test_id("navigation").get_by_role("link").filter(has_text="充值赠送规则").click()
    page.get_by_role("link", name="新建规则").click()
    form = page.get_by_test_id("rule-form")
    form.get_by_label("名称").fill("充1000送150")
    form.get_by_label("充值满（元）").fill("1000")
    form.get_by_label("赠送（元）").fill("150")
    expect(form.get_by_test_id("example-preview")).to_have_text("示例：充 ¥1000 → 赠 ¥150")
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("rules").get_by_test_id("example")).to_have_text(
        "充 ¥1,000 → 赠 ¥150"
    )

    page.get_by_role("link", name="新建规则").click()
    form = page.get_by_test_id("rule-form")
    form.get_by_label("名称").fill("重复")
    form.get_by_label("充值满（元）").fill("1000")
    form.get_by_label("赠送（元）").fill("100")
    form.get_by_role("button", name="保存").click()
    expect(
        page.get_by_text("与规则「充1000送150」的充值门槛相同、日期和适用等级重叠")
    ).to_be_visible()


def test_sell_and_use_a_count_card_then_refund_a_top_up(
    page, live_server, make_operator, member, car_wash, admin
):
    services.top_up(actor=Actor(), member=member, amount_fen=20_000, payment_method="cash")
    login(page, live_server, "admin", TEST_PASSWORD)
    page.goto(f"{live_server.url}/members/{member.member_no}/")
    page.get_by_test_id("sell-link").click()
    form = page.get_by_test_id("sell-form")
    form.get_by_label("套餐").select_option(label="洗车10次卡")
    form.get_by_label("现金").check()
    form.get_by_role("button", name="确认售卡").click()
    holding = member.count_cards.get()
    card = page.get_by_test_id(f"holding-{holding.number}")
    expect(card.get_by_test_id("remaining")).to_have_text("10")
    card.get_by_role("button", name="使用一次").click()
    expect(page.get_by_text("洗车10次卡 已使用 1 次，剩余 9 次")).to_be_visible()
    expect(
        page.get_by_test_id(f"holding-{holding.number}").get_by_test_id("remaining")
    ).to_have_text("9")

    page.get_by_test_id("topups").get_by_role("link", name="退款").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("refund-form").get_by_label("退款原因").fill("顾客退卡")
    page.get_by_role("button", name="确认退款").click()
    expect(page.get_by_text("已退款").first).to_be_visible()
    expect(page.get_by_test_id("wallet-panel").get_by_test_id("principal")).to_have_text("¥0.00")
