"""redeem_gifts: prices per tier, limits, dates, stock, points, and all-or-nothing."""

import datetime
from unittest import mock

import pytest

from huiyuan.core.errors import DomainError
from huiyuan.gifts import selectors
from huiyuan.gifts.models import GiftRedemption, GiftRedemptionLine, LimitPeriod
from huiyuan.gifts.services import Wanted, redeem_gifts, save_gift
from huiyuan.inventory.models import MoveKind, StockMove
from huiyuan.inventory.selectors import stock_at
from huiyuan.points.models import PointsEntry
from huiyuan.points.selectors import points_balance


@pytest.fixture
def redeem(desk, store):
    def go(member, *lines, **more):
        more.setdefault("store", store)
        return redeem_gifts(
            actor=desk, member=member, lines=[Wanted(g.pk, q) for g, q in lines], **more
        )

    return go


def refused(code, call, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


def nothing_written(member, points):
    assert points_balance(member) == points
    assert not GiftRedemption.objects.exists()
    assert not PointsEntry.objects.filter(kind=PointsEntry.Kind.REDEEM).exists()
    assert not StockMove.objects.filter(kind=MoveKind.GIFT).exists()


def test_a_product_gift_moves_points_and_stock_in_one_bill(
    member, earn, cup_gift, cup, redeem, store
):
    earn(member, 2000)
    bill = redeem(member, (cup_gift, 2))
    assert bill.number.startswith("LP")
    assert (bill.total_points, bill.points_after) == (1000, 1000)
    assert (bill.store, bill.card) == (store, member.cards.get())
    (line,) = bill.lines.all()
    assert (line.name, line.qty, line.points_each, line.points_total) == ("保温杯", 2, 500, 1000)
    assert line.product_code == "G001"
    entry = PointsEntry.objects.get(kind=PointsEntry.Kind.REDEEM)
    assert (entry.delta, entry.ref_type, entry.ref_no) == (-1000, "gift_redemption", bill.number)
    move = StockMove.objects.get(kind=MoveKind.GIFT)
    assert (move.qty, move.ref_no) == (-2, bill.number)
    assert stock_at(store, cup).on_hand == 8
    assert points_balance(member) == 1000


def test_each_tier_pays_its_own_price(member, earn, cup_gift, redeem, tiers, system):
    save_gift(actor=system, gift=cup_gift, tier_points={tiers["普通"]: 450, tiers["金卡"]: 420})
    save_gift(actor=system, gift=cup_gift, tier_points={tiers["普通"]: None})
    earn(member, 2000)  # earning 2,000 points lifts the member to 金卡
    cup_gift.refresh_from_db()
    assert selectors.points_for(cup_gift, tiers["普通"]) == 500
    assert selectors.points_for(cup_gift, tiers["金卡"]) == 420
    assert selectors.points_for(cup_gift, None) == 500
    assert redeem(member, (cup_gift, 1)).total_points == 420


def test_not_enough_points_writes_nothing(member, earn, cup_gift, redeem):
    earn(member, 400)
    refused("POINTS_INSUFFICIENT", redeem, member, (cup_gift, 1))
    nothing_written(member, 400)


def test_not_enough_stock_after_the_points_step_rolls_the_points_back(
    member, earn, cup_gift, redeem
):
    earn(member, 100_000)
    error = refused("INSUFFICIENT_STOCK", redeem, member, (cup_gift, 11))
    assert "保温杯" in error.message
    nothing_written(member, 100_000)


def test_a_coupon_failure_after_points_and_stock_leaves_nothing(
    member, earn, cup_gift, voucher_gift, redeem
):
    earn(member, 5000)
    boom = DomainError("COUPON_LIMIT_REACHED")
    with mock.patch("huiyuan.gifts.services._issue_coupons", side_effect=boom):
        refused("COUPON_LIMIT_REACHED", redeem, member, (cup_gift, 1), (voucher_gift, 1))
    nothing_written(member, 5000)


def test_a_coupon_gift_issues_coupons_named_on_the_bill(member, earn, voucher_gift, redeem):
    earn(member, 2000)
    bill = redeem(member, (voucher_gift, 2))
    (line,) = bill.lines.all()
    coupons = member.coupons.order_by("code")
    assert sorted(line.coupon_codes) == [c.code for c in coupons]
    assert {(c.source, c.source_ref, c.face_fen) for c in coupons} == {
        ("points", bill.number, 1000)
    }
    assert points_balance(member) == 400


def test_dates_and_the_shelf(member, earn, cup_gift, redeem, system, travel):
    travel(2026, 6, 15)
    earn(member, 5000)
    save_gift(actor=system, gift=cup_gift, starts_on=datetime.date(2026, 7, 1))
    assert (
        "2026-07-01 起可兑换"
        in refused("GIFT_NOT_AVAILABLE", redeem, member, (cup_gift, 1)).message
    )
    save_gift(
        actor=system,
        gift=cup_gift,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 6, 14),
    )
    refused("GIFT_NOT_AVAILABLE", redeem, member, (cup_gift, 1))
    save_gift(actor=system, gift=cup_gift, ends_on=None, is_active=False)
    assert "已下架" in refused("GIFT_NOT_AVAILABLE", redeem, member, (cup_gift, 1)).message
    assert not selectors.on_offer(datetime.date(2026, 6, 15)).exists()
    save_gift(actor=system, gift=cup_gift, is_active=True)
    assert redeem(member, (cup_gift, 1))


def test_per_member_limit_per_month(member, register, earn, cup_gift, redeem, system, travel):
    travel(2026, 6, 15)
    save_gift(actor=system, gift=cup_gift, per_member_limit=2, limit_period=LimitPeriod.MONTH)
    earn(member, 5000)
    redeem(member, (cup_gift, 1))
    error = refused("GIFT_LIMIT_REACHED", redeem, member, (cup_gift, 1), (cup_gift, 1))
    assert "每人每月限兑 2 件，已兑 1 件" in error.message
    redeem(member, (cup_gift, 1))
    other = register(name="李四", phone="13900139000")
    earn(other, 1000)
    redeem(other, (cup_gift, 1))  # the limit is per member
    travel(2026, 7, 1)
    redeem(member, (cup_gift, 1))  # a new month
    assert GiftRedemptionLine.objects.filter(redemption__member=member).count() == 3


def test_total_quantity_limit(member, register, earn, cup_gift, redeem, system):
    save_gift(actor=system, gift=cup_gift, total_quantity=3)
    earn(member, 5000)
    redeem(member, (cup_gift, 2))
    other = register(name="李四", phone="13900139000")
    earn(other, 5000)
    assert "仅剩 1 件" in refused("GIFT_LIMIT_REACHED", redeem, other, (cup_gift, 2)).message
    redeem(other, (cup_gift, 1))


def test_the_same_request_ref_returns_the_first_bill(member, earn, cup_gift, redeem):
    earn(member, 5000)
    first = redeem(member, (cup_gift, 1), request_ref="form-1")
    again = redeem(member, (cup_gift, 1), request_ref="form-1")
    assert again == first
    assert points_balance(member) == 4500
    assert redeem(member, (cup_gift, 1), request_ref="form-2") != first


@pytest.mark.parametrize("qty", [0, -1, 1000, True, 1.5])
def test_bad_quantities(member, earn, cup_gift, redeem, qty):
    earn(member, 5000)
    refused("VALIDATION_ERROR", redeem, member, (cup_gift, qty))
    nothing_written(member, 5000)


def test_no_lines_no_store_unknown_gift(member, earn, cup_gift, redeem, desk):
    earn(member, 5000)
    refused("VALIDATION_ERROR", redeem, member)
    refused("VALIDATION_ERROR", redeem, member, (cup_gift, 1), store=None)
    cup_gift.pk += 1000
    refused("GIFT_NOT_FOUND", redeem, member, (cup_gift, 1))
    nothing_written(member, 5000)


def test_a_cancelled_member_is_refused(member, earn, cup_gift, redeem):
    earn(member, 5000)
    member.status = member.Status.CANCELLED
    refused("MEMBER_CANCELLED", redeem, member, (cup_gift, 1))


def test_offers_show_price_stock_and_what_is_left(
    member, earn, cup_gift, voucher_gift, store, other_store, system
):
    save_gift(actor=system, gift=cup_gift, per_member_limit=3)
    earn(member, 600)
    by_name = {offer.gift.name: offer for offer in selectors.offers(member, store)}
    cup, voucher = by_name["保温杯"], by_name["10元代金券"]
    assert (cup.points, cup.stock, cup.left, cup.max_qty) == (500, 10, 3, 3)
    assert (cup.affordable(600), voucher.affordable(600)) == (True, False)
    assert (voucher.stock, voucher.max_qty) == (None, None)
    elsewhere = {o.gift.name: o for o in selectors.offers(member, other_store)}["保温杯"]
    assert (elsewhere.max_qty, elsewhere.affordable(10_000)) == (0, False)


def test_a_tier_price_must_be_positive(cup_gift, tiers, system):
    error = refused(
        "VALIDATION_ERROR", save_gift, actor=system, gift=cup_gift, tier_points={tiers["金卡"]: -5}
    )
    assert error.fields == {f"tier_{tiers['金卡'].pk}": "等级兑换积分必须大于 0，留空按标准积分"}
    assert not cup_gift.tier_prices.exists()


def test_a_merge_does_not_renew_a_per_member_limit(
    member, register, earn, cup_gift, redeem, system
):
    from huiyuan.members.merging import merge_members

    save_gift(actor=system, gift=cup_gift, per_member_limit=1)
    duplicate = register(name="张三", phone="13900139000")
    earn(duplicate, 1000)
    redeem(duplicate, (cup_gift, 1))
    kept = merge_members(actor=system, absorbed=duplicate, kept=member, reason="重复登记")
    assert refused("GIFT_LIMIT_REACHED", redeem, kept, (cup_gift, 1))
