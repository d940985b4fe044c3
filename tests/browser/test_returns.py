# ruff: noqa: F811 (pytest fixtures imported from tests.sales)
"""A cashier returns a line from a receipt barcode: scan, choose the quantity, check the refund
plan, confirm, print the slip (keyboard for the scan, as a scanner types)."""

from playwright.sync_api import expect

from huiyuan.points.models import PointsAccount
from huiyuan.sales.models import SalesReturn
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD
from tests.sales.fixtures import earn_rule, goods  # noqa: F401 (fixtures)
from tests.sales.orders_fixtures import sell, stocked, with_stored_value  # noqa: F401
from tests.sales.test_returns_pages import grant


def test_return_a_line_from_a_receipt_barcode(
    page, live_server, make_operator, register, sell, stocked, with_stored_value, earn_rule
):
    member = register()
    with_stored_value(member, 5000)
    order = sell(
        [("RICE", 1), ("OIL", 2), ("COLA", 3)],
        member=member,
        pay=[("stored_value", 5000), ("cash", 20000)],
    )
    oil = order.lines.get(product_code="OIL")
    cashier = grant(make_operator("cashier"), "add_salesreturn", "view_salesreturn")
    login(page, live_server, cashier.username, TEST_PASSWORD)

    page.goto(f"{live_server.url}/returns/")
    scan = page.get_by_label("扫描小票条码或输入销售单号")
    expect(scan).to_be_focused()
    page.screenshot(path="test-results/returns/return-start.png", full_page=True)
    page.keyboard.type(order.order_no)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("order-summary")).to_contain_text(member.name)
    page.get_by_label("花生油 退货数量").fill("1")
    page.get_by_role("button", name="计算退款").click()
    plan = page.get_by_test_id("plan")
    expect(plan).to_contain_text("储值")
    expect(page.get_by_test_id("plan-total")).to_have_text("¥50.00")
    expect(page.get_by_test_id("plan-notes")).to_contain_text(f"扣回积分 {oil.points_earned // 2}")
    page.screenshot(path="test-results/returns/return-plan.png", full_page=True)
    page.get_by_test_id("confirm").click()

    sales_return = SalesReturn.objects.get()
    expect(page.get_by_test_id("slip")).to_contain_text(sales_return.return_no)
    expect(page.get_by_test_id("slip-total")).to_have_text("¥50.00")
    page.screenshot(path="test-results/returns/return-slip.png", full_page=True)
    assert sales_return.points_clawed_back == oil.points_earned // 2
    assert PointsAccount.objects.get(member=member).balance == (
        order.points_earned - oil.points_earned // 2
    )


def test_a_return_on_the_keyboard_only(
    page, live_server, make_operator, register, sell, stocked, with_stored_value, earn_rule
):
    """Scan the receipt, Tab to the line, type the quantity, Enter for the plan, Enter to
    confirm: no click anywhere."""
    member = register()
    with_stored_value(member, 5000)
    order = sell(
        [("RICE", 1), ("OIL", 2), ("COLA", 3)],
        member=member,
        pay=[("stored_value", 5000), ("cash", 20000)],
    )
    oil = order.lines.get(product_code="OIL")
    cashier = grant(make_operator("cashier"), "add_salesreturn", "view_salesreturn")
    login(page, live_server, cashier.username, TEST_PASSWORD)

    page.goto(f"{live_server.url}/returns/")
    expect(page.get_by_label("扫描小票条码或输入销售单号")).to_be_focused()
    page.keyboard.type(order.order_no)
    page.keyboard.press("Enter")
    expect(page.get_by_label("东北大米 退货数量")).to_be_focused()
    expect(page.get_by_test_id("keys")).to_contain_text("Enter 计算退款")
    page.keyboard.press("Tab")
    expect(page.get_by_label("花生油 退货数量")).to_be_focused()
    page.keyboard.type("1")
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("plan-total")).to_have_text("¥50.00")
    expect(page.get_by_test_id("plan-notes")).to_contain_text(f"扣回积分 {oil.points_earned // 2}")
    expect(page.get_by_test_id("confirm")).to_be_focused()
    expect(page.get_by_label("花生油 退货数量")).to_have_value("1")
    assert not SalesReturn.objects.exists()  # the plan alone returns nothing
    page.screenshot(path="test-results/returns/keyboard-plan.png", full_page=True)
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("slip-total")).to_have_text("¥50.00")
    sales_return = SalesReturn.objects.get()
    expect(page.get_by_test_id("slip")).to_contain_text(sales_return.return_no)
    expect(page.get_by_role("button", name="打印")).to_be_focused()
    page.screenshot(path="test-results/returns/keyboard-slip.png", full_page=True)
    line = sales_return.lines.get()
    assert (line.order_line, line.qty) == (oil, 1)
    assert sales_return.points_clawed_back == oil.points_earned // 2


def test_the_settings_page(page, live_server, make_operator):
    manager = grant(make_operator("admin"), "view_returnsettings", "change_returnsettings")
    login(page, live_server, manager.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/returns/settings/")
    page.get_by_label("按积分抵现价值从现金退款中扣除").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("退货设置已保存")).to_be_visible()
    page.screenshot(path="test-results/returns/return-settings.png", full_page=True)
