"""The member photo in a real browser: upload it on the member page, see the thumbnail there, in
the search results and in the identify box; a file that is not an image is refused in Chinese."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import login
from tests.browser.test_members import identify, search, shot
from tests.factories import TEST_PASSWORD
from tests.members import photo_files

pytestmark = pytest.mark.usefixtures("private_media")


def loaded(image) -> bool:
    return image.evaluate("img => img.complete && img.naturalWidth > 0")


def upload(page: Page, path) -> None:
    photo = page.get_by_test_id("member-photo")
    if not photo.get_by_test_id("photo-form").is_visible():
        photo.locator("summary").click()
    photo.get_by_label("会员照片").set_input_files(path)
    photo.get_by_role("button", name="上传", exact=True).click()


def test_upload_a_photo_and_see_the_thumbnail(
    request, page: Page, live_server, make_operator, register, tmp_path
):
    make_operator("member_service", username="desk")
    member = register()
    bad = tmp_path / "photo.jpg"
    bad.write_text("这不是图片")
    good = tmp_path / "face.jpg"
    good.write_bytes(photo_files.jpeg((1600, 1200), orientation=photo_files.ROTATED_90).read())

    login(page, live_server, "desk", TEST_PASSWORD)
    page.goto(f"{live_server.url}/members/{member.member_no}/")
    upload(page, bad)
    expect(page.get_by_test_id("photo-form")).to_contain_text(
        "不是有效的图片文件（支持 JPEG、PNG、WebP）"
    )
    expect(page.get_by_test_id("photo-thumb")).to_have_count(0)

    upload(page, good)
    expect(page.get_by_role("alert").filter(has_text="会员照片已更新")).to_be_visible()
    thumb = page.get_by_test_id("photo-thumb")
    expect(thumb).to_be_visible()
    assert loaded(thumb)
    # Turned upright: the thumbnail is portrait (120 × 160).
    assert thumb.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [120, 160]
    shot(request, page, "photo-detail")

    page.goto(f"{live_server.url}/members/")
    rows = search(page, member.phone)
    expect(rows.get_by_test_id("search-thumb")).to_be_visible()
    assert loaded(rows.get_by_test_id("search-thumb"))
    # The identify box (as at the till) shows it too, to check the customer against.
    expect(identify(page, member.phone).get_by_test_id("lookup-thumb")).to_be_visible()
    shot(request, page, "photo-search")
