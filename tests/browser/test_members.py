"""Members in a real browser (issue 4, must show): register at the counter with an ID number and
get a card; find the member by phone, card number and pinyin initials; report the card lost and
see the lookup refuse it; replace it and find the member by the new card."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from huiyuan.cards.models import Card
from huiyuan.members.models import Member
from tests.browser.conftest import login
from tests.browser.test_login_and_shell import nav_link
from tests.conftest import RESIDENT_IDS
from tests.factories import TEST_PASSWORD

PHONE = "13800138000"


@pytest.fixture(autouse=True)
def _standard_card_type(card_type):
    """The registration page offers the STD card type (re-made after an earlier test's flush)."""


def shot(request, page: Page, name: str) -> None:
    """Keep a screenshot to look at: members-<name>.png in $HUIYUAN_SCREENSHOTS, or else in
    test-results/screenshots (which pytest-playwright empties at the start of every run)."""
    default = Path(request.config.getoption("--output")).absolute() / "screenshots"
    folder = Path(os.environ.get("HUIYUAN_SCREENSHOTS") or default)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"members-{name}.png", full_page=True)


def search(page: Page, q: str):
    box = page.get_by_test_id("member-search").get_by_role("textbox", name="查找会员")
    box.fill(q)
    box.press("Enter")
    return page.get_by_test_id("member-table").locator("tbody tr")


def identify(page: Page, q: str):
    box = page.get_by_test_id("member-lookup").get_by_label("识别会员")
    box.fill(q)
    box.press("Enter")
    return page.get_by_test_id("lookup-result")


def card_action(page: Page, card_number: str, action: str, **fields):
    card = page.get_by_test_id(f"card-{card_number}")
    details = card.locator("details").filter(has=page.locator("summary", has_text=action))
    details.locator("summary").click()
    for label, value in fields.items():
        field = details.get_by_label(label)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    details.get_by_role("button", name=f"确认{action}").click()


def test_register_find_report_lost_and_replace(page, live_server, make_operator, request):
    desk = make_operator("member_service")
    login(page, live_server, desk.username, TEST_PASSWORD)

    # Register at the counter: phone first, checked as typed, then the ID with its checksum.
    nav_link(page, "会员登记").click()
    expect(page.locator("h1")).to_contain_text("会员登记")
    expect(page.get_by_label("手机号")).to_be_focused()
    page.keyboard.type(PHONE)
    expect(page.get_by_test_id("check-ok")).to_have_text(re.compile("手机号可以登记"))
    page.get_by_label("姓名").fill("张三")
    page.get_by_label("男").check()
    page.get_by_label("生日").fill("1990-03-07")
    page.get_by_label("证件类型").select_option(label="居民身份证")
    id_field = page.get_by_label("证件号码")
    id_field.fill(RESIDENT_IDS[1][:-1] + "8")  # wrong check digit
    id_check = page.locator("#id-check")
    expect(id_check).to_contain_text("证件号码校验不通过")
    id_field.fill(RESIDENT_IDS[1])
    expect(id_check).to_contain_text("证件号码校验通过")
    page.get_by_label("接收短信").check()
    shot(request, page, "register")
    page.get_by_role("button", name="登记并发卡").click()
    expect(page.get_by_role("alert")).to_contain_text("登记成功")  # the answer is in

    member = Member.objects.get(phone=PHONE)
    card = member.cards.get()
    expect(page.get_by_role("alert")).to_contain_text(f"会员号 {member.member_no}")
    expect(page.get_by_role("alert")).to_contain_text(card.number)
    expect(page.get_by_test_id("member-no")).to_have_text(member.member_no)
    expect(page.get_by_test_id("member-id")).to_contain_text(RESIDENT_IDS[1])  # may see IDs
    expect(page.get_by_test_id(f"card-{card.number}")).to_contain_text("正常")
    shot(request, page, "detail")

    # The welcome slip opens in a new tab, ready to print.
    with page.context.expect_page() as new_tab:
        page.get_by_role("link", name="打印欢迎单").click()
    slip = new_tab.value
    expect(slip.get_by_test_id("welcome-slip")).to_contain_text(card.number)
    expect(slip.get_by_test_id("welcome-slip")).to_contain_text("张三")
    expect(slip.get_by_role("img")).to_be_visible()
    shot(request, slip, "slip")
    slip.close()

    # Find them by phone, by card number and by pinyin initials.
    nav_link(page, "会员查询").click()
    for q in (PHONE, card.number, "zs"):
        rows = search(page, q)
        expect(rows).to_have_count(1)
        expect(rows).to_contain_text(member.member_no)
        expect(rows).to_contain_text("张三")
    shot(request, page, "search")

    # Report the card lost on the member page.
    rows.get_by_role("link", name=member.member_no).click()
    card_action(page, card.number, "挂失", 原因="顾客电话挂失")
    expect(page.get_by_role("alert")).to_contain_text(f"卡 {card.number} 挂失完成")
    card_box = page.get_by_test_id(f"card-{card.number}")
    expect(card_box.get_by_test_id("card-status")).to_have_text("已挂失")
    expect(card_box).to_contain_text("顾客电话挂失")
    assert Card.objects.get(pk=card.pk).status == Card.Status.LOST

    # The lookup (as at the till) refuses the lost card; the search shows why.
    nav_link(page, "会员查询").click()
    expect(identify(page, card.number)).to_contain_text("该卡已挂失")
    rows = search(page, card.number)
    expect(rows.get_by_test_id("card-status")).to_have_text("已挂失")
    identify(page, card.number)
    shot(request, page, "lookup-lost")
    rows = search(page, card.number)

    # Replace it (new medium, a fee): the new card finds the member; the old one stays void.
    rows.get_by_role("link", name=member.member_no).click()
    card_action(page, card.number, "补卡", 新卡介质="磁条卡", 工本费="5", 原因="补办")
    expect(page.get_by_role("alert")).to_contain_text("补卡完成")
    new_card = member.cards.get(status=Card.Status.ACTIVE)
    expect(page.get_by_role("alert")).to_contain_text(f"新卡号 {new_card.number}")
    expect(page.get_by_test_id(f"card-{card.number}").get_by_test_id("card-status")).to_have_text(
        "已换卡"
    )
    expect(
        page.get_by_test_id(f"card-{new_card.number}").get_by_test_id("card-status")
    ).to_have_text("正常")
    shot(request, page, "replaced")

    nav_link(page, "会员查询").click()
    rows = search(page, new_card.number)
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(member.member_no)
    result = identify(page, new_card.number)
    expect(result).to_contain_text("张三")
    expect(result).to_contain_text(new_card.number)
    expect(identify(page, card.number)).to_contain_text("该卡已换发新卡，旧卡不能再使用")


def test_duplicate_phone_links_to_the_member_as_it_is_typed(
    page, live_server, make_operator, register, request
):
    holder = register(name="李四", phone=PHONE)
    desk = make_operator("member_service")
    login(page, live_server, desk.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/members/register/")

    page.get_by_label("手机号").fill(PHONE)
    check = page.locator("#phone-check")
    expect(check).to_contain_text("该手机号已是会员")
    shot(request, page, "duplicate-phone")
    check.get_by_role("link").click()
    expect(page.get_by_test_id("member-no")).to_have_text(holder.member_no)
