"""促销 calls: the promotions running at a store at a moment, and the member days with their next
date. Read-only wrappers over `promotions.selectors` (the quote applies the same promotions)."""

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from huiyuan.api.schemas import NO_NUL, LocalDateTime
from huiyuan.core.errors import DomainError
from huiyuan.core.models import Store
from huiyuan.promotions import selectors
from huiyuan.promotions.models import MemberDay

router = Router(tags=["促销"])


class RowOut(Schema):
    threshold_fen: int
    amount_fen: int = Field(..., description="惊爆价、减额、券面值或换购价（按类型）")
    product_code: str | None = Field(None, alias="product.code")
    coupon_template_id: int | None = None
    qty: int


class PromotionOut(Schema):
    id: int
    name: str
    kind: str = Field(
        ...,
        description="`percent`, `special_price`, `full_reduction`, `buy_n_get_m`, "
        "`issue_coupons`, `add_price`, `gift` or `points`",
    )
    terms: str = Field(..., description="如“优惠 12%”“买 2 送 1”“积分 ×2”")
    schedule: str = Field(..., description="如“每周二 8:00–10:59”")
    priority: int
    exclusive: bool
    members_only: bool
    permille: int = Field(..., description="实付比例：800 = 8 折（折扣、第N件）")
    points_permille: int = Field(..., description="积分倍数：2000 = 双倍")
    buy: int
    get: int
    every: bool
    cap_fen: int | None
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    member_day: str | None = Field(None, alias="member_day.name")
    new_member_days: int | None
    budget_fen: int | None
    budget_left_fen: int | None
    per_member_daily: int | None
    product_codes: list[str]
    category_codes: list[str]
    store_codes: list[str] = Field(..., description="空：全部门店")
    tiers: list[str] = Field(..., description="空：全部等级")
    card_type_codes: list[str] = Field(..., description="空：全部卡类型")
    rows: list[RowOut]

    @staticmethod
    def resolve_terms(promotion) -> str:
        return promotion.terms_text()

    @staticmethod
    def resolve_schedule(promotion) -> str:
        return promotion.schedule_text()

    @staticmethod
    def resolve_budget_left_fen(promotion) -> int | None:
        if promotion.budget_fen is None:
            return None
        return max(promotion.budget_fen - promotion.used_fen, 0)

    @staticmethod
    def resolve_product_codes(promotion) -> list[str]:
        return [product.code for product in promotion.scope_products]

    @staticmethod
    def resolve_category_codes(promotion) -> list[str]:
        return [category.code for category in promotion.scope_categories]

    @staticmethod
    def resolve_store_codes(promotion) -> list[str]:
        return [store.code for store in promotion.stores.all()]

    @staticmethod
    def resolve_tiers(promotion) -> list[str]:
        return [tier.name for tier in promotion.tiers.all()]

    @staticmethod
    def resolve_card_type_codes(promotion) -> list[str]:
        return [card_type.code for card_type in promotion.card_types.all()]

    @staticmethod
    def resolve_rows(promotion) -> list:
        return list(promotion.rows.all())


class PromotionsOut(Schema):
    store_code: str
    at: LocalDateTime
    promotions: list[PromotionOut]


class MemberDayOut(Schema):
    id: int
    name: str
    weekdays: list[int] = Field(..., description="1 = 周一 … 7 = 周日")
    days_of_month: list[int]
    dates: list[datetime.date]
    store_codes: list[str] = Field(..., description="空：全部门店")
    is_active: bool
    next_on: datetime.date | None = Field(
        None, description="今天或之后最近的一次；null：一年内没有"
    )
    is_today: bool


class PromotionsIn(Schema):
    active_at: datetime.datetime | None = Field(
        None, description="默认现在；不带时区按上海时间（2000–2099 年）"
    )
    store: str | None = Field(
        None, max_length=20, pattern=NO_NUL, description="门店编码，默认本终端的门店"
    )

    @field_validator("active_at")
    @classmethod
    def _within_the_century(cls, value: datetime.datetime | None):
        # 9999-12-31T23:59:59Z has no Shanghai date: refused here, not a 500 in localtime()
        if value is not None and not 2000 <= value.year <= 2099:
            raise ValueError("active_at must be within 2000–2099")
        return value


class MemberDaysIn(Schema):
    store: str | None = Field(
        None, max_length=20, pattern=NO_NUL, description="门店编码，默认本终端的门店"
    )


def _store(request: HttpRequest, code: str | None) -> Store:
    if not code:
        return request.auth.store
    store = Store.objects.filter(code=code, is_active=True).first()
    if store is None:
        raise DomainError("STORE_NOT_FOUND", field="store")
    return store


@router.get("/promotions", response=PromotionsOut)
def promotions(request: HttpRequest, filters: Query[PromotionsIn]):
    """某门店某一时刻生效的促销（已启用、在时间安排内、预算未用完）。会员资格（等级、卡类型、
    新会员、每人每天次数）由计价时按会员判断。"""
    at = filters.active_at or timezone.now()
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    where = _store(request, filters.store)
    running = selectors.running_promotions(where, at)
    return {"store_code": where.code, "at": at, "promotions": running}


@router.get("/member-days", response=list[MemberDayOut])
def member_days(request: HttpRequest, filters: Query[MemberDaysIn]):
    """会员日及其下一次日期（按门店：不在该门店举办的会员日没有下一次日期）。"""
    where = _store(request, filters.store)
    today = timezone.localdate()
    answer = []
    for day in MemberDay.objects.prefetch_related("stores"):
        upcoming = selectors.next_occurrences(day, today, 1, store=where) if day.is_active else []
        answer.append(
            {
                "id": day.pk,
                "name": day.name,
                "weekdays": day.weekdays,
                "days_of_month": day.days_of_month,
                "dates": day.dates,
                "store_codes": [store.code for store in day.stores.all()],
                "is_active": day.is_active,
                "next_on": upcoming[0] if upcoming else None,
                "is_today": bool(upcoming) and upcoming[0] == today,
            }
        )
    return answer
