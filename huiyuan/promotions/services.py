"""Promotions and member days: validated, audited saves; status changes; recorded uses.

A promotion is checked whole before anything is written (`check`): dates in order, a discount
within 0–100%, a multiplier of at least ×1, the rows its kind needs with thresholds rising, and
finally the pricing engine's own checks. A refusal is `VALIDATION_ERROR` with a message per field
and nothing saved.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.coupons.models import CouponKind
from huiyuan.promotions.engine_values import Draft, draft_to_engine
from huiyuan.promotions.models import MemberDay, Promotion, PromotionRow, PromotionUse

Kind = Promotion.Kind
FIELDS = [
    "name", "kind", "status", "priority", "exclusive", "members_only", "permille",
    "points_permille", "buy", "get", "every", "cap_fen", "products", "categories", "starts_on",
    "ends_on", "weekdays", "days_of_month", "dates", "hours", "member_day", "stores", "tiers",
    "card_types", "new_member_days", "budget_fen", "per_member_daily", "note",
]  # fmt: skip
DAY_FIELDS = ["name", "weekdays", "days_of_month", "dates", "stores", "is_active", "note"]
MAX_GIFT_QTY = 999  # gifts a step gives (the column is an int: a typo of 20 digits is refused)
ROW_KINDS = {Kind.SPECIAL_PRICE, Kind.FULL_REDUCTION, Kind.ISSUE_COUPONS, Kind.ADD_PRICE, Kind.GIFT}


def check(draft: Draft) -> None:
    """Every rule a promotion must keep (see the module docstring); raises VALIDATION_ERROR."""
    errors = {}
    promotion = draft.promotion
    if promotion.starts_on and promotion.ends_on and promotion.ends_on < promotion.starts_on:
        errors["ends_on"] = _("结束日期不能早于开始日期")
    if not 0 <= promotion.permille <= 1000:
        errors["discount"] = _("优惠比例须在 0% 到 100% 之间")
    if promotion.kind == Kind.POINTS and promotion.points_permille <= 1000:
        errors["multiplier"] = _("积分倍数须大于 1")
    if promotion.kind == Kind.BUY_N_GET_M and (promotion.buy < 1 or promotion.get < 1):
        errors["buy"] = _("买和送的件数至少为 1")
    for name, value in (("cap_fen", promotion.cap_fen), ("budget_fen", promotion.budget_fen)):
        if value is not None and value <= 0:
            errors[name] = _("金额须大于 0")
    errors.update(_schedule_errors(promotion.weekdays, promotion.days_of_month, promotion.dates))
    if any(not 0 <= hour <= 23 for hour in promotion.hours):
        errors["hours"] = _("时段只能是 0 至 23 点")
    rows_error = _rows_error(promotion, draft.rows)
    if rows_error:
        errors["rows"] = rows_error
    if not errors:
        try:
            draft_to_engine(draft)
        except ValueError as exc:
            errors["rows"] = _("促销设置无效：%(reason)s") % {"reason": exc}
    if errors:
        raise DomainError("VALIDATION_ERROR", fields=errors)


def _schedule_errors(weekdays, days_of_month, dates) -> dict:
    errors = {}
    if any(not 1 <= day <= 7 for day in weekdays):
        errors["weekdays"] = _("星期只能是 1 至 7")
    if any(not 1 <= day <= 31 for day in days_of_month):
        errors["days_of_month"] = _("每月日期只能是 1 至 31")
    try:
        for day in dates:
            datetime.date.fromisoformat(day)
    except (TypeError, ValueError):
        errors["dates"] = _("指定日期须为 2026-12-01 这样的日期")
    return errors


def _rows_error(promotion: Promotion, rows: list[PromotionRow]) -> str | None:
    kind = promotion.kind
    if kind not in ROW_KINDS:
        return _("此类促销没有明细行") if rows else None
    if not rows:
        return _("至少需要一行")
    if kind == Kind.SPECIAL_PRICE:
        codes = [row.product.code for row in rows if row.product]
        if len(codes) != len(rows):
            return _("每行须有商品")
        if len(set(codes)) != len(codes):
            return _("商品不能重复")
        if any(row.amount_fen < 0 for row in rows):
            return _("惊爆价不能为负")
        return None
    if any(row.threshold_fen <= 0 for row in rows):
        return _("门槛金额须大于 0")
    if kind == Kind.ADD_PRICE:
        if any(row.product is None for row in rows):
            return _("每行须有换购商品")
        if any(row.amount_fen < 0 for row in rows):
            return _("换购价不能为负")
        if any(a.threshold_fen > b.threshold_fen for a, b in zip(rows, rows[1:], strict=False)):
            return _("各档门槛须从低到高排列")
        return None
    if kind == Kind.FULL_REDUCTION and promotion.every and len(rows) != 1:
        return _("每满减只能有一档")
    if any(a.threshold_fen >= b.threshold_fen for a, b in zip(rows, rows[1:], strict=False)):
        return _("各档门槛须从低到高排列，且不能重复")
    if kind == Kind.GIFT:
        if any(row.product is None or row.qty < 1 for row in rows):
            return _("每档须有赠品和至少 1 件的数量")
        if any(row.qty > MAX_GIFT_QTY for row in rows):
            return _("每档赠品最多 %(max)d 件") % {"max": MAX_GIFT_QTY}
        return None
    if any(not 0 < row.amount_fen <= row.threshold_fen for row in rows):
        return _("每档金额须大于 0 且不超过门槛")
    if any(a.amount_fen > b.amount_fen for a, b in zip(rows, rows[1:], strict=False)):
        return _("门槛越高，金额不能越少")
    if kind == Kind.ISSUE_COUPONS and any(row.coupon_template is None for row in rows):
        return _("每档须有优惠券模板")
    if kind == Kind.ISSUE_COUPONS and any(
        row.coupon_template.kind == CouponKind.PERCENT for row in rows
    ):  # a step sends a face value: issuing a 折扣券 with one fails every sale that reaches it
        return _("折扣券没有面值，不能按档送出")
    return None


def _snapshot(promotion: Promotion) -> dict:
    picture = audit.snapshot(promotion, FIELDS)
    picture["rows"] = [
        [row.threshold_fen, row.amount_fen, row.product_id, row.coupon_template_id, row.qty]
        for row in promotion.rows.all()
    ]
    return picture


@transaction.atomic
def save_promotion(*, actor: Actor, draft: Draft) -> Promotion:
    """Create or update a promotion with its rows, scope and eligibility (all or nothing)."""
    promotion = draft.promotion
    creating = promotion.pk is None
    before = {} if creating else _snapshot(Promotion.objects.get(pk=promotion.pk))
    check(draft)
    try:
        promotion.full_clean(exclude=["products", "categories", "stores", "tiers", "card_types"])
    except ValidationError as exc:
        raise DomainError.from_validation(exc) from exc
    promotion.save()
    promotion.products.set(draft.products)
    promotion.categories.set(draft.categories)
    promotion.stores.set(draft.stores)
    promotion.tiers.set(draft.tiers)
    promotion.card_types.set(draft.card_types)
    promotion.rows.all().delete()
    for position, row in enumerate(draft.rows):
        row.pk, row.promotion, row.position = None, promotion, position
    PromotionRow.objects.bulk_create(draft.rows)
    after = _snapshot(promotion)
    if creating:
        audit.record(actor, "promotion.create", promotion, after=after)
    else:
        old, new = audit.changes(before, after)
        if new:
            audit.record(actor, "promotion.update", promotion, before=old, after=new)
    return promotion


@transaction.atomic
def set_status(*, actor: Actor, promotion: Promotion, status: str) -> Promotion:
    """Start (a draft or a stopped promotion) or stop one."""
    promotion = Promotion.objects.select_for_update().get(pk=promotion.pk)
    if status not in (Promotion.Status.ACTIVE, Promotion.Status.STOPPED):
        raise DomainError("VALIDATION_ERROR", fields={"status": _("只能启用或停止")})
    if promotion.status == status:
        return promotion
    before = promotion.status
    promotion.status = status
    promotion.save(update_fields=["status", "updated_at"])
    action = "promotion.start" if status == Promotion.Status.ACTIVE else "promotion.stop"
    audit.record(actor, action, promotion, before={"status": before}, after={"status": status})
    return promotion


def record_use(
    promotion_id: int, member, discount_fen: int, order_ref: str, at: datetime.datetime
) -> PromotionUse:
    """Record that a paid order used a promotion (budgets and per-member limits count these).

    Never refused for a spent budget: the sale has happened (the quote stops offering it). The
    same order recorded twice returns the first row."""
    if discount_fen < 0 or not order_ref:
        raise DomainError(
            "VALIDATION_ERROR", fields={"discount_fen": _("优惠金额不能为负，单号不能为空")}
        )
    if not Promotion.objects.filter(pk=promotion_id).exists():
        raise DomainError("PROMOTION_NOT_FOUND")
    try:
        with transaction.atomic():
            return PromotionUse.objects.create(
                promotion_id=promotion_id,
                member=member,
                discount_fen=discount_fen,
                order_ref=order_ref,
                at=at,
                day=timezone.localdate(at),
            )
    except IntegrityError:
        return PromotionUse.objects.get(promotion_id=promotion_id, order_ref=order_ref)


@transaction.atomic
def save_member_day(*, actor: Actor, day: MemberDay, stores) -> MemberDay:
    creating = day.pk is None
    before = {} if creating else audit.snapshot(MemberDay.objects.get(pk=day.pk), DAY_FIELDS)
    errors = _schedule_errors(day.weekdays, day.days_of_month, day.dates)
    if not (day.weekdays or day.days_of_month or day.dates):
        errors["weekdays"] = _("请至少选择星期、每月日期或指定日期中的一项")
    if errors:
        raise DomainError("VALIDATION_ERROR", fields=errors)
    day.weekdays, day.days_of_month = sorted(set(day.weekdays)), sorted(set(day.days_of_month))
    day.dates = sorted(set(day.dates))
    try:
        day.full_clean(exclude=["stores"])
    except ValidationError as exc:
        raise DomainError.from_validation(exc) from exc
    day.save()
    day.stores.set(stores)
    after = audit.snapshot(day, DAY_FIELDS)
    if creating:
        audit.record(actor, "member_day.create", day, after=after)
    else:
        old, new = audit.changes(before, after)
        if new:
            audit.record(actor, "member_day.update", day, before=old, after=new)
    return day
