import datetime

import pytest
from django.urls import reverse

from huiyuan.coupons import services
from huiyuan.coupons.models import Coupon, CouponTemplate, CouponTrigger, IssueJob, RebateProgram

pytestmark = pytest.mark.django_db


def test_member_panel_and_manual_issue(coupon_client, member, cash10):
    panel = coupon_client.get(reverse("coupons:member_panel", args=[member.member_no]))
    assert panel.status_code == 200
    assert "10元代金券" in panel.content.decode()
    response = coupon_client.post(
        reverse("coupons:issue", args=[member.member_no]),
        {"template": cash10.pk, "note": "投诉补偿"},
    )
    assert response.status_code == 302
    coupon = Coupon.objects.get()
    assert (coupon.source, coupon.events.get().note) == ("manual", "投诉补偿")
    panel = coupon_client.get(reverse("coupons:member_panel", args=[member.member_no]))
    assert coupon.code in panel.content.decode()
    from huiyuan.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="coupon.issue").exists()


def test_member_page_loads_the_panel(coupon_client, member):
    page = coupon_client.get(reverse("members:detail", args=[member.member_no]))
    assert reverse("coupons:member_panel", args=[member.member_no]) in page.content.decode()


def test_issue_refusal_is_a_message(coupon_client, member, make_template):
    template = make_template("限一张", per_member_limit=1)
    url = reverse("coupons:issue", args=[member.member_no])
    coupon_client.post(url, {"template": template.pk})
    response = coupon_client.post(url, {"template": template.pk}, follow=True)
    assert "该会员已达此券的领取上限" in response.content.decode()
    assert Coupon.objects.count() == 1


def test_search_detail_barcode_and_revoke(coupon_client, member, issue):
    coupon = issue(member)
    listing = coupon_client.get(reverse("coupons:list"), {"q": member.member_no})
    assert coupon.code in listing.content.decode()
    found = coupon_client.get(
        reverse("coupons:list"), {"q": coupon.code[:8] + " " + coupon.code[8:]}
    )
    assert found.status_code == 302
    detail = coupon_client.get(found.url).content.decode()
    assert "<svg" in detail
    assert 'data-testid="coupon-qr"' in detail
    coupon_client.post(reverse("coupons:revoke", args=[coupon.code]), {"reason": "发错"})
    coupon.refresh_from_db()
    assert coupon.state == "revoked"
    assert coupon_client.get(reverse("coupons:list"), {"state": "revoked"}).status_code == 200


def test_pages_need_permissions(client, make_operator, member, issue):
    coupon = issue(member)
    client.force_login(make_operator("cashier"))  # finds coupons (built-in roles), no more
    assert client.get(reverse("coupons:detail", args=[coupon.code])).status_code == 200
    assert client.get(reverse("coupons:templates")).status_code == 403
    issue_url = reverse("coupons:issue", args=[member.member_no])
    assert client.post(issue_url, {"template": coupon.template_id}).status_code == 403
    assert (
        client.post(reverse("coupons:revoke", args=[coupon.code]), {"reason": "x"}).status_code
        == 403
    )


TEMPLATE_FORM = {
    "name": "满100减20",
    "kind": "threshold",
    "face_fen": "20",
    "min_spend_fen": "100",
    "permille": "1000",
    "validity": "days",
    "valid_days": "30",
    "combinable": "on",
    "is_active": "on",
}


def test_template_create_and_edit(coupon_client):
    response = coupon_client.post(reverse("coupons:template_create"), TEMPLATE_FORM)
    assert response.status_code == 302
    template = CouponTemplate.objects.get()
    assert (template.face_fen, template.min_spend_fen, template.valid_days) == (2000, 10000, 30)
    edit = reverse("coupons:template_edit", args=[template.pk])
    assert coupon_client.get(edit).status_code == 200
    response = coupon_client.post(edit, TEMPLATE_FORM | {"face_fen": "200"})
    assert response.status_code == 422
    assert "满减券的减免金额不能超过最低消费" in response.content.decode()
    assert coupon_client.get(reverse("coupons:templates")).status_code == 200


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "percent", "permille": "1000"}, "折扣须在 1‰ 至 999‰ 之间"),
        ({"kind": "cash", "face_fen": "0"}, "面值必须大于 0"),
        ({"kind": "exchange"}, "商品兑换券须选择可兑换的商品"),
        ({"kind": "gift"}, "赠品券须选择赠品"),
        (
            {"validity": "fixed", "valid_from": "2026-03-10", "valid_until": "2026-03-01"},
            "截止日期不能早于生效日期",
        ),
        ({"validity": "days", "valid_days": ""}, "请填写有效天数"),
        ({"validity": "days", "valid_days": "5000"}, "有效天数最多 3660 天"),
    ],
)
def test_template_validation(coupon_client, changes, message):
    response = coupon_client.post(reverse("coupons:template_create"), TEMPLATE_FORM | changes)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not CouponTemplate.objects.exists()


def test_live_preview_discount_and_rejection(coupon_client):
    url = reverse("coupons:template_preview")
    answer = coupon_client.post(url, TEMPLATE_FORM | {"sample_other_fen": "130"}).content.decode()
    assert "此券优惠 ¥20.00" in answer
    assert "¥110.00" in answer
    answer = coupon_client.post(url, TEMPLATE_FORM | {"sample_other_fen": "99.99"}).content.decode()
    assert "未达到最低消费" in answer
    answer = coupon_client.post(url, TEMPLATE_FORM | {"face_fen": "200"}).content.decode()
    assert "满减券的减免金额不能超过最低消费" in answer


def test_live_preview_scoped_to_products(coupon_client, milk):
    form = TEMPLATE_FORM | {
        "kind": "percent",
        "permille": "800",
        "product_list": "MILK",
        "min_spend_fen": "",
    }
    answer = coupon_client.post(
        reverse("coupons:template_preview"),
        form | {"sample_codes": "MILK MILK", "sample_other_fen": "100"},
    ).content.decode()
    assert "牛奶" in answer
    assert "此券优惠 ¥6.00" in answer  # 20% of 2 × ¥15


def test_live_preview_by_a_parent_category_in_the_same_queries_for_more_products(
    coupon_client, milk
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from huiyuan.catalog.models import Category, Product

    for code in ("YOGURT", "CHEESE", "BUTTER"):
        Product.objects.create(code=code, name=code, category=milk.category, retail_price_fen=1000)
    form = TEMPLATE_FORM | {"kind": "percent", "permille": "800", "min_spend_fen": ""}
    scoped = form | {"categories": [Category.objects.get(code="02").pk]}  # 食品, not 乳品

    def preview(codes: str) -> tuple[str, int]:
        with CaptureQueriesContext(connection) as context:
            answer = coupon_client.post(
                reverse("coupons:template_preview"), scoped | {"sample_codes": codes}
            )
        return answer.content.decode(), len(context.captured_queries)

    one, queries = preview("MILK")
    assert "此券优惠 ¥3.00" in one  # 20% of ¥15: 乳品 is under 食品
    four, more_queries = preview("MILK YOGURT CHEESE BUTTER")
    assert "此券优惠 ¥9.00" in four
    assert more_queries == queries  # the category paths in one query, not one a product


def test_bulk_page_counts_then_starts(coupon_client, register, cash10):
    from huiyuan.members.models import Tag

    vip = Tag.objects.create(name="VIP")
    register().tags.add(vip)
    register(name="李四", phone="13900139000")
    counted = coupon_client.get(reverse("coupons:bulk"), {"template": cash10.pk, "tag": vip.pk})
    assert "选中 1 位会员" in counted.content.decode()
    started = coupon_client.post(reverse("coupons:bulk"), {"template": cash10.pk, "tag": vip.pk})
    job = IssueJob.objects.get()
    assert started.url == reverse("coupons:job", args=[job.pk])
    page = coupon_client.get(started.url).content.decode()
    assert 'data-testid="job-issued">1<' in page
    assert coupon_client.get(reverse("coupons:job_progress", args=[job.pk])).status_code == 204


def test_bulk_needs_a_selection(coupon_client, cash10):
    response = coupon_client.post(reverse("coupons:bulk"), {"template": cash10.pk})
    assert "请选择发放对象" in response.content.decode()
    assert not IssueJob.objects.exists()


def test_triggers_pages(coupon_client, cash10):
    response = coupon_client.post(
        reverse("coupons:trigger_create"),
        {"event": "birthday", "template": cash10.pk, "days_before": "3", "is_active": "on"},
    )
    assert response.status_code == 302
    assert CouponTrigger.objects.get().days_before == 3
    assert "生日前 3 天" in coupon_client.get(reverse("coupons:triggers")).content.decode()
    trigger = CouponTrigger.objects.get()
    edit = reverse("coupons:trigger_edit", args=[trigger.pk])
    data = {"event": "birthday", "template": cash10.pk, "days_before": "400", "is_active": "on"}
    refused = coupon_client.post(edit, data)  # the page's own limit, kept by the server too
    assert "提前天数须在 0 至 60 天之间" in refused.content.decode()
    assert CouponTrigger.objects.get().days_before == 3
    coupon_client.post(edit, {**data, "days_before": "7"})
    from huiyuan.core.models import AuditEvent

    edited = AuditEvent.objects.filter(action="coupon_trigger.save").latest("pk")
    assert (edited.before, edited.after) == ({"days_before": 3}, {"days_before": 7})


def test_rebate_pages(coupon_client, member, make_template, system, travel):
    from huiyuan.points.services import earn_points

    template = make_template("积分返利券", face_fen=100)
    travel(2026, 3, 5)
    earn_points(actor=system, member=member, points=45_000, ref_type="order", ref_no="1")
    travel(2026, 8, 3)
    response = coupon_client.post(
        reverse("coupons:rebate"),
        {
            "template": template.pk,
            "start_month": "1",
            "first_payout_month": "8",
            "second_payout_month": "3",
            "point_value_fen": "100",
            "min_value_fen": "1",
            "bands": "0 2\n30000 2.5%\n60000 3",
        },
    )
    assert response.status_code == 302
    assert list(RebateProgram.current().bands.values_list("from_points", "rate_per_10k")) == [
        (0, 200), (30_000, 250), (60_000, 300),
    ]  # fmt: skip
    settings_page = coupon_client.get(reverse("coupons:rebate")).content.decode()
    assert "¥975.00" in settings_page
    preview = coupon_client.get(reverse("coupons:rebate_preview", args=["2026-01-01"]))
    assert "¥975.00" in preview.content.decode()
    export = coupon_client.get(
        reverse("coupons:rebate_preview", args=["2026-01-01"]), {"export": "xlsx"}
    )
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["期间", "2026-01 – 2026-06"]
    assert rows[2] == [member.member_no, member.name, 45_000, 97_500, 975]
    run = coupon_client.post(reverse("coupons:rebate_run", args=["2026-01-01"]))
    assert run.status_code == 302
    assert "¥975.00" in coupon_client.get(run.url).content.decode()
    again = coupon_client.post(reverse("coupons:rebate_run", args=["2026-01-01"]), follow=True)
    assert "该期积分返利已执行" in again.content.decode()
    assert Coupon.objects.get(source="rebate").face_fen == 97_500
    assert (
        coupon_client.get(reverse("coupons:rebate_preview", args=["2026-02-01"])).status_code == 404
    )


def test_bad_bands_on_the_page(coupon_client):
    response = coupon_client.post(
        reverse("coupons:rebate"),
        {"start_month": "1", "first_payout_month": "8", "second_payout_month": "3",
         "point_value_fen": "100", "min_value_fen": "1", "bands": "0 2.555"},
    )  # fmt: skip
    assert "比例最多两位小数" in response.content.decode()


def test_restored_coupon_shows_its_events(coupon_client, member, issue, store, system, travel):
    now = travel(2026, 3, 10)
    coupon = issue(member)
    services.mark_used(coupon, order_ref="XS9", store=store, actor=system, at=now)
    services.restore(coupon, ref="TH9", actor=system)
    page = coupon_client.get(reverse("coupons:detail", args=[coupon.code])).content.decode()
    assert page.count('data-testid="coupon-event"') == 3
    assert datetime.date(2026, 3, 10).isoformat() in page
