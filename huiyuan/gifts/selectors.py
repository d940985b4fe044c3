"""Reads of the gift catalogue shared by the desk, the pages and the API: a member's points price,
what is on offer today, stock at a store's shop floor, and how much of a limit is left."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from huiyuan.core.models import Store
from huiyuan.gifts.models import Gift, GiftKind, GiftRedemption, GiftRedemptionLine, LimitPeriod
from huiyuan.inventory.models import Location, StockLevel
from huiyuan.members.selectors import with_absorbed
from huiyuan.tiers.selectors import tier_of


def with_details(gifts: QuerySet) -> QuerySet:
    return gifts.select_related("product", "coupon_template").prefetch_related("tier_prices__tier")


def on_offer(today: datetime.date) -> QuerySet:
    """Gifts that may be redeemed on `today`: on the shelf (上架) and within their dates."""
    return with_details(
        Gift.objects.filter(is_active=True)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=today))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    )


def points_for(gift: Gift, tier) -> int:
    """The gift's points price for a member of `tier` (None: no tier): the tier's own price, else
    the gift's."""
    if tier is not None:
        for row in gift.tier_prices.all():
            if row.tier_id == tier.pk:
                return row.points
    return gift.points


def floor_stock(store: Store, products) -> dict[int, Decimal]:
    """Available quantity (on hand − frozen) of each product on the store's shop floor, where a
    desk hands gifts out (`inventory.services.location_for`)."""
    levels = StockLevel.objects.filter(
        location__store=store, location__kind=Location.Kind.FLOOR, product__in=products
    )
    return {level.product_id: level.available for level in levels}


def period_start(period: str, today: datetime.date) -> datetime.datetime | None:
    """Where a per-member limit's period began (None: it counts for ever)."""
    starts = {
        LimitPeriod.DAY: today,
        LimitPeriod.MONTH: today.replace(day=1),
        LimitPeriod.YEAR: today.replace(month=1, day=1),
    }
    day = starts.get(period)
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def redeemed_by(member, gifts, today: datetime.date) -> dict[int, int]:
    """How many of each gift `member` redeemed within that gift's limit period (the bills of
    duplicate records merged into the member count too: a merge doesn't renew a limit)."""
    rows = GiftRedemptionLine.objects.filter(
        redemption__member__in=with_absorbed(member), gift__in=gifts
    )
    starts = {gift.pk: period_start(gift.limit_period, today) for gift in gifts}
    counted: dict[int, int] = defaultdict(int)
    for gift_id, qty, at in rows.values_list("gift_id", "qty", "redemption__created_at"):
        since = starts[gift_id]
        if since is None or at >= since:
            counted[gift_id] += qty
    return counted


def redeemed_in_total(gifts) -> dict[int, int]:
    rows = GiftRedemptionLine.objects.filter(gift__in=gifts).values("gift_id")
    return {row["gift_id"]: row["total"] for row in rows.annotate(total=Sum("qty"))}


def left_for(gift: Gift, member_used: int, total_used: int) -> int | None:
    """How many more the member may redeem under the gift's limits (None: no limit)."""
    left = []
    if gift.per_member_limit is not None:
        left.append(gift.per_member_limit - member_used)
    if gift.total_quantity is not None:
        left.append(gift.total_quantity - total_used)
    return max(min(left), 0) if left else None


@dataclass(frozen=True)
class Offer:
    """A gift as one member sees it at one store's desk today."""

    gift: Gift
    points: int  # this member's price
    stock: Decimal | None  # available on the shop floor (None: a coupon)
    left: int | None  # left under the limits (None: unlimited)
    stock_bounds: bool = True  # False where the store allows negative stock

    @property
    def max_qty(self) -> int | None:
        """The most the member may take here, stock and limits considered (None: unbounded)."""
        bounds = [] if self.left is None else [self.left]
        if self.stock is not None and self.stock_bounds:
            bounds.append(max(int(self.stock), 0))
        return min(bounds) if bounds else None

    def affordable(self, balance: int) -> bool:
        return self.points <= balance and self.max_qty != 0


def offers(member, store: Store, today: datetime.date | None = None) -> list[Offer]:
    """Every gift on offer with `member`'s price, the stock at `store` and what is left of the
    limits (a handful of queries, whatever the number of gifts)."""
    today = today or timezone.localdate()
    gifts = list(on_offer(today))
    tier = tier_of(member) if member is not None else None
    products = [gift.product_id for gift in gifts if gift.kind == GiftKind.PRODUCT]
    stock = floor_stock(store, products) if store is not None else {}
    used = redeemed_by(member, gifts, today) if member is not None else {}
    totals = redeemed_in_total([gift for gift in gifts if gift.total_quantity is not None])
    return [
        Offer(
            gift=gift,
            points=points_for(gift, tier),
            stock=stock.get(gift.product_id, Decimal(0)) if gift.kind == GiftKind.PRODUCT else None,
            left=left_for(gift, used.get(gift.pk, 0), totals.get(gift.pk, 0)),
            stock_bounds=store is None or not store.allow_negative_stock,
        )
        for gift in gifts
    ]


def redemptions() -> QuerySet:
    return GiftRedemption.objects.select_related("member", "store", "operator", "api_key", "card")
