"""Marketing configures a tier on the page, runs the re-evaluation, and the member is upgraded;
a manager overrides a member's tier from the member page."""

import datetime

from playwright.sync_api import expect

from huiyuan.core.actors import Actor
from huiyuan.tiers.services import create_tier
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD


def test_marketing_configures_a_tier_and_the_member_is_upgraded(
    page, live_server, make_operator, register, earn
):
    create_tier(actor=Actor.system(), rank=0, name="普通", entry_threshold=0)
    member = register()
    earn(member, 300)  # only 普通 exists yet: nothing to reach
    login(page, live_server, make_operator("marketing").username, TEST_PASSWORD)

    page.get_by_test_id("navigation").get_by_role("link").filter(has_text="会员等级").click()
    page.get_by_role("link", name="新建等级").click()
    form = page.get_by_test_id("tier-form")
    form.get_by_label("级别序号").fill("1")
    form.get_by_label("名称").fill("银卡")
    form.get_by_label("升级门槛（积分）").fill("0")
    form.get_by_label("保级门槛（积分）").fill("0")
    form.get_by_label("折扣（千分比）").fill("950")
    form.get_by_label("会员权益").fill("免费停车 2 小时\n礼品包装")
    form.get_by_role("button", name="保存").click()
    expect(form.get_by_text("升级门槛须高于较低等级“普通”的 0 分")).to_be_visible()
    form.get_by_label("升级门槛（积分）").fill("300")
    form.get_by_label("保级门槛（积分）").fill("200")
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_text("会员等级“银卡”已保存")).to_be_visible()
    expect(page.get_by_test_id("examples")).to_contain_text("近 12 个月获得 300 分 → 银卡（95折")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("run-review").click()
    expect(page.get_by_text("评定完成：升级 1 人，保级 0 人，降级 0 人")).to_be_visible()

    page.goto(f"{live_server.url}/members/{member.member_no}/")
    panel = page.get_by_test_id("tier-panel")
    expect(panel.get_by_test_id("tier-name")).to_have_text("银卡")
    expect(panel.get_by_test_id("tier-benefits")).to_contain_text("95折")
    expect(panel.get_by_test_id("tier-perks")).to_contain_text("免费停车 2 小时")
    expect(panel.get_by_test_id("tier-history")).to_contain_text("普通 → 银卡")
    panel.scroll_into_view_if_needed()
    page.screenshot(path="test-results/tiers-member-panel.png", full_page=True)


def test_a_manager_overrides_a_tier_from_the_member_page(
    page, live_server, make_operator, register, tiers
):
    member = register()
    login(page, live_server, make_operator("store_manager").username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/members/{member.member_no}/")
    panel = page.get_by_test_id("tier-panel")
    expect(panel.get_by_test_id("tier-name")).to_have_text("普通")

    panel.get_by_text("手动指定等级").click()
    form = panel.get_by_test_id("override-form")
    form.get_by_label("指定等级").select_option(label="钻石")
    until = datetime.date.today() + datetime.timedelta(days=30)
    form.get_by_label("指定至").fill(until.isoformat())
    form.get_by_role("button", name="确认指定").click()
    expect(panel.get_by_text("这个字段是必填项。")).to_be_visible()  # the reason
    panel.get_by_test_id("override-form").get_by_label("原因").fill("集团重要客户")
    panel.get_by_test_id("override-form").get_by_role("button", name="确认指定").click()

    expect(panel.get_by_text("已手动指定会员等级")).to_be_visible()
    expect(panel.get_by_test_id("tier-name")).to_have_text("钻石")
    expect(panel.get_by_test_id("tier-override")).to_contain_text(until.isoformat())
    expect(panel.get_by_test_id("tier-benefits")).to_contain_text("88折")
