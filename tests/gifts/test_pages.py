"""Gift pages through the test client: the catalogue and its preview, the desk's redemption and
bill, the redemption list with its export; refusals shown in Chinese, permissions kept."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from huiyuan.core.models import AuditEvent
from huiyuan.gifts.models import Gift, GiftRedemption, GiftTierPrice, LimitPeriod
from huiyuan.gifts.services import save_gift
from huiyuan.points.selectors import points_balance

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def gift_fields(**more) -> dict:
    fields = {
        "name": "保温杯",
        "kind": "product",
        "product_code": "G001",
        "coupon_template": "",
        "points": "500",
        "per_member_limit": "",
        "limit_period": "ever",
        "total_quantity": "",
        "starts_on": "",
        "ends_on": "",
        "is_active": "on",
        "sort_order": "0",
        "description": "",
    }
    return {**fields, **more}


def test_create_a_product_gift_with_a_tier_price(gift_client, cup, stock, store, tiers):
    stock(store, cup, 7)
    page = text(gift_client.get(reverse("gifts:create")))
    assert "金卡兑换积分" in page
    assert 'data-testid="tier-preview"' in page
    gold = tiers["金卡"]
    response = gift_client.post(
        reverse("gifts:create"), gift_fields(**{f"tier_{gold.pk}": "450"}), follow=True
    )
    assert "礼品“保温杯”已保存" in text(response)
    gift = Gift.objects.get()
    assert (gift.product, gift.points) == (cup, 500)
    assert GiftTierPrice.objects.get(gift=gift).points == 450
    assert AuditEvent.objects.filter(action="gift.create").exists()
    listing = text(gift_client.get(reverse("gifts:list")))
    assert "金卡 450" in listing
    edit = text(gift_client.get(reverse("gifts:edit", args=[gift.pk])))
    assert 'value="G001"' in edit
    assert "南京路旗舰店" in edit  # the stock preview, per store


def test_the_form_refuses_bad_input_in_chinese(gift_client, cup, voucher_template):
    cases = [
        (gift_fields(product_code="NOPE"), "商品不存在"),
        (gift_fields(product_code=""), "请选择礼品对应的商品"),
        (gift_fields(kind="coupon", product_code=""), "请选择兑换发放的优惠券模板"),
        (gift_fields(points="0"), "确保该值大于或等于1"),
        (gift_fields(starts_on="2026-05-02", ends_on="2026-05-01"), "结束日期不能早于开始日期"),
    ]
    for fields, message in cases:
        response = gift_client.post(reverse("gifts:create"), fields)
        assert response.status_code == 200
        assert message in text(response), message
    assert not Gift.objects.exists()


def test_a_coupon_gift_drops_the_product(gift_client, cup, voucher_template):
    gift_client.post(
        reverse("gifts:create"),
        gift_fields(name="10元券", kind="coupon", coupon_template=voucher_template.pk),
    )
    gift = Gift.objects.get()
    assert (gift.product, gift.coupon_template) == (None, voucher_template)


def test_stock_preview_fragment(gift_client, cup, stock, store, other_store):
    stock(store, cup, 7)
    page = text(gift_client.get(reverse("gifts:stock_preview"), {"product_code": "G001"}))
    assert "保温杯" in page
    assert "南京路旗舰店" in page
    unknown = text(gift_client.get(reverse("gifts:stock_preview"), {"product_code": "X"}))
    assert "没有这个商品编码" in unknown
    nul = gift_client.get(reverse("gifts:stock_preview"), {"product_code": "G0\x001"})
    assert "没有这个商品编码" in text(nul)  # was a 500 on PostgreSQL


def test_desk_finds_the_member_and_redeems(gift_client, member, earn, cup_gift, voucher_gift):
    earn(member, 1000)
    found = gift_client.get(reverse("gifts:desk"), {"lookup": member.phone})
    assert found.url == reverse("gifts:redeem", args=[member.member_no])
    page = gift_client.get(found.url)
    body = text(page)
    assert 'data-testid="points-balance">1000<' in body
    assert "保温杯" in body
    assert "积分不足" not in body
    ref = page.context["form"].initial["request_ref"]
    fields = {"request_ref": ref, f"qty_{cup_gift.pk}": "2", f"qty_{voucher_gift.pk}": ""}
    response = gift_client.post(found.url, fields, follow=True)
    bill = GiftRedemption.objects.get()
    assert response.redirect_chain[-1][0] == reverse("gifts:bill", args=[bill.number])
    slip = text(response)
    assert bill.number in slip
    assert 'data-testid="bill-total">1000<' in slip
    assert points_balance(member) == 0
    # The same form sent again (a double click, a reload) is the same bill.
    gift_client.post(found.url, fields)
    assert GiftRedemption.objects.count() == 1


def test_desk_refusals_are_shown_and_nothing_moves(gift_client, member, earn, cup_gift, system):

    earn(member, 5000)
    save_gift(actor=system, gift=cup_gift, per_member_limit=1, limit_period=LimitPeriod.DAY)
    url = reverse("gifts:redeem", args=[member.member_no])
    response = gift_client.post(url, {"request_ref": "a", f"qty_{cup_gift.pk}": "2"})
    assert "每人每天限兑 1 件，已兑 0 件" in text(response)
    response = gift_client.post(url, {"request_ref": "b", f"qty_{cup_gift.pk}": ""})
    assert "请至少选择一件礼品" in text(response)
    assert points_balance(member) == 5000
    assert not GiftRedemption.objects.exists()


def test_unaffordable_gifts_are_disabled(gift_client, member, earn, cup_gift):
    earn(member, 100)
    body = text(gift_client.get(reverse("gifts:redeem", args=[member.member_no])))
    assert "积分不足" in body


def test_redemption_list_filters_and_exports(
    gift_client, member, register, earn, cup_gift, redeem_for
):
    earn(member, 2000)
    other = register(name="李四", phone="13900139000")
    earn(other, 2000)
    first = redeem_for(member, cup_gift, 1)
    redeem_for(other, cup_gift, 2)
    listing = text(gift_client.get(reverse("gifts:redemptions")))
    assert listing.count("保温杯×") == 2
    only = text(gift_client.get(reverse("gifts:redemptions"), {"q": member.member_no}))
    assert first.number in only
    assert "李四" not in only
    export = gift_client.get(reverse("gifts:redemptions"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.values)
    assert rows[0][0] == "兑换单号"
    assert sorted(row[8] for row in rows[1:]) == [1, 2]


def test_permissions(client, make_operator, member, cup_gift):
    client.force_login(make_operator("cashier"))
    for name, args in [
        ("gifts:list", []),
        ("gifts:create", []),
        ("gifts:desk", []),
        ("gifts:redeem", [member.member_no]),
        ("gifts:redemptions", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403, name


def test_lists_cost_the_same_queries_for_more_rows(
    gift_client, member, earn, make_gift, stock, store, tiers, system, redeem_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.gifts.helpers import gift_product

    earn(member, 100_000)

    def add_gifts(start, count):
        for number in range(start, start + count):
            product = gift_product(f"G{number:03d}", f"礼品{number}")
            stock(store, product, 10)
            gift = make_gift(f"礼品{number}", 100, product=product)
            save_gift(actor=system, gift=gift, tier_points={tiers["金卡"]: 90})
            redeem_for(member, gift, 1)

    def queries(name, args=()):
        with CaptureQueriesContext(connection) as captured:
            assert gift_client.get(reverse(name, args=args)).status_code == 200
        return len(captured)

    pages = [("gifts:list", ()), ("gifts:redeem", (member.member_no,)), ("gifts:redemptions", ())]
    add_gifts(1, 2)
    before = [queries(name, args) for name, args in pages]
    add_gifts(3, 4)
    assert [queries(name, args) for name, args in pages] == before


def test_bills_are_seen_in_their_own_stores_only(
    client, make_operator, member, earn, cup_gift, voucher_gift, redeem_for, other_store
):
    from tests.gifts.helpers import grant_gift_permissions

    earn(member, 5000)
    bill = redeem_for(member, cup_gift, 1)
    redeem_for(member, voucher_gift, 2)
    elsewhere = grant_gift_permissions(make_operator("member_service", stores=[other_store]))
    client.force_login(elsewhere)
    assert client.get(reverse("gifts:bill", args=[bill.number])).status_code == 404
    assert "没有兑换记录" in text(client.get(reverse("gifts:redemptions")))


def test_filter_by_gift_counts_each_bill_once(
    gift_client, member, earn, cup_gift, voucher_gift, redeem_for, desk, store
):
    from huiyuan.gifts.services import Wanted, redeem_gifts

    earn(member, 5000)
    redeem_for(member, cup_gift, 1)
    both = [Wanted(cup_gift.pk, 1), Wanted(voucher_gift.pk, 1)]
    redeem_gifts(actor=desk, member=member, lines=both, store=store)
    redeem_for(member, voucher_gift, 1)
    page = gift_client.get(reverse("gifts:redemptions"), {"gift": cup_gift.pk})
    assert page.context["totals"] == {"points": 1800, "count": 2}
