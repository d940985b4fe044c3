"""The desk redeems gifts for a member's points and prints the bill; marketing sets up a gift
with its per-tier price and per-store stock preview."""

from playwright.sync_api import expect

from huiyuan.core.actors import Actor
from huiyuan.coupons.models import CouponTemplate
from huiyuan.gifts.models import GiftKind, GiftRedemption
from huiyuan.gifts.services import save_gift
from huiyuan.points.selectors import points_balance
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD
from tests.gifts.helpers import gift_product, grant_gift_permissions, receive


def test_the_desk_redeems_gifts_and_prints_the_bill(
    page, live_server, make_operator, register, earn, store
):
    cup = gift_product("G001", "保温杯")
    receive(store, cup, 10)
    system = Actor.system()
    cup_gift = save_gift(
        actor=system, name="保温杯", kind=GiftKind.PRODUCT, product=cup, points=500
    )
    template = CouponTemplate.objects.create(
        name="积分兑换10元代金券", kind="cash", face_fen=1000, validity="days", valid_days=30
    )
    voucher = save_gift(
        actor=system, name="10元代金券", kind=GiftKind.COUPON, coupon_template=template, points=800
    )
    pan = gift_product("G002", "不粘炒锅")
    receive(store, pan, 5)
    save_gift(actor=system, name="不粘炒锅", kind=GiftKind.PRODUCT, product=pan, points=6000)
    member = register()
    earn(member, 2000)
    clerk = grant_gift_permissions(make_operator("member_service"))
    login(page, live_server, clerk.username, TEST_PASSWORD)

    page.goto(f"{live_server.url}/gifts/desk/")
    page.get_by_label("识别会员").fill(member.phone)
    page.get_by_role("button", name="找会员").click()
    expect(page.get_by_test_id("points-balance")).to_have_text("2000")
    too_dear = page.get_by_test_id("offers").locator("tr", has_text="不粘炒锅")
    expect(too_dear).to_contain_text("积分不足")
    expect(too_dear.locator("input")).to_be_disabled()
    form = page.get_by_test_id("redeem-form")
    confirm = form.get_by_role("button", name="确认兑换")
    expect(confirm).to_be_disabled()
    form.get_by_label("保温杯 数量").fill("2")
    expect(page.get_by_test_id("total-points")).to_have_text("1000")
    form.get_by_label("10元代金券 数量").fill("2")
    expect(page.get_by_test_id("total-points")).to_have_text("2600")
    expect(confirm).to_be_disabled()  # more than the member has
    form.get_by_label("10元代金券 数量").fill("1")
    expect(page.get_by_test_id("total-points")).to_have_text("1800")
    page.screenshot(path="test-results/gifts/gifts-desk.png", full_page=True)
    confirm.click()

    bill = GiftRedemption.objects.get()
    expect(page.get_by_test_id("bill")).to_contain_text(bill.number)
    expect(page.get_by_test_id("bill-lines")).to_contain_text("保温杯")
    expect(page.get_by_test_id("bill-lines")).to_contain_text(member.coupons.get().code)
    expect(page.get_by_test_id("bill-total")).to_have_text("1800")
    page.screenshot(path="test-results/gifts/gifts-bill.png", full_page=True)
    assert points_balance(member) == 200
    page.get_by_role("link", name="兑换记录").click()
    expect(page.get_by_test_id("redemptions")).to_contain_text("保温杯×2、10元代金券×1")
    expect(page.get_by_test_id("totals")).to_contain_text("共 1 张兑换单，合计 1800 积分")
    page.screenshot(path="test-results/gifts/gifts-redemptions.png", full_page=True)
    assert [line.gift for line in bill.lines.order_by("gift_id")] == [cup_gift, voucher]


def test_marketing_sets_up_a_gift_with_its_preview(
    page, live_server, make_operator, tiers, store, other_store
):
    cup = gift_product("G001", "保温杯")
    receive(store, cup, 12)
    receive(other_store, cup, 3)
    operator = grant_gift_permissions(make_operator("marketing", stores=[store, other_store]))
    login(page, live_server, operator.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/gifts/")
    page.get_by_role("link", name="新建礼品").click()
    form = page.get_by_test_id("gift-form")
    form.get_by_label("名称").fill("保温杯")
    form.get_by_label("商品编码").fill("G001")
    preview = page.get_by_test_id("stock-preview")
    expect(preview.locator("tr", has_text="南京路旗舰店")).to_contain_text("12")
    expect(preview.locator("tr", has_text="杭州湖滨店")).to_contain_text("3")
    form.locator("[name=points]").fill("500")
    form.get_by_label("金卡兑换积分").fill("420")
    tier_preview = page.get_by_test_id("tier-preview")
    expect(tier_preview.locator("tr", has_text="金卡")).to_contain_text("420")
    expect(tier_preview.locator("tr", has_text="普通")).to_contain_text("500")
    form.get_by_label("每人限兑数量").fill("1")
    form.get_by_label("限兑周期").select_option("month")
    page.screenshot(path="test-results/gifts/gifts-form.png", full_page=True)
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_text("礼品“保温杯”已保存")).to_be_visible()
    row = page.get_by_test_id("gifts").locator("tbody tr").first
    expect(row).to_contain_text("金卡 420")
    expect(row).to_contain_text("每人每月 1 件")
    page.screenshot(path="test-results/gifts/gifts-list.png", full_page=True)
