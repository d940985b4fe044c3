"""Points pages: the member panel and ledger (with xlsx export), the desk's adjustment, and
marketing's rules and settings. Refusals are Chinese messages next to the field; nothing written."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from huiyuan.points import selectors, services
from huiyuan.points.models import EarnRule, PointsDay, PointsEntry, PointsProgram

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, make_operator):
    client.force_login(make_operator("member_service"))
    return client


@pytest.fixture
def marketing(client, make_operator):
    client.force_login(make_operator("marketing"))
    return client


def test_panel_shows_balance_lots_and_recent_rows(desk, member, system):
    services.earn_points(actor=system, member=member, points=120, ref_no="O1")
    page = desk.get(reverse("points:member_panel", args=[member.member_no]))
    assert 'data-testid="points-balance">120<' in page.text
    assert "O1" in page.text
    assert "调整积分" in page.text
    detail = desk.get(reverse("members:detail", args=[member.member_no]))
    assert reverse("points:member_panel", args=[member.member_no]) in detail.text


def test_adjust_with_a_reason_lands_in_the_ledger(desk, member):
    url = reverse("points:adjust", args=[member.member_no])
    page = desk.post(url, {"delta": "50", "reason": "活动补发"}, follow=True)
    assert "调整积分 +50 分，当前积分 50" in page.text
    entry = PointsEntry.objects.get()
    assert (entry.kind, entry.reason, entry.operator is not None) == ("adjust", "活动补发", True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"delta": "-10", "reason": "扣减"}, "积分不足"),
        ({"delta": "0", "reason": "零"}, "调整积分必须是非零整数"),
        ({"delta": "5", "reason": ""}, "这个字段是必填项"),
        ({"delta": "abc", "reason": "x"}, "输入整数"),
    ],
)
def test_bad_adjustments_are_refused_on_the_page(desk, member, data, message):
    page = desk.post(reverse("points:adjust", args=[member.member_no]), data)
    assert page.status_code == 200
    assert message in page.text
    assert not PointsEntry.objects.exists()


def test_redeem_for_a_gift_at_the_desk(desk, member, system):
    services.earn_points(actor=system, member=member, points=500)
    url = reverse("points:redeem", args=[member.member_no])
    page = desk.post(url, {"points": "300", "ref_no": "LP001"}, follow=True)
    assert "积分兑换 -300 分，当前积分 200" in page.text
    entry = PointsEntry.objects.get(kind="redeem")
    assert (entry.ref_no, entry.reason) == ("LP001", "积分兑换礼品")
    refused = desk.post(url, {"points": "300", "ref_no": "LP002"})
    assert "积分不足" in refused.text


def test_redeeming_the_same_reference_again_is_refused_not_shown_as_done(desk, member, system):
    """The same gift code typed for a second redemption moved nothing (the first row came back
    as a till's retry would get it), yet the page reported points taken."""
    services.earn_points(actor=system, member=member, points=500)
    url = reverse("points:redeem", args=[member.member_no])
    desk.post(url, {"points": "100", "ref_no": "LP001"})
    again = desk.post(url, {"points": "100", "ref_no": "LP001"})
    assert again.status_code == 200
    assert "已用于另一次兑换" in again.context["form"].errors["ref_no"][0]
    assert selectors.points_balance(member) == 400


def test_cashiers_may_not_adjust(client, make_operator, member):
    client.force_login(make_operator("cashier"))
    url = reverse("points:adjust", args=[member.member_no])
    assert client.post(url, {"delta": "5", "reason": "x"}).status_code == 403
    assert client.get(reverse("points:ledger", args=[member.member_no])).status_code == 200


def test_ledger_filters_by_kind_and_exports_xlsx(desk, member, system):
    services.earn_points(actor=system, member=member, points=100, ref_no="O1")
    services.redeem_points(actor=system, member=member, points=30, ref_type="gift", ref_no="G1")
    url = reverse("points:ledger", args=[member.member_no])
    page = desk.get(url, {"kind": "redeem"})
    assert "G1" in page.text
    assert "O1" not in page.text.split("points-ledger")[1]
    export = desk.get(url, {"kind": "", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [row[2] for row in rows[2:]] == [-30, 100]
    assert desk.get(url, {"date_from": "1800-01-01"}).status_code == 200


def test_marketing_creates_a_rule_and_sees_its_example(marketing, store):
    data = {"name": "满100元积1分", "is_active": "on", "priority": "0", "fen_per_point": "100",
            "rounding": "floor", "basis": "order"}  # fmt: skip
    page = marketing.post(reverse("points:rule_create"), data, follow=True)
    assert "积分规则“满100元积1分”已保存" in page.text
    assert "实付 ¥199.99 得 1 分" in page.text
    assert EarnRule.objects.get().fen_per_point == 10000
    again = marketing.post(reverse("points:rule_create"), {**data, "name": "重复"})
    assert "优先级相同且范围重叠" in again.text
    preview = marketing.post(
        reverse("points:rule_preview"), {"fen_per_point": "1", "rounding": "x"}
    )
    assert "实付 ¥199.99 得 199 分" in preview.text


def test_rule_form_refuses_bad_amounts_and_dates(marketing):
    data = {"name": "坏", "priority": "0", "fen_per_point": "0", "rounding": "floor",
            "basis": "order", "starts_on": "2026-05-02", "ends_on": "2026-05-01"}  # fmt: skip
    page = marketing.post(reverse("points:rule_create"), data)
    assert "金额须大于 0" in page.text
    page = marketing.post(reverse("points:rule_create"), {**data, "fen_per_point": "1"})
    assert "结束日期不能早于开始日期" in page.text
    assert not EarnRule.objects.exists()


def test_double_points_day(marketing):
    data = {"name": "周三会员日", "is_active": "on", "starts_on": "2026-01-01",
            "ends_on": "2026-12-31", "weekdays": ["3"], "multiplier_permille": "2000"}  # fmt: skip
    page = marketing.post(reverse("points:day_create"), data, follow=True)
    assert "周三会员日" in page.text
    assert PointsDay.objects.get().weekdays == "3"
    bad = marketing.post(reverse("points:day_create"), {**data, "multiplier_permille": "500"})
    assert bad.status_code == 200
    assert PointsDay.objects.count() == 1


def test_program_settings_with_examples(marketing, client, make_operator):
    url = reverse("points:program")
    page = marketing.get(url)
    assert "今天获得的积分有效期至" in page.text
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(expiry_mode="calendar", referral_threshold_fen="100", pay_max_share_permille="1500")
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    refused = marketing.post(url, data)
    assert "1000" in refused.text
    data["pay_max_share_permille"] = "300"
    marketing.post(url, data, follow=True)
    program = PointsProgram.current()
    assert (program.expiry_mode, program.referral_threshold_fen) == ("calendar", 10000)
    client.force_login(make_operator("finance"))
    assert client.post(url, data).status_code == 403
    assert selectors.points_balance  # the finance role only reads


@pytest.mark.parametrize("months", ["121", "99999999999999999999"])
def test_an_expiry_beyond_ten_years_is_refused_on_the_page(marketing, months):
    """An absurd number of months ran the example's date past year 9999 (500)."""
    url = reverse("points:program")
    initial = marketing.get(url).context["form"].initial
    data = {k: ("on" if v is True else v) for k, v in initial.items() if v not in (None, False)}
    refused = marketing.post(url, {**data, "expiry_mode": "lot_months", "expiry_months": months})
    assert refused.status_code == 200
    assert "120" in refused.context["form"].errors["expiry_months"][0]
    assert PointsProgram.current().expiry_months == 12
