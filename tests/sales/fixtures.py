"""Fixtures for quotes (tests/sales and tests/api/test_checkout*): goods, members, promotions
and coupons made through their apps' services. Import the ones a module needs."""

import datetime
from decimal import Decimal

import pytest

from huiyuan.core.actors import Actor
from huiyuan.coupons.models import CouponSource, CouponTemplate, Validity
from huiyuan.coupons.services import issue_coupon
from huiyuan.points.models import EarnRule
from huiyuan.promotions import services as promotion_services
from huiyuan.promotions.engine_values import Draft
from huiyuan.promotions.models import MemberDay, Promotion, PromotionRow
from huiyuan.sales.quote import LineIn, quote

Kind = Promotion.Kind
SYSTEM = Actor.system()
# 2026-11-24 is a Tuesday: the member day of the seeds.
TUESDAY = (2026, 11, 24)


@pytest.fixture
def goods(make_product, fresh):
    """code → product: 生鲜 (01) goods at round prices, one excluded from member discounts, one
    weighed; EGG has a member price."""
    from huiyuan.catalog import categories

    drinks = categories.create_category(actor=SYSTEM, name="饮料", code="02")
    made = [
        make_product("RICE", "东北大米", retail_price_fen=8000),
        make_product("OIL", "花生油", retail_price_fen=5000),
        make_product("EGG", "土鸡蛋", retail_price_fen=2000, member_price_fen=1900),
        make_product("MILK", "纯牛奶", retail_price_fen=500, category=drinks),
        make_product("COLA", "可乐", retail_price_fen=300, category=drinks),
        make_product("BAG", "环保袋", retail_price_fen=200, member_discount_applies=False),
        make_product("TISSUE", "纸巾", retail_price_fen=1000),
        make_product(
            "PORK", "五花肉", retail_price_fen=3000, is_weighed=True, plu="42", unit="千克"
        ),
        make_product("CIG", "香烟", retail_price_fen=2500, earns_points=False),
    ]
    return {product.code: product for product in made}


@pytest.fixture
def on_tuesday(travel):
    return travel(*TUESDAY)


@pytest.fixture
def member(register, on_tuesday):
    return register()


@pytest.fixture
def gold_member(member, tiers):
    """The member in 金卡 (9折, points ×1.5) for a month."""
    from huiyuan.tiers.services import override_tier

    until = datetime.date(2026, 12, 31)
    override_tier(actor=SYSTEM, member=member, tier=tiers["金卡"], reason="测试", until=until)
    return member


@pytest.fixture
def earn_rule(db):
    """1 point per yuan, rounded down on the order."""
    return EarnRule.objects.create(name="每元1分", fen_per_point=100)


@pytest.fixture
def member_day(db):
    return MemberDay.objects.create(name="周二会员日", weekdays=[2])


def row(threshold=0, amount=0, **more) -> PromotionRow:
    """A promotion row with amounts in fen."""
    return PromotionRow(threshold_fen=threshold, amount_fen=amount, **more)


@pytest.fixture
def promo(db):
    """promo(kind, rows=[row(…)], products=[…], **fields) → an active promotion, saved by the
    promotions service."""

    def make(kind, *, rows=(), products=(), categories=(), **fields):
        fields.setdefault("name", f"促销{Promotion.objects.count() + 1}")
        fields.setdefault("status", Promotion.Status.ACTIVE)
        draft = Draft(
            Promotion(kind=kind, **fields),
            rows=list(rows),
            products=list(products),
            categories=list(categories),
        )
        return promotion_services.save_promotion(actor=SYSTEM, draft=draft)

    return make


@pytest.fixture
def template(db):
    """template(kind="cash", face_fen=…, …) → a coupon template valid 30 days from issue."""

    def make(name="5元代金券", kind="cash", **fields):
        fields.setdefault("validity", Validity.DAYS)
        fields.setdefault("valid_days", 30)
        products = fields.pop("products", ())
        made = CouponTemplate.objects.create(name=name, kind=kind, **fields)
        made.products.set(products)
        return made

    return make


@pytest.fixture
def give(db):
    """give(template, member) → a coupon issued to the member."""

    def make(template, member, **more):
        return issue_coupon(template, member, source=CouponSource.MANUAL, actor=SYSTEM, **more)

    return make


@pytest.fixture
def quoting(store):
    """quoting([("RICE", 2), …], member=…, **more) → the quote at the store, now."""

    def make(items, member=None, **more):
        lines = [
            LineIn(product_code=code, qty=Decimal(str(qty)), **extra)
            for code, qty, *rest in items
            for extra in [rest[0] if rest else {}]
        ]
        member_no = member.member_no if member else ""
        return quote(store=store, lines=lines, member_no=member_no, **more)

    return make
