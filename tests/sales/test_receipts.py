"""The receipt page: 58 / 80 mm, every part the issue names, reprints marked as copies."""

import pytest
from django.urls import reverse

from huiyuan.coupons.models import Validity
from huiyuan.sales.receipts import balances_after
from tests.sales.fixtures import Kind, row
from tests.sales.orders_fixtures import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(sell, gold_member, stocked, promo, template, member_day, earn_rule, with_stored_value):
    ten = template(
        "会员日10元券", face_fen=1000, validity=Validity.NEXT_MEMBER_DAY, member_day=member_day
    )
    promo(Kind.ISSUE_COUPONS, name="满68送10", rows=[row(6800, 1000, coupon_template=ten)])
    with_stored_value(gold_member, 3000, bonus_fen=500)
    return sell(
        [("RICE", 1), ("PORK", "0.5")],
        member=gold_member,
        pay=[("stored_value", 3500), ("cash", 10000)],
    )


def test_the_receipt_prints_every_part(client, clerk, order, store):
    client.force_login(clerk)
    page = client.get(reverse("orders:receipt", args=[order.order_no])).content.decode()
    assert "@page { size: 80mm auto" in page
    assert store.name in page
    assert order.order_no in page
    assert "东北大米" in page
    assert "五花肉" in page
    assert "0.500 × ¥30.00" in page
    assert "会员折扣" in page
    assert "-¥8.00" in page  # rice 9折
    assert "储值" in page
    assert "¥35.00" in page
    assert "¥30.00 / ¥5.00" in page  # principal / bonus
    assert f'data-testid="change">¥{order.change_fen / 100:.2f}' in page
    assert f"+{order.points_earned}" in page
    assert 'data-testid="points-balance">' in page
    assert 'data-testid="stored-value-balance">¥0.00' in page
    assert "会员日10元券" in page
    assert "仅限 2026-12-01 使用" in page
    assert "<svg" in page
    assert "退换货" in page
    assert "重印" not in page


def test_58mm_and_the_reprint_mark(client, clerk, order):
    client.force_login(clerk)
    url = reverse("orders:receipt", args=[order.order_no])
    page = client.get(url, {"width": "58", "reprint": "1"}).content.decode()
    assert "@page { size: 58mm auto" in page
    assert 'data-testid="reprint"' in page
    assert "?width=80&amp;reprint=1" in page
    assert "size: 80mm" in client.get(url, {"width": "99"}).content.decode()


def test_balances_are_as_the_order_left_them(sell, order, gold_member, with_stored_value):
    before = balances_after(order)
    with_stored_value(gold_member, 10000)
    sell([("COLA", 1)], member=gold_member)
    assert balances_after(order) == before
    assert before.stored_value_fen == 0
    assert before.points == order.points_earned


def test_a_non_member_receipt_has_no_member_part(client, clerk, sell, stocked):
    client.force_login(clerk)
    order = sell([("COLA", 1)], pay=[("cash", 500)])
    page = client.get(reverse("orders:receipt", args=[order.order_no])).content.decode()
    assert 'data-testid="receipt-member"' not in page
    assert 'data-testid="change">¥2.00' in page
