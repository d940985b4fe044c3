"""Tier pages: marketing configures the ladder and the program and runs a review; the member page's
tier panel; overrides by managers only. Refusals are Chinese messages and write nothing."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from huiyuan.cards.models import CardType
from huiyuan.core.actors import Actor
from huiyuan.tiers.models import Tier, TierChange, TierProgram
from huiyuan.tiers.selectors import tier_of
from huiyuan.tiers.services import update_tier
from tests.cards.test_card_types import VALUE_CARD

pytestmark = pytest.mark.django_db

NEW_TIER = {
    "rank": 4,
    "name": "黑金",
    "entry_threshold": 5000,
    "retention_threshold": 4000,
    "discount_permille": 850,
    "points_multiplier_permille": 2500,
    "birthday_multiplier_permille": "",
    "perks": "贵宾室\n\n免费停车 4 小时\n",
    "is_active": "on",
}


@pytest.fixture
def as_role(client, make_operator):
    def login(role):
        client.force_login(make_operator(role))
        return client

    return login


def test_marketing_sees_the_ladder_with_examples(as_role, tiers):
    page = as_role("marketing").get(reverse("tiers:list"))

    assert page.status_code == 200
    assert "近 12 个月获得 300 分 → 银卡（95折，积分 ×1.2；保级 200 分）" in page.text
    assert "88折" in page.text
    assert "立即评定" in page.text


def test_marketing_creates_a_tier_with_perks(as_role, tiers):
    page = as_role("marketing").post(reverse("tiers:create"), NEW_TIER, follow=True)

    assert "会员等级“黑金”已保存" in page.text
    tier = Tier.objects.get(name="黑金")
    assert tier.perks == ["贵宾室", "免费停车 4 小时"]
    assert tier.birthday_multiplier_permille is None


def test_a_threshold_below_a_lower_tier_is_refused_on_the_page(as_role, tiers):
    page = as_role("marketing").post(
        reverse("tiers:create"), NEW_TIER | {"entry_threshold": 2000, "retention_threshold": 0}
    )

    assert page.status_code == 200
    assert "升级门槛须高于较低等级“钻石”的 3000 分" in page.text
    assert not Tier.objects.filter(name="黑金").exists()


def test_marketing_edits_the_program(as_role):
    data = {
        "metric": "lifetime_points",
        "window_months": 12,
        "review_month": 7,
        "review_day": 1,
        "downgrade": "to_qualifying",
    }
    as_role("marketing").post(reverse("tiers:program"), data)

    program = TierProgram.objects.get()
    assert (program.metric, program.review_month, program.downgrade) == (
        "lifetime_points",
        7,
        "to_qualifying",
    )


def test_a_review_day_past_28_is_refused(as_role):
    page = as_role("marketing").post(
        reverse("tiers:program"),
        {"metric": "year_points", "window_months": 12, "review_month": 2, "review_day": 30},
    )

    assert page.status_code == 200
    assert "确保该值小于或等于28" in page.text
    assert not TierProgram.objects.exists()


def test_running_the_review_now_shows_its_summary(as_role, member, earn):
    earn(member, 350)

    page = as_role("marketing").post(reverse("tiers:run_review"), follow=True)

    assert "评定完成：升级 0 人，保级 1 人，降级 0 人" in page.text
    assert TierProgram.objects.get().last_reviewed_on == datetime.date.today()


@pytest.mark.parametrize("role", ["cashier", "member_service", "finance"])
def test_the_desk_sees_tiers_but_does_not_configure_them(as_role, tiers, role):
    client = as_role(role)

    assert client.get(reverse("tiers:list")).status_code == 200
    assert client.get(reverse("tiers:create")).status_code == 403
    assert client.post(reverse("tiers:run_review")).status_code == 403


def test_the_member_panel_shows_tier_benefits_progress_and_history(as_role, member, earn):
    earn(member, 350)

    panel = as_role("cashier").get(reverse("tiers:member_panel", args=[member.member_no]))

    assert panel.status_code == 200
    for text in (
        "银卡",
        "95折",
        "×1.2",
        "银卡权益",
        "近 12 个月获得 350 分",
        "再获得 650 分升级为金卡",
        "新会员",
    ):
        assert text in panel.text
    assert "手动指定等级" not in panel.text  # cashiers don't override


def test_the_member_page_loads_the_panel(as_role, member):
    page = as_role("cashier").get(reverse("members:detail", args=[member.member_no]))

    assert reverse("tiers:member_panel", args=[member.member_no]) in page.text


def test_a_manager_overrides_a_tier_and_ends_it(as_role, member, tiers):
    client = as_role("store_manager")
    until = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    url = reverse("tiers:override", args=[member.member_no])

    refused = client.post(url, {"tier": tiers["钻石"].pk, "until": until, "reason": ""})
    assert "这个字段是必填项" in refused.text
    panel = client.post(url, {"tier": tiers["钻石"].pk, "until": until, "reason": "大客户"})

    assert "已手动指定会员等级" in panel.text
    assert tier_of(member).name == "钻石"
    end = client.post(reverse("tiers:end_override", args=[member.member_no]), {"reason": "到期"})
    assert "已结束手动指定" in end.text
    assert tier_of(member).name == "普通"
    assert TierChange.objects.filter(kind="override_end").count() == 1


def test_a_cashier_may_not_override(as_role, member, tiers):
    until = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    response = as_role("cashier").post(
        reverse("tiers:override", args=[member.member_no]),
        {"tier": tiers["钻石"].pk, "until": until, "reason": "x"},
    )

    assert response.status_code == 403
    assert tier_of(member).name == "普通"


def test_a_card_type_gets_its_starting_tier_on_the_card_type_page(admin_client, tiers, register):
    update_tier(actor=Actor.system(), tier=tiers["钻石"], is_active=False)
    form = admin_client.get(reverse("card_types:create"))
    assert "起始等级" in form.text
    assert "金卡" in form.text
    assert "钻石" not in form.text  # deactivated tiers are not offered

    data = VALUE_CARD | {"is_active": "on", "starting_tier": tiers["金卡"].pk}
    assert admin_client.post(reverse("card_types:create"), data).status_code == 302

    card_type = CardType.objects.get(code="VIP")
    assert card_type.starting_tier == tiers["金卡"]
    assert tier_of(register(card_type=card_type)).name == "金卡"


def test_the_tier_history_filters_and_exports_to_excel(as_role, member, earn):
    earn(member, 350)
    client = as_role("member_service")
    url = reverse("tiers:history", args=[member.member_no])

    upgrades = client.get(url, {"kind": "upgrade"})
    assert "普通 → 银卡" in upgrades.text
    assert "新会员" not in upgrades.text
    refused = client.get(url, {"date_from": "1900-01-01"})
    assert "日期须在 2000 年至 2099 年之间" in refused.text

    export = client.get(url, {"export": "xlsx"})
    assert export["Content-Disposition"].startswith(
        f'attachment; filename="tiers-{member.member_no}'
    )
    rows = list(load_workbook(io.BytesIO(export.content)).active.values)
    assert rows[1][:4] == ("时间", "变动", "原等级", "新等级")
    assert [row[1:4] for row in rows[2:]] == [("升级", "普通", "银卡"), ("初始等级", None, "普通")]
