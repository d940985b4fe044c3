import datetime

import pytest

from huiyuan.core.actors import Actor


@pytest.fixture
def system():
    return Actor.system()


@pytest.fixture
def member(register):
    return register()


@pytest.fixture
def tuesday(db):
    """The chain's member day: every Tuesday."""
    from huiyuan.promotions.models import MemberDay

    return MemberDay.objects.create(name="周二会员日", weekdays=[2])


@pytest.fixture
def make_template(db):
    """make_template(name="…", **fields) → a saved template (default: ¥10 cash, 30 days)."""
    from huiyuan.coupons.models import CouponTemplate

    def make(name="10元代金券", **fields):
        fields.setdefault("kind", "cash")
        fields.setdefault("face_fen", 1000)
        fields.setdefault("validity", "days")
        if fields["validity"] == "days":
            fields.setdefault("valid_days", 30)
        return CouponTemplate.objects.create(name=name, **fields)

    return make


@pytest.fixture
def cash10(make_template):
    return make_template()


@pytest.fixture
def issue(cash10, system):
    """issue(member, template=cash10, **kwargs) → a coupon issued by hand."""
    from huiyuan.coupons.services import issue_coupon

    def go(member, template=None, **kwargs):
        kwargs.setdefault("source", "manual")
        kwargs.setdefault("actor", system)
        return issue_coupon(template or cash10, member, **kwargs)

    return go


@pytest.fixture
def day():
    return datetime.date


@pytest.fixture
def marketer(make_operator):
    """An operator holding every coupon permission (the built-in roles get them from the lead)."""
    from django.contrib.auth.models import Permission

    operator = make_operator("admin", username="coupons")
    operator.user_permissions.add(*Permission.objects.filter(content_type__app_label="coupons"))
    return operator


@pytest.fixture
def coupon_client(client, marketer):
    client.force_login(marketer)
    return client


@pytest.fixture
def milk(db):
    """A ¥15 product in 食品 › 乳品."""
    from huiyuan.catalog.models import Category, Product

    food = Category.objects.add_root(create_kwargs={"name": "食品", "code": "02"})
    dairy = Category.objects.add_child(food, create_kwargs={"name": "乳品", "code": "0203"})
    return Product.objects.create(
        code="MILK", name="牛奶", name_pinyin="niunai", name_initials="nn", category=dairy,
        retail_price_fen=1500,
    )  # fmt: skip
