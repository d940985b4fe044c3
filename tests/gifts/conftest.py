import pytest

from huiyuan.core.actors import Actor
from huiyuan.gifts.models import GiftKind
from huiyuan.gifts.services import save_gift
from tests.gifts.helpers import gift_product, grant_gift_permissions, receive


@pytest.fixture
def system():
    return Actor.system()


@pytest.fixture
def desk(store):
    """The system acting at the store's desk."""
    return Actor(store=store)


@pytest.fixture
def member(register):
    return register()


@pytest.fixture
def stock(db):
    """stock(store, product, qty): a confirmed purchase receipt for the store's shop floor."""
    return receive


@pytest.fixture
def cup(db):
    return gift_product("G001", "保温杯")


@pytest.fixture
def make_gift(system):
    def make(name="保温杯", points=500, product=None, coupon_template=None, **fields):
        kind = GiftKind.PRODUCT if product is not None else GiftKind.COUPON
        return save_gift(
            actor=system,
            name=name,
            kind=kind,
            product=product,
            coupon_template=coupon_template,
            points=points,
            **fields,
        )

    return make


@pytest.fixture
def cup_gift(make_gift, cup, stock, store):
    stock(store, cup, 10)
    return make_gift("保温杯", 500, product=cup)


@pytest.fixture
def voucher_template(db):
    from huiyuan.coupons.models import CouponTemplate

    return CouponTemplate.objects.create(
        name="积分兑换10元代金券", kind="cash", face_fen=1000, validity="days", valid_days=30
    )


@pytest.fixture
def voucher_gift(make_gift, voucher_template):
    return make_gift("10元代金券", 800, coupon_template=voucher_template)


@pytest.fixture
def gift_clerk(make_operator):
    """A desk operator with the gift permissions (the built-in roles get them from the lead)."""
    return grant_gift_permissions(make_operator("member_service"))


@pytest.fixture
def gift_client(client, gift_clerk):
    client.force_login(gift_clerk)
    return client


@pytest.fixture
def redeem_for(desk, store):
    """redeem_for(member, gift, qty) at the store's desk."""
    from huiyuan.gifts.services import Wanted, redeem_gifts

    def go(member, gift, qty):
        return redeem_gifts(actor=desk, member=member, lines=[Wanted(gift.pk, qty)], store=store)

    return go
