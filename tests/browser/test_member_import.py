"""Member import in a real browser: upload a generated 1,000-row file with 3 bad rows, see exactly
those 3 reported with their reasons, commit, and find the 997 members."""

import pytest
from playwright.sync_api import expect

from huiyuan.members.models import Member
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD
from tests.members.test_imports import thousand_with_three_bad, xlsx_bytes


@pytest.fixture(autouse=True)
def _upload_folder(settings, tmp_path):
    settings.MEMBER_IMPORT_DIR = tmp_path / "uploads"


def test_import_a_thousand_rows_with_three_bad(page, live_server, make_operator, card_type):
    desk = make_operator("member_service")
    login(page, live_server, desk.username, TEST_PASSWORD)
    rows, bad = thousand_with_three_bad()

    page.goto(f"{live_server.url}/members/import/")
    expect(page.locator("h1")).to_contain_text("会员导入")
    with page.expect_download() as download:
        page.get_by_test_id("template-link").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.get_by_label("会员文件").set_input_files(
        {"name": "会员.xlsx", "mimeType": "application/octet-stream", "buffer": xlsx_bytes(rows)}
    )
    page.get_by_role("button", name="上传并检查").click()

    expect(page.get_by_test_id("import-status")).to_have_text("待确认")
    expect(page.get_by_test_id("total-rows")).to_have_text("1000")
    expect(page.get_by_test_id("good-rows")).to_have_text("997")
    bad_rows = page.get_by_test_id("bad-row")
    expect(bad_rows).to_have_count(3)
    for index, (row_number, reason) in enumerate(bad.items()):
        expect(bad_rows.nth(index).locator("td").nth(0)).to_have_text(str(row_number))
        expect(bad_rows.nth(index).locator("td").nth(2)).to_have_text(reason)
    assert not Member.objects.exists()

    page.get_by_test_id("commit-import").click()

    expect(page.get_by_test_id("import-done")).to_contain_text("已导入 997 位会员")
    expect(page.get_by_test_id("bad-row")).to_have_count(3)
    assert Member.objects.count() == 997


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_chinese(page, live_server, make_operator):
    login(page, live_server, make_operator("member_service").username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/members/import/")
    page.get_by_label("会员文件").set_input_files(
        {"name": "照片.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff\xe0 not a sheet"}
    )
    page.get_by_role("button", name="上传并检查").click()

    expect(page.get_by_text("不是可导入的表格文件：请上传 xlsx 或 csv")).to_be_visible()
    assert not Member.objects.exists()
