"""The desk adjusts a member's points with a reason and sees the ledger row; marketing writes an
earn rule and sees its example line before and after saving."""

from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD


def test_the_desk_adjusts_points_with_a_reason(page, live_server, make_operator, register, earn):
    member = register()
    earn(member, 120, ref_type="order", ref_no="S0001")
    login(page, live_server, make_operator("member_service").username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/members/{member.member_no}/")
    panel = page.get_by_test_id("points-panel")
    expect(panel.get_by_test_id("points-balance")).to_have_text("120")
    expect(panel.get_by_test_id("points-lots")).to_contain_text("S0001")
    panel.screenshot(path="test-results/points-panel.png")
    panel.get_by_role("link", name="调整积分").click()

    form = page.get_by_test_id("desk-form")
    form.get_by_label("调整积分").fill("-200")
    form.get_by_label("调整原因").fill("误录扣回")
    form.get_by_role("button", name="确认调整").click()
    expect(form.get_by_text("积分不足")).to_be_visible()
    form.get_by_label("调整积分").fill("-20")
    form.get_by_role("button", name="确认调整").click()

    expect(page.get_by_text("调整积分 -20 分，当前积分 100")).to_be_visible()
    row = page.get_by_test_id("points-ledger").locator("tbody tr").first
    expect(row).to_contain_text("人工调整")
    expect(row).to_contain_text("-20")
    expect(row).to_contain_text("误录扣回")
    expect(page.get_by_test_id("points-balance")).to_have_text("100")
    page.screenshot(path="test-results/points-ledger.png", full_page=True)


def test_marketing_writes_an_earn_rule_with_its_example(page, live_server, make_operator):
    login(page, live_server, make_operator("marketing").username, TEST_PASSWORD)
    page.get_by_test_id("navigation").get_by_role("link").filter(has_text="积分规则").click()
    page.get_by_role("link", name="新建积分规则").click()
    form = page.get_by_test_id("rule-form")
    form.get_by_label("名称").fill("满100元积1分")
    form.get_by_label("每积 1 分所需金额（元）").fill("50")
    expect(form.get_by_test_id("rule-example")).to_contain_text("实付 ¥199.99 得 3 分")
    form.get_by_label("取整方式").select_option("half_up")
    expect(form.get_by_test_id("rule-example")).to_contain_text("实付 ¥199.99 得 4 分")
    form.get_by_label("取整方式").select_option("floor")
    form.get_by_label("每积 1 分所需金额（元）").fill("100")
    expect(form.get_by_test_id("rule-example")).to_contain_text("实付 ¥199.99 得 1 分")
    form.get_by_label("排除品类编码").fill("TOBACCO, GIFTCARD")
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_text("积分规则“满100元积1分”已保存")).to_be_visible()
    expect(page.get_by_test_id("rules")).to_contain_text("实付 ¥1,000.00 得 10 分")
    page.screenshot(path="test-results/points-rules.png", full_page=True)


def test_marketing_switches_to_calendar_clearing(page, live_server, make_operator):
    login(page, live_server, make_operator("marketing").username, TEST_PASSWORD)
    page.get_by_test_id("navigation").get_by_role("link").filter(has_text="积分设置").click()
    expect(page.get_by_test_id("program-examples")).to_contain_text("今天获得的积分有效期至")
    form = page.get_by_test_id("program-form")
    form.get_by_label("过期方式").select_option("calendar")
    form.get_by_label("最高抵扣订单比例（‰）").fill("1200")
    form.get_by_role("button", name="保存").click()
    expect(form.get_by_text("1000")).to_be_visible()
    form.get_by_label("最高抵扣订单比例（‰）").fill("300")
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_text("积分设置已保存")).to_be_visible()
    expect(page.get_by_test_id("program-examples")).to_contain_text("-12-31")
    expect(page.get_by_test_id("program-examples")).to_contain_text("生日当天消费积分 ×2")
    expect(page.get_by_test_id("program-examples")).to_contain_text("最多可用 3000 积分抵 ¥30.00")
    page.screenshot(path="test-results/points-program.png", full_page=True)
