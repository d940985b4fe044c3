"""Browser: issue a coupon at the desk from the member page, find it in the coupon search and see
its barcode and QR; a template's live preview on a sample cart; a bulk issue to a tag with its
job page."""

import os

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD

SHOTS = os.environ.get("COUPON_SCREENSHOTS")  # a folder: save each page for a person to look at


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def marketer(make_operator):
    operator = make_operator("admin", username="coupons")
    operator.user_permissions.add(*Permission.objects.filter(content_type__app_label="coupons"))
    return operator


@pytest.fixture
def cash10(db):
    from huiyuan.coupons.models import CouponTemplate

    return CouponTemplate.objects.create(
        name="10元代金券", kind="cash", face_fen=1000, validity="days", valid_days=30
    )


def test_issue_at_the_desk_then_find_it_and_its_barcode(
    page, live_server, marketer, register, cash10
):
    member = register()
    login(page, live_server, marketer.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/members/{member.member_no}/")
    panel = page.get_by_test_id("coupons-panel")
    form = panel.get_by_test_id("coupon-issue-form")
    form.get_by_label("优惠券").select_option(label="10元代金券")
    form.get_by_label("发放原因").fill("投诉补偿")
    form.get_by_test_id("coupon-issue").click()
    expect(page.get_by_text("已发放“10元代金券”")).to_be_visible()
    panel = page.get_by_test_id("coupons-panel")
    expect(panel.get_by_test_id("usable-count")).to_have_text("1 张可用")
    shot(page, "member_panel")

    from huiyuan.coupons.models import Coupon

    code = Coupon.objects.get().code
    page.goto(f"{live_server.url}/coupons/")
    search = page.get_by_test_id("coupon-search")
    search.get_by_label("券号 / 会员号 / 手机号").fill(member.phone)
    search.get_by_role("button", name="查询").click()
    rows = page.get_by_test_id("coupon-row")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("张三")
    rows.get_by_role("link", name=code).click()
    expect(page.get_by_test_id("coupon-barcode").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("coupon-qr").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("coupon-event")).to_contain_text("投诉补偿")
    expect(page.get_by_test_id("coupon-print")).to_contain_text("¥10.00")
    shot(page, "coupon_detail")


def test_template_live_preview(page, live_server, marketer):
    login(page, live_server, marketer.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/coupons/templates/add/")
    form = page.get_by_test_id("template-form")
    form.get_by_label("名称").fill("满100减20")
    form.get_by_label("类型").select_option(label="满减券")
    form.get_by_label("面值（元）").fill("20")
    form.get_by_label("最低消费（元）").fill("100")
    form.get_by_label("有效天数").fill("14")
    form.get_by_label("其他商品金额（元）").fill("130")
    preview = page.get_by_test_id("template-preview")
    expect(preview.get_by_test_id("preview-discount")).to_have_text("此券优惠 ¥20.00")
    expect(preview.get_by_test_id("preview-payable")).to_have_text("¥110.00")
    form.get_by_label("其他商品金额（元）").fill("99")
    expect(preview.get_by_test_id("preview-rejection")).to_contain_text("未达到最低消费")
    form.get_by_label("面值（元）").fill("200")
    expect(preview.get_by_test_id("preview-problems")).to_contain_text("不能超过最低消费")
    form.get_by_label("面值（元）").fill("20")
    form.get_by_label("其他商品金额（元）").fill("128")
    expect(preview.get_by_test_id("preview-payable")).to_have_text("¥108.00")
    shot(page, "template_form")
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("template-row")).to_contain_text("满100减20")
    shot(page, "template_list")


def test_birthday_trigger(page, live_server, marketer, cash10):
    login(page, live_server, marketer.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/coupons/triggers/")
    page.get_by_role("link", name="新建规则").click()
    form = page.get_by_test_id("trigger-form")
    form.get_by_label("触发事件").select_option(label="生日")
    form.get_by_label("优惠券模板").select_option(label="10元代金券")
    form.get_by_label("提前天数").fill("7")
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("triggers")).to_contain_text("生日前 7 天")
    shot(page, "triggers")


def test_bulk_issue_to_a_tag(page, live_server, marketer, register, cash10):
    from huiyuan.members.models import Tag

    vip = Tag.objects.create(name="VIP")
    for number in range(3):
        register(name=f"会员{number}", phone=f"1380013800{number}").tags.add(vip)
    register(name="路人", phone="13900139000")
    login(page, live_server, marketer.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/coupons/bulk/")
    form = page.get_by_test_id("bulk-form")
    form.get_by_label("优惠券").select_option(label="10元代金券")
    form.get_by_label("标签").select_option(label="VIP")
    form.get_by_test_id("bulk-count").click()
    expect(page.get_by_test_id("bulk-selected")).to_have_text("选中 3 位会员")
    page.get_by_test_id("bulk-start").click()
    expect(page.get_by_test_id("job-status")).to_have_text("已完成")
    expect(page.get_by_test_id("job-issued")).to_have_text("3")
    shot(page, "bulk_job")
    page.get_by_role("link", name="查看发出的优惠券").click()
    expect(page.get_by_test_id("coupon-row")).to_have_count(3)


def test_rebate_preview_then_run_once(page, live_server, marketer, register, time_machine):
    """45,000 points earned in January–June → a ¥975.00 coupon, after the preview."""
    import datetime

    from django.utils import timezone

    from huiyuan.core.actors import Actor
    from huiyuan.coupons import rebate
    from huiyuan.coupons.models import CouponTemplate, RebateProgram
    from huiyuan.points.services import earn_points

    zone = timezone.get_current_timezone()
    time_machine.move_to(datetime.datetime(2026, 3, 5, 12, tzinfo=zone), tick=True)
    member = register()
    earn_points(actor=Actor.system(), member=member, points=45_000, ref_type="o", ref_no="1")
    time_machine.move_to(datetime.datetime(2026, 8, 3, 10, tzinfo=zone), tick=True)
    program = RebateProgram.current()
    program.template = CouponTemplate.objects.create(
        name="积分返利券", kind="cash", face_fen=100, validity="days", valid_days=90
    )
    rebate.save_program(actor=Actor.system(), program=program, bands=list(rebate.DEFAULT_BANDS))

    login(page, live_server, marketer.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/coupons/rebate/")
    expect(page.get_by_text("一期获得 45,000 积分返 ¥975.00")).to_be_visible()
    shot(page, "rebate_settings")
    page.get_by_test_id("rebate-preview-link").first.click()
    expect(page.get_by_test_id("rebate-row")).to_contain_text(member.member_no)
    expect(page.get_by_test_id("rebate-total")).to_have_text("¥975.00")
    shot(page, "rebate_preview")
    page.get_by_test_id("rebate-run").click()
    expect(page.get_by_test_id("rebate-status")).to_have_text("已完成")
    expect(page.get_by_test_id("rebate-run-total")).to_have_text("¥975.00")
    shot(page, "rebate_run")
    page.goto(f"{live_server.url}/coupons/rebate/2026-01-01/")
    expect(page.get_by_test_id("rebate-ran")).to_be_visible()
    expect(page.get_by_test_id("rebate-run")).to_have_count(0)
    page.goto(f"{live_server.url}/coupons/?q={member.member_no}")
    expect(page.get_by_test_id("coupon-row")).to_contain_text("¥975.00")
    shot(page, "coupon_list")
