"""The quote service beyond the API: query counts, lookups and the edges of its decisions."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huiyuan.catalog.models import Product
from huiyuan.core.errors import DomainError
from huiyuan.sales.quote import LineIn, quote
from tests.sales.fixtures import Kind, row

pytestmark = pytest.mark.django_db


def test_the_number_of_queries_does_not_grow_with_the_lines(
    store, member, goods, promo, make_product, earn_rule
):
    promo(Kind.PERCENT, name="全场95折", permille=950)
    promo(Kind.FULL_REDUCTION, name="满100减10", rows=[row(10000, 1000)])
    for i in range(30):
        make_product(f"X{i:02d}", f"商品{i}", retail_price_fen=100 + i, barcode_codes=[])

    def queries(count):
        lines = [LineIn(product_code=f"X{i:02d}", qty=Decimal(1)) for i in range(count)]
        with CaptureQueriesContext(connection) as captured:
            quote(store=store, lines=lines, member_no=member.member_no)
        return len(captured)

    assert queries(30) == queries(3)


def test_lines_by_registered_barcode_are_fetched_together(store, goods, make_product):
    make_product("SODA", "苏打水", retail_price_fen=250, barcode_codes=["6901234567892"])
    lines = [LineIn(barcode="6901234567892", qty=Decimal(2)), LineIn(product_code="RICE")]
    result = quote(store=store, lines=lines)
    assert [(line.product.code, line.barcode) for line in result.lines] == [
        ("SODA", "6901234567892"),
        ("RICE", ""),
    ]
    assert result.cart.payable_fen == 500 + 8000


def test_the_category_path_reaches_promotions_on_a_parent_category(store, goods, promo, fresh):
    from huiyuan.catalog import categories
    from tests.sales.fixtures import SYSTEM

    fruit = categories.create_category(actor=SYSTEM, name="水果", code="0101", parent=fresh)
    Product.objects.filter(code="RICE").update(category=fruit)
    promo(Kind.PERCENT, name="生鲜9折", permille=900, categories=[fresh])
    result = quote(store=store, lines=[LineIn(product_code="RICE")])
    assert result.cart.payable_fen == 7200


def test_points_need_a_member(store, goods):
    with pytest.raises(DomainError) as refused:
        quote(store=store, lines=[LineIn(product_code="RICE")], points_to_use=100)
    assert refused.value.fields.keys() == {"points_to_use"}


def test_a_coupon_ladder_without_a_member_day_still_quotes(store, member, goods, promo, template):
    ten = template("10元券", face_fen=1000, validity="next_member_day")  # no member day at all
    promo(Kind.ISSUE_COUPONS, name="满68送10", rows=[row(6800, 1000, coupon_template=ten)])
    result = quote(store=store, lines=[LineIn(product_code="RICE")], member_no=member.member_no)
    [issue] = result.coupons_to_issue
    assert (issue.valid_from, issue.valid_until) == (None, None)


def test_goods_that_earn_no_points(store, member, goods, earn_rule):
    result = quote(store=store, lines=[LineIn(product_code="CIG")], member_no=member.member_no)
    assert result.points.points == 0
    assert result.points.explanation == ["本单商品均不积分"]


def test_a_member_by_card_number(store, member, goods):
    card = member.cards.get()
    result = quote(store=store, lines=[LineIn(product_code="RICE")], card_no=card.number)
    assert (result.member, result.card) == (member, card)
