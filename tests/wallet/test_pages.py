"""Wallet pages through the test client: the member panel, top-up, slip, refund, count cards,
the ledger and its export, the marketing pages; refusals shown in Chinese, permissions kept."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from huiyuan.core.models import AuditEvent
from huiyuan.wallet import services
from huiyuan.wallet.models import CountCardPackage, TopUp, TopUpBonusRule, WalletSettings
from huiyuan.wallet.selectors import stored_value_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client, make_operator):
    def as_role(role):
        client.force_login(make_operator(role))
        return client

    return as_role


def text(response) -> str:
    return response.content.decode()


def test_top_up_at_the_desk_then_the_panel_shows_it(login, member, bonus_rules):
    client = login("member_service")
    page = client.get(reverse("wallet:top_up", args=[member.member_no]))
    assert "充 ¥500 → 赠 ¥50" in text(page)

    response = client.post(
        reverse("wallet:top_up", args=[member.member_no]),
        {"amount_fen": "500", "payment_method": "cash", "external_ref": ""},
        follow=True,
    )

    assert "充值成功：本金 ¥500，赠送 ¥50。" in text(response)
    assert stored_value_of(member) == (50_000, 5_000)
    panel = text(client.get(reverse("wallet:member_panel", args=[member.member_no])))
    assert "¥500.00" in panel
    assert "¥50.00" in panel
    assert panel.count('data-testid="entry"') == 2
    topup = TopUp.objects.get()
    slip = text(client.get(reverse("wallet:slip", args=[topup.number])))
    assert topup.number in slip
    assert "充500送50" in slip


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "必须是大于 0 的整数"),
        ("abc", "请填写金额"),
        ("1.234", "请填写金额"),
        ("-5", "金额不能为负"),
        ("10000000000", "金额超出范围"),
    ],
)
def test_bad_amounts_are_shown_on_the_form(login, member, amount, message):
    response = login("member_service").post(
        reverse("wallet:top_up", args=[member.member_no]),
        {"amount_fen": amount, "payment_method": "cash"},
    )
    assert response.status_code == 200
    assert message in text(response)
    assert not TopUp.objects.exists()


def test_a_card_without_stored_value_is_refused_on_the_page(login, register):
    member = register()
    response = login("member_service").post(
        reverse("wallet:top_up", args=[member.member_no]),
        {"amount_fen": "100", "payment_method": "wechat"},
    )
    assert "该会员的卡类型不含此账户" in text(response)


def test_refund_by_finance_and_not_by_the_cashier(login, client, member, desk, make_operator):
    topup = services.top_up(actor=desk, member=member, amount_fen=10_000, payment_method="cash")
    url = reverse("wallet:refund", args=[topup.number])
    client.force_login(make_operator("cashier"))
    assert client.get(url).status_code == 403

    finance = login("finance")
    assert "必填" in text(finance.post(url, {"reason": " "}))
    response = finance.post(url, {"reason": "顾客退卡"})
    assert response.status_code == 302
    topup.refresh_from_db()
    assert topup.status == "refunded"
    assert "该充值单已退款" in text(finance.post(url, {"reason": "再退"}))
    assert stored_value_of(member) == (0, 0)
    assert AuditEvent.objects.filter(action="wallet.refund_top_up").count() == 1


def test_refund_refused_when_spent(login, member, desk):
    topup = services.top_up(actor=desk, member=member, amount_fen=10_000, payment_method="cash")
    services.spend_stored_value(actor=desk, member=member, amount_fen=1, ref_type="o", ref_no="1")
    response = login("finance").post(
        reverse("wallet:refund", args=[topup.number]), {"reason": "退"}
    )
    assert "储值余额不足" in text(response)


def test_sell_and_use_count_cards(login, member, car_wash):
    client = login("member_service")
    response = client.post(
        reverse("wallet:sell", args=[member.member_no]),
        {"package": car_wash.pk, "payment_method": "cash"},
        follow=True,
    )
    assert "已售出 洗车10次卡（10 次）" in text(response)
    holding = member.count_cards.get()
    use = reverse("wallet:use", args=[member.member_no, holding.pk])
    response = client.post(use, {"uses": "1"}, follow=True)
    assert "洗车10次卡 已使用 1 次，剩余 9 次" in text(response)
    assert "计次卡次数已用完" in text(client.post(use, {"uses": "10"}, follow=True))
    assert "次数必须是" in text(client.post(use, {"uses": "x"}, follow=True))
    other = reverse("wallet:use", args=[member.member_no, holding.pk + 1])
    assert "计次卡不存在" in text(client.post(other, {"uses": "1"}, follow=True))


def test_ledger_filters_and_exports(login, member, desk, bonus_rules):
    services.top_up(actor=desk, member=member, amount_fen=50_000, payment_method="cash")
    client = login("finance")
    url = reverse("wallet:ledger", args=[member.member_no])
    assert text(client.get(url)).count('data-testid="entry"') == 2
    assert text(client.get(url, {"pot": "bonus"})).count('data-testid="entry"') == 1

    export = client.get(url, {"pot": "bonus", "export": "xlsx"})
    assert export["Content-Disposition"].startswith("attachment;")
    rows = list(load_workbook(io.BytesIO(export.content)).active.values)
    assert rows[0][:4] == ("会员号", member.member_no, "姓名", member.name)
    assert rows[1][:3] == ("时间", "类型", "资金")
    assert [row[1:5] for row in rows[2:]] == [("充值赠送", "赠送金", 50, 50)]


def test_payment_password_form(login, member):
    client = login("member_service")
    url = reverse("wallet:password", args=[member.member_no])
    assert "支付密码须为 6 位数字" in text(client.post(url, {"password": "12"}, follow=True))
    assert "支付密码已设置" in text(client.post(url, {"password": "246810"}, follow=True))


def test_desk_lookup_goes_to_the_top_up_page(login, member):
    client = login("member_service")
    response = client.get(reverse("wallet:desk"), {"lookup": member.phone})
    assert response.url == reverse("wallet:top_up", args=[member.member_no])
    assert "会员不存在" in text(client.get(reverse("wallet:desk"), {"lookup": "19999999999"}))


def test_marketing_configures_rules_with_example_and_overlap_check(login):
    client = login("marketing")
    form = {"name": "充500送50", "threshold_fen": "500", "bonus_fen": "50", "is_active": "on"}
    response = client.post(reverse("wallet:rule_create"), form, follow=True)
    assert "充 ¥500 → 赠 ¥50" in text(response)

    clash = client.post(reverse("wallet:rule_create"), {**form, "name": "另一条"})
    assert "与规则「充500送50」的充值门槛相同、日期和适用等级重叠" in text(clash)
    assert TopUpBonusRule.objects.count() == 1
    bad = client.post(reverse("wallet:rule_create"), {**form, "bonus_fen": "0"})
    assert "必须大于 0" in text(bad)
    assert AuditEvent.objects.filter(action="wallet.bonus_rule").count() == 1


def test_marketing_configures_packages(login):
    client = login("marketing")
    form = {"code": "wash10", "name": "洗车10次卡", "covers": "svc-wash，SVC-WAX", "uses": "10",
            "price_fen": "300", "validity_months": "12", "is_active": "on"}  # fmt: skip
    client.post(reverse("wallet:package_create"), form)
    package = CountCardPackage.objects.get()
    assert (package.code, package.covers, package.price_fen) == (
        "WASH10",
        ["SVC-WASH", "SVC-WAX"],
        30_000,
    )
    both = client.post(
        reverse("wallet:package_create"), {**form, "code": "X", "validity_days": "30"}
    )
    assert "有效天数和有效月数只能填一项" in text(both)
    same = client.post(reverse("wallet:package_create"), {**form})
    assert "编码已被其他套餐使用" in text(same)


@pytest.mark.parametrize(
    ("field", "value"),
    [("validity_months", "121"), ("validity_months", "2000000"), ("validity_days", "3661"),
     ("validity_days", "2000000000")],
)  # fmt: skip
def test_a_validity_beyond_ten_years_is_refused(login, member, field, value):
    """Selling such a package ran its last day past year 9999 (500 at the till)."""
    client = login("marketing")
    form = {"code": "WASH10", "name": "洗车10次卡", "uses": "10", "price_fen": "300",
            "is_active": "on", field: value}  # fmt: skip
    refused = client.post(reverse("wallet:package_create"), form)
    assert refused.status_code == 200
    assert not CountCardPackage.objects.exists()


def test_settings_page(login, client, make_operator):
    marketing = login("marketing")
    marketing.post(
        reverse("wallet:settings"),
        {"spending_order": "bonus_first", "password_required": "on", "topup_points_per_yuan": "0"},
    )
    settings = WalletSettings.current()
    assert (settings.spending_order, settings.password_required) == ("bonus_first", True)
    client.force_login(make_operator("cashier"))
    assert client.get(reverse("wallet:settings")).status_code == 403


def test_the_member_page_loads_the_panel_for_roles_that_see_it(login, member):
    page = text(login("cashier").get(reverse("members:detail", args=[member.member_no])))
    assert reverse("wallet:member_panel", args=[member.member_no]) in page


def test_navigation_lists_the_wallet_pages_by_role(login):
    page = text(login("marketing").get(reverse("wallet:rules")))
    assert reverse("wallet:packages") in page
    assert reverse("wallet:desk") not in page


def test_cancelling_a_member_with_stored_value_says_refund_first(login, member, desk):
    services.top_up(actor=desk, member=member, amount_fen=100, payment_method="cash")
    response = login("member_service").post(
        reverse("members:cancel", args=[member.member_no]), {"reason": "搬家"}
    )
    assert "会员仍有储值余额，请先退款再注销" in text(response)
    member.refresh_from_db()
    assert member.status == "active"


def test_count_card_ledger_filters_and_exports(login, member, desk, car_wash):
    holding = services.sell_count_card(
        actor=desk, member=member, package=car_wash, payment_method="cash"
    )
    services.use_count_card(actor=desk, member=member, holding_id=holding.pk, uses=2)
    client = login("cashier")
    url = reverse("wallet:count_card_ledger", args=[member.member_no])
    assert text(client.get(url)).count('data-testid="entry"') == 2
    assert text(client.get(url, {"kind": "use"})).count('data-testid="entry"') == 1
    assert text(client.get(url, {"kind": "nonsense"})).count('data-testid="entry"') == 2

    export = client.get(url, {"kind": "use", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.values)
    assert rows[1][:4] == ("时间", "计次卡", "售卡单号", "类型")
    assert [row[1:6] for row in rows[2:]] == [("洗车10次卡", holding.number, "使用", -2, 8)]
