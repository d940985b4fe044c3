"""Promotion and member-day pages: list tabs and filters, create/edit per kind with the live
preview, stop/start, detail; member days with their next dates. Refusals show on the page."""

import datetime

import pytest
from django.urls import reverse

from huiyuan.core.models import AuditEvent
from huiyuan.promotions.models import MemberDay, Promotion

pytestmark = pytest.mark.django_db
Kind = Promotion.Kind


def form_data(**fields):
    data = {"name": "测试活动", "priority": "0", "weekdays": [], "sample": ""}
    data.update(fields)
    return data


def test_list_tabs_and_filters(client, marketer, make_promotion, travel):
    travel(2026, 12, 1)
    client.force_login(marketer)  # after travelling: the session must not have expired
    marketing = client
    make_promotion(name="周二八八折", permille=880, weekdays=[2])
    make_promotion(
        name="元旦满减", kind=Kind.PERCENT, permille=900, starts_on=datetime.date(2027, 1, 1)
    )
    make_promotion(name="旧活动", status="stopped")
    make_promotion(name="草稿活动", status="draft")
    url = reverse("promotions:list")
    page = marketing.get(url).text
    assert "周二八八折" in page
    assert "此刻生效" in page
    assert "元旦满减" not in page
    assert "元旦满减" in marketing.get(url, {"tab": "upcoming"}).text
    assert "旧活动" in marketing.get(url, {"tab": "ended"}).text
    assert "草稿活动" in marketing.get(url, {"tab": "draft"}).text
    assert "周二八八折" not in marketing.get(url, {"kind": "full_reduction"}).text
    assert "周二八八折" not in marketing.get(url, {"q": "满减"}).text


def test_create_percent_with_preview(marketing, products):
    url = reverse("promotions:create", args=["percent"])
    page = marketing.get(url)
    assert page.status_code == 200
    assert "P001" in page.context["sample"]
    preview = marketing.post(
        reverse("promotions:preview", args=["percent"]),
        form_data(discount="20", sample="P001 2\nP003 1", as_member="1"),
    )
    assert preview.context["preview"].priced.payable_fen == (2 * 1280 + 2990) * 8 // 10
    assert "测试活动 −¥5.12" in preview.text
    saved = marketing.post(url, form_data(discount="20", product_codes="P001"), follow=True)
    promotion = Promotion.objects.get()
    assert saved.redirect_chain[-1][0] == reverse("promotions:detail", args=[promotion.pk])
    assert promotion.permille == 800
    assert promotion.status == "draft"
    assert [p.code for p in promotion.products.all()] == ["P001"]
    assert "优惠 20%" in saved.text


def test_discount_over_100_percent_is_refused_on_the_page(marketing, products):
    url = reverse("promotions:create", args=["percent"])
    page = marketing.post(url, form_data(discount="120"))
    assert "优惠比例须在 0% 到 100% 之间" in page.text
    preview = marketing.post(
        reverse("promotions:preview", args=["percent"]), form_data(discount="120")
    )
    assert "优惠比例须在 0% 到 100% 之间" in preview.text
    assert not Promotion.objects.exists()


def test_end_before_start_is_refused(marketing):
    url = reverse("promotions:create", args=["percent"])
    page = marketing.post(
        url, form_data(discount="10", starts_on="2026-12-10", ends_on="2026-12-01")
    )
    assert "结束日期不能早于开始日期" in page.text
    assert not Promotion.objects.exists()


@pytest.mark.parametrize(
    ("kind", "fields", "shown"),
    [
        ("special_price", {"rows": "P001 6.90"}, "¥6.90"),
        ("full_reduction", {"rows": "20 2\n50 6"}, "满 ¥50.00 减 ¥6.00"),
        ("buy_n_get_m", {"buy": "1", "get": "1", "discount": "50"}, "优惠 50%"),
        ("add_price", {"rows": "19 1 P002 P003\n29 1 P004"}, "满 ¥29.00 加 ¥1.00 换购"),
        ("gift", {"rows": "30 P002 1"}, "满 ¥30.00 赠"),
        ("points", {"multiplier": "2"}, "积分 ×2"),
    ],
)
def test_create_each_kind(marketing, products, kind, fields, shown):
    page = marketing.post(
        reverse("promotions:create", args=[kind]), form_data(**fields), follow=True
    )
    assert shown in page.text
    assert Promotion.objects.get().kind == kind


def test_issue_coupons_with_a_template(marketing, products):
    from huiyuan.coupons.models import CouponTemplate

    template = CouponTemplate.objects.create(
        name="会员日代金券5元", kind="cash", face_fen=500, validity="days", valid_days=7
    )
    rows = "68 5 会员日代金券5元"
    preview = marketing.post(
        reverse("promotions:preview", args=["issue_coupons"]),
        form_data(rows=rows, sample="P004 2", as_member="1"),
    )
    assert "付款后送 ¥5.00 优惠券" in preview.text
    page = marketing.post(
        reverse("promotions:create", args=["issue_coupons"]), form_data(rows=rows), follow=True
    )
    assert Promotion.objects.get().rows.get().coupon_template == template
    assert "会员日代金券5元" in page.text


def test_bad_rows_name_the_line(marketing, products):
    page = marketing.post(
        reverse("promotions:create", args=["special_price"]), form_data(rows="P001 6.9\nNOPE 3")
    )
    assert "第 2 行有误：没有商品编码 NOPE" in page.text
    page = marketing.post(
        reverse("promotions:create", args=["full_reduction"]), form_data(rows="200 25\n100 10")
    )
    assert "各档门槛须从低到高排列，且不能重复" in page.text
    assert not Promotion.objects.exists()


def test_edit_keeps_rows_and_is_audited(marketing, make_promotion, row, products):
    promotion = make_promotion(Kind.FULL_REDUCTION, name="满减", rows=[row(100, 10), row(200, 25)])
    url = reverse("promotions:edit", args=[promotion.pk])
    page = marketing.get(url)
    assert "100.00 10.00\n200.00 25.00" in page.text
    marketing.post(url, form_data(name="满减", rows="100 10\n200 30"))
    assert list(promotion.rows.values_list("amount_fen", flat=True)) == [1000, 3000]
    assert AuditEvent.objects.filter(
        action="promotion.update", target_id=str(promotion.pk)
    ).exists()


def test_stop_and_start(marketing, make_promotion):
    promotion = make_promotion(status="draft")
    url = reverse("promotions:status", args=[promotion.pk])
    marketing.post(url, {"status": "active"})
    promotion.refresh_from_db()
    assert promotion.status == "active"
    page = marketing.post(url, {"status": "stopped"}, follow=True)
    assert "已停止" in page.text
    promotion.refresh_from_db()
    assert promotion.status == "stopped"


def test_detail_shows_uses_and_a_preview(marketing, make_promotion, row, products, register):
    from huiyuan.promotions.services import record_use

    promotion = make_promotion(
        Kind.SPECIAL_PRICE, name="惊爆价", rows=[row(amount=6.9, product=products[0])]
    )
    record_use(
        promotion.pk, register(), 590, "S001", datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    )
    page = marketing.get(reverse("promotions:detail", args=[promotion.pk])).text
    assert "1 单，1 位会员，优惠 ¥5.90" in page
    assert "S001" in page
    assert "惊爆价 −" in page


def test_pages_need_the_permissions(client, make_operator, make_promotion):
    client.force_login(make_operator("finance"))  # the one role without promotions
    assert client.get(reverse("promotions:list")).status_code == 403
    assert client.get(reverse("promotions:member_days")).status_code == 403
    assert client.get(reverse("promotions:create", args=["nope"])).status_code in (403, 404)
    client.force_login(make_operator("cashier"))  # sees them, changes nothing
    assert client.get(reverse("promotions:list")).status_code == 200
    assert client.get(reverse("promotions:create", args=["percent"])).status_code == 403
    assert client.get(reverse("promotions:member_day_create")).status_code == 403


def test_member_days(client, marketer, travel, store):
    travel(2026, 12, 1)  # a Tuesday
    client.force_login(marketer)
    marketing = client
    url = reverse("promotions:member_day_create")
    preview = marketing.post(
        reverse("promotions:member_day_preview"), {"name": "x", "weekdays": ["2"]}
    )
    assert "2026-12-01" in preview.text
    assert "2026-12-08" in preview.text
    marketing.post(
        url, {"name": "周二会员日", "weekdays": ["2"], "is_active": "on", "stores": [store.pk]}
    )
    day = MemberDay.objects.get()
    assert day.weekdays == [2]
    page = marketing.get(reverse("promotions:member_days")).text
    assert "每周二" in page
    assert "12-01" in page
    refused = marketing.post(url, {"name": "空", "is_active": "on"})
    assert "请至少选择星期、每月日期或指定日期中的一项" in refused.text
    bad = marketing.post(url, {"name": "坏", "days_of_month": "32"})
    assert "须在 1 至 31 之间" in bad.text
    assert MemberDay.objects.count() == 1
    assert AuditEvent.objects.filter(action="member_day.create").count() == 1


@pytest.mark.parametrize(
    ("sample", "message"),
    [
        ("P001 NaN", "示例购物车每行：商品编码 数量"),
        ("P001 x", "示例购物车每行：商品编码 数量"),
        ("P001 0", "数量须在 0 到 9999 之间"),
        ("NOPE 1", "没有这些商品编码：NOPE"),
        ("P0\x0001 1", "示例购物车每行：商品编码 数量"),  # was a 500 on PostgreSQL
    ],
)
def test_preview_of_a_bad_sample_says_why(marketing, products, sample, message):
    url = reverse("promotions:preview", args=["percent"])
    answer = marketing.post(url, form_data(discount="10", sample=sample, pk="abc"))
    assert answer.status_code == 200
    assert message in answer.text


@pytest.mark.parametrize(("tab", "status"), [("ended", "stopped"), ("draft", "draft")])
def test_ended_and_draft_tabs_query_the_same_for_one_or_five(
    marketing, make_promotion, store, tuesday, tab, status
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert marketing.get(reverse("promotions:list"), {"tab": tab}).status_code == 200
        return len(context.captured_queries)

    def add(count):
        for _ in range(count):
            make_promotion(status=status, member_day=tuesday, relations={"stores": [store]})

    add(1)
    one = queries()
    add(4)
    assert queries() == one  # stores and member day prefetched, not one query a row


@pytest.mark.parametrize("url_name", ["promotions:detail", "promotions:edit"])
def test_a_promotions_page_queries_the_same_for_five_or_ten_items(
    marketing, make_promotion, make_product, row, url_name
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    items = [make_product(f"S{n:03d}", f"惊爆{n}") for n in range(10)]

    def queries(count: int) -> int:
        rows = [row(amount=5, product=product) for product in items[:count]]
        promotion = make_promotion(Promotion.Kind.SPECIAL_PRICE, rows=rows)
        with CaptureQueriesContext(connection) as context:
            assert marketing.get(reverse(url_name, args=[promotion.pk])).status_code == 200
        return len(context.captured_queries)

    assert queries(10) == queries(5)  # rows' products fetched with the promotion
