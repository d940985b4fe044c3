"""The server really stopped at the moment of payment, then restarted: the till says plainly that
the server can't be reached, keeps the sale, and its retry with the same sale key makes exactly one
order. The server here is a real process (tests/browser/real_server.py) with its own SQLite file,
killed with SIGKILL and started again on the same port and database; test_till.py covers the same
situations with `page.route` against pytest-django's live server."""

import shutil
import sqlite3

import pytest
from playwright.sync_api import expect

from tests.browser.real_server import RealServer
from tests.factories import TEST_PASSWORD
from tests.sales.till_fixtures import BREAD, WATER

USERNAME = "cashier_restart"

SET_UP = f"""
from huiyuan.core.actors import Actor
from huiyuan.staff import services
from huiyuan.staff.models import Role
from tests.factories import StoreFactory, TEST_PASSWORD
from tests.sales.till_fixtures import may_sell, till_goods

store = StoreFactory(code="SH01", name="南京路旗舰店")
till_goods(store)
may_sell(services.create_operator(
    actor=Actor.system(),
    username="{USERNAME}",
    password=TEST_PASSWORD,
    full_name="收银员",
    stores=[store],
    roles=[Role.objects.get(code="cashier")],
))
"""


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """A var dir with a migrated database holding a store, the till's goods and a cashier; made
    once, copied for each test."""
    server = RealServer(tmp_path_factory.mktemp("till-restart-template"))
    server.manage("migrate", "--noinput", "-v", "0", timeout=300)
    server.manage("shell", "-c", SET_UP)
    return server.var_dir


@pytest.fixture
def server(prepared, tmp_path):
    var_dir = tmp_path / "var"
    shutil.copytree(prepared, var_dir)
    real = RealServer(var_dir)
    try:
        real.start()
        yield real
    finally:
        real.stop()


def orders(server) -> list[tuple]:
    with sqlite3.connect(server.database) as db:
        return db.execute("SELECT sale_key, payable_fen FROM sales_order").fetchall()


def open_till(page, server):
    page.goto(f"{server.url}/staff/login/")
    form = page.get_by_test_id("login-form")
    form.locator("[name=username]").fill(USERNAME)
    form.locator("[name=password]").fill(TEST_PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    page.goto(f"{server.url}/till/")
    expect(page.locator("#scan")).to_be_focused()


def scan_and_open_pay(page) -> str:
    for code in (WATER, BREAD):
        page.keyboard.type(code)
        page.keyboard.press("Enter")
    expect(page.get_by_test_id("line")).to_have_count(2)
    page.keyboard.press("F10")
    expect(page.get_by_test_id("pay-payable")).to_have_text("¥14.50")
    return page.get_by_test_id("sale-key").inner_text()


def retry_after_restart(page, server, key):
    server.start()
    page.keyboard.press("Enter")  # 重试 (the page also retries by itself)
    expect(page.get_by_test_id("pay-dialog")).to_be_hidden()
    expect(page.get_by_test_id("till-status")).to_contain_text("收款完成")
    made = orders(server)
    assert len(made) == 1
    assert made[0][0].startswith(key)
    assert made[0][1] == 1450


def test_the_server_stopped_at_payment_restarted_and_the_retry_makes_one_order(page, server):
    open_till(page, server)
    key = scan_and_open_pay(page)

    server.stop()  # the server dies with the pay dialog open
    page.keyboard.press("Enter")  # exact cash
    expect(page.get_by_test_id("pay-error")).to_contain_text("无法连接服务器")
    expect(page.get_by_test_id("pay-retry")).to_be_visible()
    expect(page.get_by_test_id("line")).to_have_count(2)  # the sale stays on screen
    expect(page.get_by_test_id("sale-key")).to_have_text(key)
    assert orders(server) == []

    retry_after_restart(page, server, key)


def test_the_server_stopped_right_after_making_the_order_and_the_retry_makes_no_second(
    page, server
):
    """The harder case: the server receives the payment and makes the order, then dies before
    its answer reaches the till (the answer is held back with `page.route` until the server is
    killed, then dropped). The till can't know the sale went through; its retry, to the restarted
    server, with the same key, must not make a second order."""
    open_till(page, server)
    key = scan_and_open_pay(page)

    def die_before_answering(route):
        route.fetch()  # the server does the sale…
        server.stop()  # …and is killed before the till hears of it
        route.abort("connectionreset")

    page.route("**/till/pay/", die_before_answering, times=1)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("pay-error")).to_contain_text("无法连接服务器")
    expect(page.get_by_test_id("line")).to_have_count(2)  # the sale stays on screen
    assert not server.running
    assert len(orders(server)) == 1  # made, though the till doesn't know

    retry_after_restart(page, server, key)


def test_the_server_killed_the_moment_the_payment_is_sent_and_the_retry_makes_one_order(
    page, server
):
    """Killed as the till sends the payment: the server may or may not have made the order before
    it died; either way the till can't know, and the retry leaves exactly one."""
    open_till(page, server)
    key = scan_and_open_pay(page)

    def kill_on_payment(request):
        if request.method == "POST" and request.url.endswith("/till/pay/"):
            server.stop()

    page.on("request", kill_on_payment)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("pay-error")).to_contain_text("无法连接服务器")
    page.remove_listener("request", kill_on_payment)
    expect(page.get_by_test_id("line")).to_have_count(2)
    assert len(orders(server)) <= 1

    retry_after_restart(page, server, key)
