"""Browser: receive stock by scanning its barcode; transfer part of it and see the source frozen →
in transit → on hand at the destination; run a stocktake and see the variance posted."""

import pytest
from playwright.sync_api import expect

from huiyuan.inventory.models import Transfer
from huiyuan.inventory.services import location_for
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD
from tests.inventory import conftest as inventory

# The inventory tests' catalogue and receipt fixtures.
categories, supplier, make_product, chips = (
    inventory.categories,
    inventory.supplier,
    inventory.make_product,
    inventory.chips,
)
manager, floor, receive = inventory.manager, inventory.floor, inventory.receive


@pytest.fixture
def logged_in(page, live_server, manager):
    login(page, live_server, manager.operator.username, TEST_PASSWORD)


def open_nav(page, label):
    page.get_by_test_id("navigation").get_by_role("link").filter(has_text=label).click()


def add_line(page, code, qty, cost=None):
    form = page.get_by_test_id("line-form")
    form.get_by_label("商品编码或条码").fill(code)
    form.get_by_label("数量", exact=True).fill(qty)
    if cost:
        form.get_by_label("单价（元）").fill(cost)
    form.get_by_role("button").click()


def level_row(page, store, product="S001"):
    return page.get_by_test_id(f"level-{store.code}-{product}")


def test_receive_then_transfer_frozen_in_transit_on_hand(
    page, logged_in, store, other_store, supplier, chips
):
    open_nav(page, "进货单")
    page.get_by_test_id("new-document").click()
    page.get_by_label("库位").select_option(label="南京路旗舰店 门店")
    page.get_by_label("供应商").select_option(label=supplier.name)
    page.get_by_role("button", name="创建草稿").click()
    add_line(page, "6901234567892", "10", "4.80")
    expect(page.get_by_test_id("lines")).to_contain_text("薯片")
    expect(page.get_by_test_id("total")).to_have_text("¥48.00")
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("status")).to_have_text("已确认")

    location_for(other_store)
    open_nav(page, "调拨单")
    page.get_by_test_id("new-document").click()
    page.get_by_label("调出库位").select_option(label="南京路旗舰店 门店")
    page.get_by_label("调入库位").select_option(label="杭州湖滨店 门店")
    page.get_by_role("button", name="创建草稿").click()
    add_line(page, "S001", "4")
    page.get_by_test_id("confirm").click()
    transfer_url = page.url
    number = Transfer.objects.get().number

    open_nav(page, "库存统计")
    expect(level_row(page, store).get_by_test_id("on-hand")).to_have_text("10")
    expect(level_row(page, store).get_by_test_id("frozen")).to_have_text("4")

    page.goto(transfer_url)
    page.get_by_test_id("ship").click()
    expect(page.get_by_test_id("status")).to_have_text("已发货")
    open_nav(page, "库存统计")
    expect(level_row(page, store).get_by_test_id("on-hand")).to_have_text("6")
    expect(level_row(page, store).get_by_test_id("frozen")).to_have_text("0")
    expect(level_row(page, other_store).get_by_test_id("in-transit")).to_have_text("4")

    page.goto(transfer_url)
    receiving = page.get_by_test_id("receive-form")
    receiving.get_by_label("S001 薯片").fill("3")
    receiving.get_by_role("button", name="确认收货").click()
    expect(receiving).to_contain_text("请填写差异说明")
    receiving.get_by_label("差异说明").fill("途中破损 1 包")
    receiving.get_by_role("button", name="确认收货").click()
    expect(page.get_by_test_id("status")).to_have_text("已收货")
    expect(page.get_by_test_id("header")).to_contain_text("途中破损 1 包")

    open_nav(page, "库存统计")
    expect(level_row(page, other_store).get_by_test_id("on-hand")).to_have_text("3")
    expect(level_row(page, other_store).get_by_test_id("in-transit")).to_have_text("0")
    open_nav(page, "库存明细")
    expect(page.get_by_test_id("moves")).to_contain_text(number)


def test_stocktake_posts_the_variance(page, logged_in, floor, store, chips, receive):
    receive(floor, chips, 10)
    open_nav(page, "盘点单")
    page.get_by_test_id("new-document").click()
    page.get_by_label("库位").select_option(label="南京路旗舰店 门店")
    page.get_by_role("button", name="创建草稿").click()
    add_line(page, "6901234567892", "5")
    add_line(page, "6901234567892", "2")  # a second scan adds up
    expect(page.get_by_test_id("lines")).to_contain_text("7")
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("status")).to_have_text("已确认")
    expect(page.get_by_test_id("variance")).to_have_text("-3")
    expect(page.get_by_test_id("total")).to_have_text("-¥15.00")
    open_nav(page, "库存统计")
    expect(level_row(page, store).get_by_test_id("on-hand")).to_have_text("7")
