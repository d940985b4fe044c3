"""The back-office shell in a real browser: login, navigation by role, language, password,
lockout, store selector, and the first administration pages (stores, audit log, API keys)."""

import re

import pytest
from playwright.sync_api import Page, expect

from huiyuan.api.models import ApiKey
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD

ADMIN_LINKS = ("门店", "操作员", "角色与权限", "API 密钥", "审计日志")


def nav_link(page: Page, name: str):
    """The sidebar link named exactly `name` (by its text: the accessible name would also hold the
    icon font's glyph)."""
    text = re.compile(rf"^\s*{re.escape(name)}\s*$")
    return page.get_by_test_id("navigation").get_by_role("link").filter(has_text=text)


def open_nav(page: Page, name: str):
    nav_link(page, name).click()
    expect(page.locator("h1")).to_contain_text(name)


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("admin", {"首页", *ADMIN_LINKS}),
        ("store_manager", {"首页", "审计日志"}),
        ("cashier", {"首页"}),
    ],
)
def test_navigation_shows_only_what_the_role_may_open(
    page, live_server, make_operator, role, visible
):
    operator = make_operator(role)
    login(page, live_server, operator.username, TEST_PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_test_id("user-menu")).to_contain_text(operator.full_name)
    nav = page.get_by_test_id("navigation")
    for name in ("首页", *ADMIN_LINKS):
        expect(nav_link(page, name)).to_have_count(1 if name in visible else 0)
    expect(nav.get_by_text("系统管理", exact=True)).to_have_count(1 if len(visible) > 1 else 0)
    # One store: its name is shown, no selector.
    expect(page.get_by_test_id("current-store")).to_have_text("南京路旗舰店")
    expect(page.get_by_test_id("store-switch")).to_have_count(0)


def test_cashier_opening_an_admin_page_gets_the_chinese_403_page(page, live_server, make_operator):
    cashier = make_operator("cashier")
    login(page, live_server, cashier.username, TEST_PASSWORD)

    response = page.goto(f"{live_server.url}/staff/operators/")

    assert response.status == 403
    expect(page.locator("h1")).to_have_text("无权访问此页面")
    expect(page.get_by_text("您的角色没有执行此操作的权限")).to_be_visible()
    page.get_by_role("link", name="返回首页").click()
    expect(page.get_by_test_id("dashboard-store")).to_have_text("南京路旗舰店")


def test_language_switch_to_english_and_back(page, live_server, make_operator):
    cashier = make_operator("cashier")
    login(page, live_server, cashier.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/staff/password/")
    language = page.get_by_test_id("language-switch").locator("select")
    expect(language.locator("option:checked")).to_have_text("简体中文")

    with page.expect_navigation():
        language.select_option("en")
    expect(page).to_have_url(f"{live_server.url}/staff/password/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(language.locator("option:checked")).to_have_text("English")
    # The project's own strings come from locale/en (compiled by ./run and ./test) ...
    expect(page.locator("h1")).to_have_text("Change password")
    expect(nav_link(page, "Home")).to_have_count(1)
    # ... and Django's own from Django's catalogue.
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()

    with page.expect_navigation():
        language.select_option("zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(language.locator("option:checked")).to_have_text("简体中文")
    expect(page.locator("h1")).to_have_text("修改密码")
    expect(nav_link(page, "首页")).to_have_count(1)
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_text("这个字段是必填项。").first).to_be_visible()
    expect(page.get_by_text("This field is required.")).to_have_count(0)

    # The choice is a cookie: it holds on the next page.
    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")


def test_change_password_through_the_user_menu(page, live_server, make_operator):
    cashier = make_operator("cashier")
    new_password = "Another-pass-2027"
    login(page, live_server, cashier.username, TEST_PASSWORD)

    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="修改密码").click()
    expect(page.locator("h1")).to_have_text("修改密码")
    old_field = page.get_by_label("原密码")
    new_field = page.get_by_label(re.compile(r"^\s*新密码"))
    again_field = page.get_by_label("再次输入新密码")
    save = page.get_by_role("button", name="保存新密码")

    # Wrong old password.
    old_field.fill("not-my-password")
    new_field.fill(new_password)
    again_field.fill(new_password)
    save.click()
    expect(page.get_by_text("原密码不正确")).to_be_visible()

    # The new password typed twice differently.
    old_field.fill(TEST_PASSWORD)
    new_field.fill(new_password)
    again_field.fill(new_password + "x")
    save.click()
    expect(page.get_by_text("两次输入的新密码不一致")).to_be_visible()

    # Right: back on the dashboard, still logged in.
    old_field.fill(TEST_PASSWORD)
    new_field.fill(new_password)
    again_field.fill(new_password)
    save.click()
    expect(page.get_by_role("alert")).to_contain_text("密码已修改")
    expect(page).to_have_url(f"{live_server.url}/")

    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_test_id("login-form")).to_be_visible()
    expect(page.get_by_test_id("user-menu")).to_have_count(0)

    login(page, live_server, cashier.username, TEST_PASSWORD, succeed=False)
    expect(page.get_by_test_id("login-error")).to_contain_text("用户名或密码错误")
    login(page, live_server, cashier.username, new_password)
    expect(page.get_by_test_id("dashboard-store")).to_have_text("南京路旗舰店")


def test_five_wrong_passwords_lock_the_account(page, live_server, make_operator):
    cashier = make_operator("cashier")
    error = page.get_by_test_id("login-error")

    for _attempt in range(4):
        login(page, live_server, cashier.username, "wrong-password", succeed=False)
        expect(error).to_contain_text("用户名或密码错误")

    # The 5th failure reaches AXES_FAILURE_LIMIT: that very answer is already the lockout.
    login(page, live_server, cashier.username, "wrong-password", succeed=False)
    expect(error).to_contain_text("登录失败次数过多")

    # The 6th, and even the right password, are refused while locked.
    login(page, live_server, cashier.username, "wrong-password", succeed=False)
    expect(error).to_contain_text("登录失败次数过多")
    login(page, live_server, cashier.username, TEST_PASSWORD, succeed=False)
    expect(error).to_contain_text("登录失败次数过多")
    expect(page.get_by_test_id("user-menu")).to_have_count(0)
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/staff/login/"))


def test_operator_with_two_stores_switches_store(
    page, live_server, make_operator, store, other_store
):
    cashier = make_operator("cashier", stores=[store, other_store])
    login(page, live_server, cashier.username, TEST_PASSWORD)
    switch = page.get_by_test_id("store-switch").locator("select")
    expect(page.get_by_test_id("dashboard-store")).to_have_text("南京路旗舰店")
    expect(switch.locator("option")).to_have_text(["杭州湖滨店", "南京路旗舰店"])
    expect(page.get_by_test_id("current-store")).to_have_count(0)

    with page.expect_navigation():
        switch.select_option(label="杭州湖滨店")
    expect(page.get_by_test_id("dashboard-store")).to_have_text("杭州湖滨店")
    expect(switch.locator("option:checked")).to_have_text("杭州湖滨店")

    # The choice is kept for the session.
    page.reload()
    expect(page.get_by_test_id("dashboard-store")).to_have_text("杭州湖滨店")
    with page.expect_navigation():
        switch.select_option(label="南京路旗舰店")
    expect(page.get_by_test_id("dashboard-store")).to_have_text("南京路旗舰店")


def test_admin_creates_a_store_and_sees_it_in_the_audit_log(page, live_server, admin):
    login(page, live_server, admin.username, TEST_PASSWORD)

    open_nav(page, "门店")
    page.get_by_role("link", name="新建门店").click()
    expect(page.locator("h1")).to_have_text("新建门店")
    page.get_by_label("门店编码").fill("bj01")
    page.get_by_label("门店名称").fill("北京王府井店")
    page.get_by_label("地址").fill("北京市东城区王府井大街 1 号")
    page.get_by_label("电话").fill("010-12345678")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_role("alert")).to_contain_text("门店“BJ01 北京王府井店”已保存")
    row = page.get_by_role("row").filter(has_text="北京王府井店")
    expect(row).to_contain_text("BJ01")
    expect(row).to_contain_text("010-12345678")
    expect(row).to_contain_text("启用")

    open_nav(page, "审计日志")
    page.get_by_label("操作", exact=True).select_option(label="新建门店")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"action=store\.create"))
    rows = page.get_by_test_id("audit-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("新建门店")
    expect(rows).to_contain_text("BJ01 北京王府井店")
    expect(rows).to_contain_text(admin.full_name)


def test_admin_creates_and_revokes_an_api_key(page, live_server, admin, store):
    login(page, live_server, admin.username, TEST_PASSWORD)
    open_nav(page, "API 密钥")
    expect(page.get_by_text("还没有 API 密钥")).to_be_visible()

    form = page.get_by_test_id("api-key-form")
    form.get_by_label("终端名称").fill("2号收银机")
    form.get_by_label("门店").select_option(label=str(store))
    form.get_by_role("button", name="创建").click()

    expect(page.get_by_role("alert").first).to_contain_text("已为“2号收银机”创建 API 密钥")
    raw_key = page.get_by_test_id("new-api-key").locator("input").input_value()
    api_key = ApiKey.objects.get(name="2号收银机")
    assert raw_key.startswith(api_key.prefix)
    assert len(raw_key) > len(api_key.prefix) + 16
    row = page.get_by_role("row").filter(has_text="2号收银机")
    expect(row).to_contain_text(api_key.prefix)
    expect(row).to_contain_text("有效")
    expect(row).not_to_contain_text(raw_key)

    # Shown once: not again when the page is opened anew.
    open_nav(page, "API 密钥")
    expect(page.get_by_test_id("new-api-key")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text(raw_key)

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="停用").click()
    expect(page.get_by_role("alert")).to_contain_text("API 密钥“2号收银机”已停用")
    expect(row).to_contain_text("已停用")
    expect(row.get_by_role("button", name="停用")).to_have_count(0)
    api_key.refresh_from_db()
    assert not api_key.is_active
