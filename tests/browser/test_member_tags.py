from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD


def test_the_desk_adds_and_renames_a_tag(page, live_server, make_operator):
    desk = make_operator("member_service")
    login(page, live_server, desk.username, TEST_PASSWORD)
    page.get_by_test_id("navigation").get_by_role("link").filter(has_text="会员标签").click()
    form = page.get_by_test_id("tag-form")
    form.get_by_label("标签名").fill("企业客户")
    form.get_by_role("button", name="添加").click()
    expect(page.get_by_text("已添加标签“企业客户”")).to_be_visible()
    table = page.get_by_test_id("tag-table")
    table.get_by_label("标签名").fill("企业大客户")
    table.get_by_role("button", name="改名").click()
    expect(table.get_by_label("标签名")).to_have_value("企业大客户")
