"""A customer registers on their phone: SMS code (read from the dev outbox), then the e-card."""

import re

from django.test import override_settings
from playwright.sync_api import expect

from huiyuan.members.models import Member


def test_self_service_registration(page, live_server, store, card_type):
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(f"{live_server.url}/join/?store={store.code}")
    page.get_by_label("手机号").fill("13800138000")
    page.get_by_test_id("send-code").click()
    expect(page.get_by_test_id("code-status")).to_have_text("验证码已发送，5 分钟内有效")

    outbox = page.context.new_page()
    with override_settings(HUIYUAN_DEV_OUTBOX=True):
        outbox.goto(f"{live_server.url}/dev/outbox/")
        body = outbox.get_by_test_id("outbox").locator("tbody tr").first.locator("td").nth(2)
        code = re.search(r"验证码是 (\d{6})", body.inner_text()).group(1)
    outbox.close()

    page.get_by_label("短信验证码").fill(code)
    page.get_by_label("姓名").fill("王小明")
    page.get_by_label("我已阅读并同意会员章程与隐私政策").check()
    page.get_by_role("button", name="注册", exact=True).click()
    expect(page.get_by_test_id("joined")).to_contain_text("注册成功")
    member = Member.objects.get(phone="13800138000")
    expect(page.get_by_test_id("member-no")).to_have_text(member.member_no)
    expect(page.get_by_test_id("card-no")).to_have_text(member.cards.get().number)
