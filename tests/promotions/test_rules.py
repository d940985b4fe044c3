"""Eligibility, limits, conversion to engine values, validation, record_use, the multiplier."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from huiyuan.core.errors import DomainError
from huiyuan.core.models import AuditEvent
from huiyuan.coupons.models import CouponTemplate
from huiyuan.points.multipliers import collect
from huiyuan.promotions import services
from huiyuan.promotions.engine_values import Draft
from huiyuan.promotions.models import Promotion, PromotionUse
from huiyuan.promotions.selectors import active_promotions
from huiyuan.sales import pricing

NOW = datetime.datetime(2026, 12, 1, 12, tzinfo=timezone.get_fixed_timezone(8 * 60))
Kind = Promotion.Kind


def names(store, member, at=NOW):
    return [p.name for p in active_promotions(store, at, member)]


@pytest.fixture
def member(register):
    return register()


# Eligibility -----------------------------------------------------------------------------------


def test_tiers(make_promotion, store, member, tiers):
    make_promotion(name="金卡专享", relations={"tiers": [tiers["金卡"]]})
    make_promotion(name="普通可享", relations={"tiers": [tiers["普通"]]})
    assert names(store, member) == ["普通可享"]
    assert names(store, None) == []


def test_card_types(make_promotion, store, member, card_type, gold_card_type):
    make_promotion(name="金卡", relations={"card_types": [gold_card_type]})
    make_promotion(name="标准卡", relations={"card_types": [card_type]})
    assert names(store, member) == ["标准卡"]


def test_stores(make_promotion, store, other_store, member):
    make_promotion(name="杭州", relations={"stores": [other_store]})
    make_promotion(name="全部")
    assert names(store, member) == ["全部"]
    assert names(other_store, member) == ["杭州", "全部"]


def test_members_only_goes_to_the_engine(make_promotion, store, member):
    make_promotion(name="会员", members_only=True)
    (value,) = active_promotions(store, NOW, None)
    assert value.members_only is True


def test_new_members(make_promotion, store, member, time_machine):
    make_promotion(name="新会员", new_member_days=7)
    registered = timezone.localdate(member.created_at)
    day = datetime.datetime.combine(registered, datetime.time(12), tzinfo=NOW.tzinfo)
    assert names(store, member, day + datetime.timedelta(days=6)) == ["新会员"]
    assert names(store, member, day + datetime.timedelta(days=7)) == []
    assert names(store, None, day) == []


# Limits ----------------------------------------------------------------------------------------


def test_budget(make_promotion, store, member):
    promotion = make_promotion(name="预算", budget_fen=1000)
    services.record_use(promotion.pk, member, 600, "S1", NOW)
    assert names(store, member) == ["预算"]
    services.record_use(promotion.pk, None, 400, "S2", NOW)
    assert names(store, member) == []
    assert names(store, None) == []


def test_per_member_per_day(make_promotion, store, member, register):
    promotion = make_promotion(name="每天一次", per_member_daily=1)
    services.record_use(promotion.pk, member, 100, "S1", NOW)
    assert names(store, member) == []
    assert names(store, register(name="李四", phone="13900139000")) == ["每天一次"]
    assert names(store, member, NOW + datetime.timedelta(days=1)) == ["每天一次"]


def test_record_use_once_per_order_and_append_only(make_promotion, member):
    promotion = make_promotion()
    first = services.record_use(promotion.pk, member, 100, "S1", NOW)
    assert services.record_use(promotion.pk, member, 100, "S1", NOW) == first
    assert first.day == datetime.date(2026, 12, 1)
    with pytest.raises(TypeError):
        first.delete()
    with pytest.raises(DomainError) as refused:
        services.record_use(999_999, member, 100, "S3", NOW)
    assert refused.value.code == "PROMOTION_NOT_FOUND"
    with pytest.raises(DomainError):
        services.record_use(promotion.pk, member, -1, "S4", NOW)
    assert PromotionUse.objects.count() == 1


# Conversion ------------------------------------------------------------------------------------


@pytest.fixture
def coupon_templates(db):
    return [
        CouponTemplate.objects.create(
            name=f"会员日代金券{face}元", kind="cash", face_fen=face * 100, validity="days",
            valid_days=7,
        )
        for face in (5, 10)
    ]  # fmt: skip


def value_of(store, name):
    (value,) = [p for p in active_promotions(store, NOW, None) if p.name == name]
    return value


def test_each_kind_as_an_engine_value(
    make_promotion, row, products, fresh, store, coupon_templates
):
    apple, pear, grape, cherry = products
    scope = {"products": [apple], "categories": [fresh]}
    make_promotion(Kind.PERCENT, name="88折", permille=880, relations=scope)
    make_promotion(Kind.BUY_N_GET_M, name="第二件半价", buy=1, get=1, permille=500)
    make_promotion(
        Kind.SPECIAL_PRICE, name="惊爆价", rows=[row(amount=6.9, product=apple)], members_only=True
    )
    make_promotion(
        Kind.FULL_REDUCTION, name="满减", rows=[row(100, 10), row(200, 25)], exclusive=True
    )
    make_promotion(Kind.FULL_REDUCTION, name="每满", rows=[row(100, 10)], every=True, cap_fen=3000)
    make_promotion(
        Kind.ISSUE_COUPONS,
        name="满68送5",
        rows=[
            row(68, 5, coupon_template=coupon_templates[0]),
            row(128, 10, coupon_template=coupon_templates[1]),
        ],
    )
    make_promotion(
        Kind.ADD_PRICE,
        name="加1元换购",
        rows=[row(19, 1, product=pear), row(19, 1, product=grape), row(29, 1, product=cherry)],
    )
    make_promotion(Kind.GIFT, name="满100赠", rows=[row(100, product=pear, qty=2)])
    make_promotion(Kind.POINTS, name="双倍积分", points_permille=2000)

    values = active_promotions(store, NOW, None)
    assert "双倍积分" not in [value.name for value in values]
    percent = value_of(store, "88折")
    assert isinstance(percent, pricing.PercentOff)
    assert percent.permille == 880
    assert percent.scope == pricing.Scope(frozenset({"P001"}), frozenset({"01"}))
    assert percent.id == Promotion.objects.get(name="88折").pk
    bngm = value_of(store, "第二件半价")
    assert (bngm.buy, bngm.get, bngm.permille) == (1, 1, 500)
    assert value_of(store, "惊爆价").prices_fen == {"P001": 690}
    reduction = value_of(store, "满减")
    assert reduction.tiers == ((10000, 1000), (20000, 2500))
    assert reduction.exclusive
    every = value_of(store, "每满")
    assert every.every
    assert every.cap_fen == 3000
    ladder = value_of(store, "满68送5")
    assert ladder.steps == (
        pricing.IssueStep(6800, coupon_templates[0].pk, 500),
        pricing.IssueStep(12800, coupon_templates[1].pk, 1000),
    )
    offer = value_of(store, "加1元换购")
    assert offer.tiers == (
        pricing.AddPriceTier(1900, frozenset({"P002", "P003"}), 100),
        pricing.AddPriceTier(2900, frozenset({"P004"}), 100),
    )
    assert value_of(store, "满100赠").steps == (pricing.GiftStep(10000, "P002", 2),)


def test_engine_values_price_a_cart(make_promotion, row, products, store, register):
    """A member-day 惊爆价 and 满减 priced by the engine from the saved promotions."""
    apple = products[0]
    make_promotion(Kind.SPECIAL_PRICE, name="惊爆价", rows=[row(amount=6.9, product=apple)])
    make_promotion(Kind.FULL_REDUCTION, name="满减", rows=[row(20, 2)])
    line = pricing.CartLine(1, "P001", ("01",), Decimal(4), 1280)
    member = pricing.MemberContext(tier_name=None, discount_permille=1000, is_member=True)
    priced = pricing.price_cart([line], member, active_promotions(store, NOW, register()))
    assert priced.payable_fen == 4 * 690 - 200


def test_the_query_count_does_not_grow_with_promotions(
    make_promotion, row, products, store, member, django_assert_max_num_queries
):
    for n in range(20):
        make_promotion(Kind.SPECIAL_PRICE, rows=[row(amount=n, product=products[n % 4])])
    with django_assert_max_num_queries(9):
        assert len(active_promotions(store, NOW, member)) == 20


# Validation ------------------------------------------------------------------------------------


def refused(draft) -> dict:
    with pytest.raises(DomainError) as error:
        services.save_promotion(actor=None, draft=draft)
    assert error.value.code == "VALIDATION_ERROR"
    assert not Promotion.objects.exists()
    return error.value.fields


def test_end_before_start(db):
    draft = Draft(
        Promotion(
            name="x", kind=Kind.PERCENT, permille=900,
            starts_on=datetime.date(2026, 12, 2), ends_on=datetime.date(2026, 12, 1),
        )
    )  # fmt: skip
    assert refused(draft) == {"ends_on": "结束日期不能早于开始日期"}


@pytest.mark.parametrize("permille", [-100, 1200])
def test_discount_over_100_percent_or_negative(db, permille):
    fields = refused(Draft(Promotion(name="x", kind=Kind.PERCENT, permille=permille)))
    assert fields == {"discount": "优惠比例须在 0% 到 100% 之间"}


def test_steps_out_of_order(db, row):
    draft = Draft(Promotion(name="x", kind=Kind.FULL_REDUCTION), rows=[row(200, 25), row(100, 10)])
    assert refused(draft) == {"rows": "各档门槛须从低到高排列，且不能重复"}


@pytest.mark.parametrize(
    ("kind", "rows", "message"),
    [
        ("full_reduction", [], "至少需要一行"),
        ("full_reduction", [(100, 120)], "每档金额须大于 0 且不超过门槛"),
        ("full_reduction", [(100, 20), (200, 10)], "门槛越高，金额不能越少"),
        ("issue_coupons", [(68, 5)], "每档须有优惠券模板"),
        ("gift", [(100, 0)], "每档须有赠品和至少 1 件的数量"),
        ("special_price", [(0, 5)], "每行须有商品"),
        ("percent", [(100, 10)], "此类促销没有明细行"),
    ],
)
def test_bad_rows(db, row, kind, rows, message):
    draft = Draft(Promotion(name="x", kind=kind), rows=[row(*r) for r in rows])
    assert refused(draft) == {"rows": message}


def test_a_percent_coupon_template_cant_be_a_coupon_step(db, row):
    from huiyuan.coupons.models import CouponTemplate

    percent = CouponTemplate.objects.create(
        name="85折券", kind="percent", permille=850, validity="days", valid_days=30
    )  # issuing it with the step's face value would fail the sale that reached the step
    draft = Draft(
        Promotion(name="x", kind=Kind.ISSUE_COUPONS), [row(68, 5, coupon_template=percent)]
    )
    assert refused(draft) == {"rows": "折扣券没有面值，不能按档送出"}


def test_a_gift_step_of_twenty_digits_is_refused_not_a_database_error(db, row, products):
    typo = row(100, product=products[0], qty=10**20)  # the 满额赠品 table's quantity column
    draft = Draft(Promotion(name="x", kind=Kind.GIFT), rows=[typo])
    assert refused(draft) == {"rows": "每档赠品最多 999 件"}


def test_points_multiplier_at_least_x1(db):
    fields = refused(Draft(Promotion(name="x", kind=Kind.POINTS, points_permille=900)))
    assert fields == {"multiplier": "积分倍数须大于 1"}


def test_edits_and_status_changes_are_audited(make_promotion, system):
    promotion = make_promotion(name="88折", permille=880)
    draft = Draft.of(promotion)
    draft.promotion.permille = 850
    services.save_promotion(actor=system, draft=draft)
    services.set_status(actor=system, promotion=promotion, status="stopped")
    events = AuditEvent.objects.filter(target_id=str(promotion.pk)).order_by("id")
    assert [e.action for e in events] == ["promotion.create", "promotion.update", "promotion.stop"]
    assert events[1].before == {"permille": 880}
    assert events[1].after == {"permille": 850}


# The points multiplier -------------------------------------------------------------------------


def test_multiplier_provider(make_promotion, store, member, tiers):
    make_promotion(Kind.POINTS, name="感恩日双倍积分", points_permille=2000, weekdays=[2])
    make_promotion(
        Kind.POINTS, name="金卡三倍", points_permille=3000, relations={"tiers": [tiers["金卡"]]}
    )
    found = [m for m in collect(member, store, NOW) if m.kind == "promotion"]
    assert [(m.label, m.permille) for m in found] == [("感恩日双倍积分", 2000)]
    wednesday = NOW + datetime.timedelta(days=1)
    assert [m for m in collect(member, store, wednesday) if m.kind == "promotion"] == []
