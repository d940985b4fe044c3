"""A cashier's shift from the float to the counted cash, its printable report, and the bills
page filtered by kind."""

from playwright.sync_api import expect

from huiyuan.core.actors import Actor
from huiyuan.sales.models import Shift
from huiyuan.wallet.services import top_up
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD
from tests.sales.bills_fixtures import make_order, manager_of

SHOTS = "test-results/shifts"


def test_open_sell_close_and_the_bills(
    page, live_server, make_operator, register, stored_value_card_type, store
):
    operator = manager_of(make_operator)
    login(page, live_server, operator.username, TEST_PASSWORD)

    page.goto(f"{live_server.url}/shifts/")
    page.get_by_label("备用金（元）").fill("200")
    page.get_by_role("button", name="开班").click()
    expect(page.get_by_test_id("expected-cash")).to_have_text("¥200.00")

    # A sale of ¥48.50 paid with a ¥50 note (¥1.50 change) and ¥12 by WeChat, as the till writes it.
    member = register(card_type=stored_value_card_type)
    make_order(
        store=store,
        cashier=operator,
        shift=Shift.objects.get(),
        member=member,
        payments=[("cash", 5000), ("wechat", 1200)],
        change_fen=150,
    )
    top_up(
        actor=Actor(operator=operator, store=store),
        member=member,
        amount_fen=10000,
        payment_method="alipay",
    )
    page.reload()
    expect(page.get_by_test_id("shift-sales")).to_contain_text("¥60.50")
    tenders = page.get_by_test_id("shift-tenders")
    expect(tenders.locator("[data-method=cash]")).to_contain_text("¥48.50")
    expect(tenders.locator("[data-method=wechat]")).to_contain_text("¥12.00")
    expect(page.get_by_test_id("expected-cash")).to_have_text("¥248.50")
    close = page.get_by_test_id("close-form")
    close.get_by_label("实点现金（元）").fill("248")
    close.get_by_role("button", name="交班").click()

    expect(page.get_by_test_id("difference")).to_have_text("-¥0.50")
    expect(page.get_by_test_id("shift-cash")).to_contain_text("短款")
    expect(page.get_by_test_id("close-form")).to_have_count(0)
    page.screenshot(path=f"{SHOTS}/shift-report.png", full_page=True)
    with page.expect_popup() as popup:
        page.get_by_test_id("print-80").click()
    slip = popup.value
    expect(slip.get_by_test_id("counted-cash")).to_have_text("¥248.00")
    slip.screenshot(path=f"{SHOTS}/shift-print-80mm.png", full_page=True)
    slip.close()

    page.get_by_role("link", name="全部班次").click()
    closed = page.get_by_test_id("shifts").locator("tbody tr")
    expect(closed).to_have_count(1)
    expect(closed.first).to_contain_text("-¥0.50")
    expect(page.get_by_test_id("open-form")).to_be_visible()  # the next shift can start
    page.screenshot(path=f"{SHOTS}/shift-list.png", full_page=True)

    page.goto(f"{live_server.url}/bills/")
    expect(page.get_by_test_id("bills").locator("tbody tr")).to_have_count(
        2
    )  # the top-up and the cash
    filters = page.get_by_test_id("report-filter")
    filters.get_by_label("单据类型").select_option(label="现金支付记录")
    filters.get_by_role("button", name="筛选").click()
    rows = page.get_by_test_id("bills").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("¥48.50")
    expect(rows.first).to_contain_text(member.member_no)
    expect(page.get_by_test_id("totals")).to_contain_text("现金支付记录")
    page.screenshot(path=f"{SHOTS}/bills-cash.png", full_page=True)
    rows.first.get_by_role("link").click()
    expect(page).to_have_url(
        f"{live_server.url}/orders/{Shift.objects.get().orders.get().order_no}/"
    )
