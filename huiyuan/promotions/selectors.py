"""Which promotions run where and when, for whom, as the pricing engine's values.

`running_promotions(store, at)`: started (status active), on schedule at `at` (Asia/Shanghai
local time), held at the store, budget not spent. `active_promotions(store, at, member)`: of
those, the ones the member may have (tiers, card types, new members, the per-day limit), as
engine values. The till calls it on every quote: one query for the promotions and one per
relation, whatever their number.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from huiyuan.cards.models import Card
from huiyuan.promotions.engine_values import to_engine
from huiyuan.promotions.models import MemberDay, Promotion, PromotionRow, PromotionUse
from huiyuan.sales import pricing

Kind = Promotion.Kind
EVERY_KIND = Q()


def _with_relations(queryset):
    return queryset.select_related("member_day").prefetch_related(
        "stores",
        "tiers",
        "card_types",
        "member_day__stores",
        Prefetch("products", to_attr="scope_products"),
        Prefetch("categories", to_attr="scope_categories"),
        Prefetch(
            "rows",
            queryset=PromotionRow.objects.select_related("product", "coupon_template"),
        ),
    )


def with_details():
    """Promotions with everything their pages show (rows with their products and templates,
    scope, stores, eligibility) fetched up front."""
    return _with_relations(Promotion.objects.all())


def _used_fen():
    uses = PromotionUse.objects.filter(promotion=OuterRef("pk")).values("promotion")
    total = uses.annotate(total=Sum("discount_fen")).values("total")
    return Coalesce(Subquery(total, output_field=IntegerField()), 0)


def _dated(day: datetime.date):
    return Promotion.objects.filter(
        Q(starts_on__isnull=True) | Q(starts_on__lte=day),
        Q(ends_on__isnull=True) | Q(ends_on__gte=day),
    )


def held_at(promotion: Promotion, store) -> bool:
    stores = promotion.stores.all()
    return store is None or not stores or store in stores


def on_day(promotion: Promotion, day: datetime.date, store=None) -> bool:
    """Within the dates and on a day any day selector names (none set: every day)."""
    if (promotion.starts_on and day < promotion.starts_on) or (
        promotion.ends_on and day > promotion.ends_on
    ):
        return False
    member_day = promotion.member_day
    selectors = promotion.weekdays or promotion.days_of_month or promotion.dates or member_day
    return not selectors or (
        day.isoweekday() in promotion.weekdays
        or day.day in promotion.days_of_month
        or day.isoformat() in promotion.dates
        or (
            member_day is not None
            and member_day.is_active
            and member_day.runs_at(store)
            and member_day.occurs_on(day)
        )
    )


def on_schedule(promotion: Promotion, at: datetime.datetime, store=None) -> bool:
    local = timezone.localtime(at)
    hours = promotion.hours
    return on_day(promotion, local.date(), store) and (not hours or local.hour in hours)


def budget_left(promotion: Promotion) -> bool:
    return promotion.budget_fen is None or promotion.used_fen < promotion.budget_fen


def running_promotions(store, at: datetime.datetime, kinds: Q = EVERY_KIND) -> list[Promotion]:
    """Active, on schedule, held at `store` (None: any store) and within budget at `at`;
    `kinds` narrows the query (the quote reads price rules and points multipliers apart)."""
    day = timezone.localdate(at)
    queryset = _with_relations(
        _dated(day).filter(kinds, status=Promotion.Status.ACTIVE).annotate(used_fen=_used_fen())
    )
    return [
        promotion
        for promotion in queryset
        if held_at(promotion, store)
        and on_schedule(promotion, at, store)
        and budget_left(promotion)
    ]


@dataclass(frozen=True)
class Eligibility:
    """What eligibility looks at, read once per quote (None: not a member)."""

    member_id: int | None
    tier_id: int | None = None
    card_type_id: int | None = None
    registered_on: datetime.date | None = None
    uses_today: dict | None = None  # promotion id → uses by the member on the day

    def allows(self, promotion: Promotion, day: datetime.date) -> bool:
        tiers, card_types = promotion.tiers.all(), promotion.card_types.all()
        restricted = tiers or card_types or promotion.new_member_days is not None
        if self.member_id is None:
            return not restricted
        if tiers and self.tier_id not in {tier.pk for tier in tiers}:
            return False
        if card_types and self.card_type_id not in {card_type.pk for card_type in card_types}:
            return False
        if promotion.new_member_days is not None and (
            (day - self.registered_on).days >= promotion.new_member_days
        ):
            return False
        limit = promotion.per_member_daily
        return limit is None or self.uses_today.get(promotion.pk, 0) < limit


def eligibility(member, day: datetime.date, running: list[Promotion]) -> Eligibility:
    """What the running promotions need to know of the member: a tier, a card type or today's
    uses are read only when some promotion asks for them."""
    if member is None:
        return Eligibility(member_id=None)
    from huiyuan.tiers.selectors import tier_of

    tier = card = None
    if any(promotion.tiers.all() for promotion in running):
        tier = tier_of(member)
    if any(promotion.card_types.all() for promotion in running):
        card = member.cards.filter(status__in=Card.LIVE).only("card_type_id").first()
    uses = {}
    if any(promotion.per_member_daily is not None for promotion in running):
        today = PromotionUse.objects.filter(member=member, day=day).values("promotion_id")
        uses = dict(today.annotate(n=Count("id")).values_list("promotion_id", "n"))
    return Eligibility(
        member_id=member.pk,
        tier_id=tier.pk if tier else None,
        card_type_id=card.card_type_id if card else None,
        registered_on=timezone.localdate(member.created_at),
        uses_today=uses,
    )


def eligible_promotions(
    store, at: datetime.datetime, member, kinds: Q = EVERY_KIND
) -> list[Promotion]:
    """The running promotions `member` (None: a customer without a card) may have at `at`."""
    running = running_promotions(store, at, kinds)
    if not running:
        return []
    day = timezone.localdate(at)
    who = eligibility(member, day, running)
    return [promotion for promotion in running if who.allows(promotion, day)]


def engine_value(promotion: Promotion) -> pricing.Promotion | None:
    return to_engine(
        promotion,
        promotion.rows.all(),
        [product.code for product in promotion.scope_products],
        [category.code for category in promotion.scope_categories],
    )


def active_promotions(store, at: datetime.datetime, member) -> list[pricing.Promotion]:
    """The engine values of what prices `member`'s cart at `store` at `at` (ids = model pks).
    Points multipliers are not among them: they come through points/multipliers.py."""
    pricing_kinds = ~Q(kind=Kind.POINTS)
    return [engine_value(p) for p in eligible_promotions(store, at, member, pricing_kinds)]


def points_multipliers(member, store, at: datetime.datetime):
    """The points-multiplier provider (kind "promotion"), registered in apps.py."""
    from huiyuan.points.multipliers import Multiplier

    return [
        Multiplier("promotion", promotion.name, promotion.points_permille)
        for promotion in eligible_promotions(store, at, member, Q(kind=Kind.POINTS))
    ]


def current_and_upcoming(
    today: datetime.date, *, kind: str = "", store=None
) -> tuple[list[Promotion], list[Promotion]]:
    """Started promotions whose dates cover `today`, and those starting later (soonest first)."""
    queryset = Promotion.objects.filter(status=Promotion.Status.ACTIVE)
    if kind:
        queryset = queryset.filter(kind=kind)
    if store is not None:
        queryset = queryset.filter(Q(stores=None) | Q(stores=store)).distinct()
    queryset = _with_relations(queryset.annotate(used_fen=_used_fen()))
    current = [p for p in queryset if _covers(p, today)]
    upcoming = sorted(
        (p for p in queryset if p.starts_on and p.starts_on > today),
        key=lambda p: (p.starts_on, p.pk),
    )
    return current, upcoming


def _covers(promotion: Promotion, day: datetime.date) -> bool:
    return (promotion.starts_on is None or promotion.starts_on <= day) and (
        promotion.ends_on is None or promotion.ends_on >= day
    )


def ended(today: datetime.date, *, kind: str = "", store=None):
    """Stopped promotions and those whose end date has passed, latest first."""
    queryset = Promotion.objects.filter(
        Q(status=Promotion.Status.STOPPED) | Q(status=Promotion.Status.ACTIVE, ends_on__lt=today)
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    if store is not None:
        queryset = queryset.filter(Q(stores=None) | Q(stores=store)).distinct()
    return _with_relations(queryset.order_by("-ends_on", "-id"))


def drafts(*, kind: str = ""):
    """Promotions never started (status draft), in the default order (priority first)."""
    queryset = Promotion.objects.filter(status=Promotion.Status.DRAFT)
    if kind:
        queryset = queryset.filter(kind=kind)
    return _with_relations(queryset)


def next_occurrences(member_day: MemberDay, today: datetime.date, count: int = 5, store=None):
    """The member day's next `count` dates from `today` on (today included), at `store`."""
    if store is not None and not member_day.runs_at(store):
        return []
    found, day = [], today - datetime.timedelta(days=1)
    while len(found) < count:
        day = member_day.next_occurrence(day)
        if day is None:
            break
        found.append(day)
    return found
