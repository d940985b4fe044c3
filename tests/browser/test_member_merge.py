"""Browser: the desk merges a duplicate record into a member; the kept member's balances include
the absorbed points and stored value, and the old member number opens the kept member."""

from playwright.sync_api import expect

from huiyuan.core.actors import Actor
from huiyuan.points.services import earn_points
from huiyuan.wallet import services as wallet
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD


def test_the_desk_merges_a_duplicate_member(
    page, live_server, make_operator, register, stored_value_card_type
):
    kept = register(name="张三", phone="13800138000", card_type=stored_value_card_type)
    absorbed = register(name="张三", phone="13900139000", card_type=stored_value_card_type)
    earn_points(actor=Actor.system(), member=kept, points=30)
    earn_points(actor=Actor.system(), member=absorbed, points=120)
    wallet.top_up(actor=Actor(), member=absorbed, amount_fen=20_000, payment_method="cash")
    desk = make_operator("member_service")
    login(page, live_server, desk.username, TEST_PASSWORD)

    page.goto(f"{live_server.url}/members/{kept.member_no}/")
    page.get_by_test_id("merge-action").click()
    page.get_by_label("重复的会员").fill(absorbed.phone)
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_test_id("merge-absorbed").get_by_test_id("side-points")).to_have_text("120")
    expect(page.get_by_test_id("merge-kept").get_by_test_id("side-points")).to_have_text("30")
    expect(page.get_by_test_id("merge-moves")).to_contain_text("将注销")
    form = page.get_by_test_id("merge-form")
    form.get_by_label("合并原因").fill("同一人重复登记")
    form.get_by_role("button", name=f"确认把 {absorbed.member_no} 合并到 {kept.member_no}").click()

    expect(page.get_by_text(f"会员 {absorbed.member_no} 已合并到本会员")).to_be_visible()
    expect(page.get_by_test_id("points-balance")).to_have_text("150")
    expect(page.get_by_test_id("wallet-panel").get_by_test_id("principal")).to_have_text("¥200.00")

    page.goto(f"{live_server.url}/members/{absorbed.member_no}/")
    expect(page.get_by_test_id("member-status")).to_have_text("已合并")
    page.get_by_test_id("merged-notice").get_by_role("link").click()
    expect(page.get_by_test_id("member-no")).to_have_text(kept.member_no)
    expect(page.get_by_test_id("points-balance")).to_have_text("150")
