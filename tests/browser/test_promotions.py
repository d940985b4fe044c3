"""Marketing creates a promotion while its preview prices a sample cart, and browses the list of
current, upcoming and ended promotions."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from huiyuan.core.actors import Actor
from huiyuan.promotions import services
from huiyuan.promotions.engine_values import Draft
from huiyuan.promotions.models import Promotion
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD


@pytest.fixture
def marketer(make_operator):
    operator = make_operator("marketing")
    operator.user_permissions.add(*Permission.objects.filter(content_type__app_label="promotions"))
    return operator


@pytest.fixture
def products(make_product):
    return [
        make_product("P001", "红富士苹果", retail_price_fen=1280),
        make_product("P002", "砀山梨", retail_price_fen=860),
        make_product("P003", "阳光玫瑰葡萄", retail_price_fen=2990),
        make_product("P004", "智利车厘子", retail_price_fen=5000),
    ]


def test_creating_a_full_reduction_while_watching_its_preview(
    page, live_server, marketer, products
):
    login(page, live_server, marketer.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/promotions/")
    page.get_by_role("button", name="新建促销活动").click()
    page.get_by_test_id("new-kinds").get_by_role("link", name="满减").click()
    form = page.get_by_test_id("promotion-form")
    preview = page.get_by_test_id("preview")
    expect(form.get_by_test_id("sample")).to_have_value("P001 2\nP002 2\nP003 2\nP004 2")

    form.get_by_label("名称").fill("满20减2")
    form.get_by_label("明细").fill("20 2")
    expect(preview.get_by_test_id("payable")).to_have_text("¥200.60")  # ¥202.60 − ¥2
    expect(preview).to_contain_text("整单 满20减2 −¥2.00")

    form.get_by_label("明细").fill("20 2\n100 15")
    expect(preview.get_by_test_id("payable")).to_have_text("¥187.60")
    form.get_by_test_id("sample").fill("P001 1")
    expect(preview.get_by_test_id("payable")).to_have_text("¥12.80")  # below every threshold

    form.get_by_label("明细").fill("100 15\n20 2")
    expect(preview).to_contain_text("各档门槛须从低到高排列")
    form.get_by_label("明细").fill("20 2\n100 15")
    form.get_by_test_id("sample").fill("P004 3")
    expect(preview.get_by_test_id("payable")).to_have_text("¥135.00")
    form.get_by_label("名称").fill("周末满减")
    expect(preview).to_contain_text("周末满减 −¥15.00")
    page.screenshot(path="test-results/promotion-form.png", full_page=True)

    form.get_by_role("button", name="保存").click()
    expect(page.get_by_text("促销活动“周末满减”已保存")).to_be_visible()
    expect(page.get_by_test_id("rows")).to_contain_text("满 ¥100.00 减 ¥15.00")
    page.get_by_test_id("start").click()
    expect(page.get_by_text("已启用“周末满减”")).to_be_visible()
    page.screenshot(path="test-results/promotion-detail.png", full_page=True)
    assert Promotion.objects.get().status == "active"


def test_the_list_of_current_upcoming_and_ended_promotions(page, live_server, marketer):
    today = datetime.date.today()

    def make(name, **fields):
        fields.setdefault("status", "active")
        draft = Draft(Promotion(name=name, kind="percent", permille=880, **fields))
        services.save_promotion(actor=Actor.system(), draft=draft)

    make("全场88折")
    make("店庆满减", starts_on=today + datetime.timedelta(days=10))
    make("国庆折扣", status="stopped")
    make("早市折扣", hours=[6, 7])
    login(page, live_server, marketer.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/promotions/")
    table = page.get_by_test_id("promotions")
    expect(table).to_contain_text("全场88折")
    expect(table).to_contain_text("早市折扣")
    expect(table).to_contain_text("6:00–7:59")
    expect(table).not_to_contain_text("店庆满减")
    page.screenshot(path="test-results/promotions-list.png", full_page=True)
    page.get_by_test_id("tabs").get_by_role("link", name="未开始").click()
    expect(table).to_contain_text("店庆满减")
    page.get_by_test_id("tabs").get_by_role("link", name="已结束").click()
    expect(table).to_contain_text("国庆折扣")
    page.get_by_test_id("tabs").get_by_role("link", name="进行中").click()
    filters = page.get_by_test_id("filters")
    filters.get_by_label("名称").fill("早市")
    filters.get_by_role("button", name="筛选").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("早市折扣")


def test_a_member_day_shows_its_next_dates_as_it_is_typed(page, live_server, marketer):
    login(page, live_server, marketer.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/promotions/member-days/")
    page.get_by_role("link", name="新建会员日").click()
    form = page.get_by_test_id("member-day-form")
    occurrences = form.get_by_test_id("occurrences")
    expect(occurrences).to_contain_text("按以上设置没有会员日")
    soon, later = (datetime.date.today() + datetime.timedelta(days=n) for n in (3, 13))
    form.get_by_label("名称").fill("集日会员日")
    form.get_by_label("指定日期").fill(f"{soon}, {later}")
    expect(occurrences).to_contain_text(soon.isoformat())
    expect(occurrences).to_contain_text(later.isoformat())
    form.get_by_label("周二").check()
    expect(occurrences).to_contain_text("星期二")
    page.screenshot(path="test-results/member-day-form.png", full_page=True)
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_text("会员日“集日会员日”已保存")).to_be_visible()
    expect(page.get_by_test_id("member-days")).to_contain_text(f"每周二；{soon}；{later}")
    page.screenshot(path="test-results/member-days.png", full_page=True)
