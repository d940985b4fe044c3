"""The e-card page in a real browser: barcode and QR shown, the QR renewed by htmx polling."""

from playwright.sync_api import expect

from huiyuan.cards import services
from huiyuan.core.actors import Actor
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD


def test_ecard_page_shows_barcode_and_qr_and_renews_the_qr(
    page, live_server, admin, register, settings
):
    settings.HUIYUAN_ECARD_REFRESH_SECONDS = 1  # instead of 50 s; the live server shares settings
    card = register(name="王芳", phone="13800138001").cards.get()
    login(page, live_server, admin.username, TEST_PASSWORD)

    page.goto(f"{live_server.url}/cards/ecard/{card.number}/")

    expect(page.locator("h1")).to_contain_text("电子会员卡")
    expect(page.get_by_test_id("ecard")).to_contain_text("王芳")
    expect(page.get_by_test_id("ecard-status")).to_have_text("正常")
    barcode = page.get_by_test_id("ecard-barcode").locator("svg")
    expect(barcode).to_be_visible()
    expect(barcode).to_contain_text(card.number)  # the number printed under the bars
    qr = page.get_by_test_id("ecard-qr").locator("svg")
    expect(qr).to_be_visible()
    first = qr.inner_html()
    assert card.number not in first

    # htmx polls the fragment and swaps in a QR with a new token.
    page.wait_for_function(
        """old => {
            const svg = document.querySelector('[data-testid="ecard-qr"] svg');
            return svg !== null && svg.innerHTML !== old;
        }""",
        arg=first,
        timeout=5000,
    )
    expect(page.get_by_test_id("ecard-barcode").locator("svg")).to_be_visible()


def test_lost_card_page_shows_the_reason_and_no_codes(page, live_server, admin, register, store):
    card = register(name="王芳", phone="13800138001").cards.get()
    services.report_card_loss(actor=Actor(operator=admin, store=store), card=card)
    login(page, live_server, admin.username, TEST_PASSWORD)

    page.goto(f"{live_server.url}/cards/ecard/{card.number}/")

    expect(page.get_by_test_id("ecard-refusal")).to_contain_text("该卡已挂失")
    expect(page.get_by_test_id("ecard").locator("svg")).to_have_count(0)
