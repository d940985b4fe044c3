"""Coupon templates: what makes one valid, and saving it (audited).

- 折扣券: pay 1‰ to 999‰ (1000 would take nothing off), optionally capped;
- 代金券 and 满减券 take a positive face value; 满X减Y takes Y ≤ X (face ≤ minimum spend);
- 商品兑换券 names the products it exchanges; 赠品券 names its gift;
- fixed dates in order, N days from 1 to 3,660 (ten years); "next member day only" uses the
  template's member day, or the issuing store's when it names none.
A coupon keeps the face value and validity window it was issued with; the template's other terms
(minimum spend, rate and cap, scope, combinability) apply as they stand when it is used.
Switching a template off stops issuing it; coupons already out stay usable (revoke to cancel).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.coupons.models import CouponKind, CouponTemplate, Validity

FIELDS = [
    "name",
    "kind",
    "face_fen",
    "permille",
    "cap_fen",
    "min_spend_fen",
    "gift_product",
    "combinable",
    "validity",
    "valid_from",
    "valid_until",
    "valid_days",
    "member_day",
    "per_member_limit",
    "is_active",
    "note",
]
SCOPE_FIELDS = ["products", "categories", "stores"]
MAX_VALID_DAYS = 3660  # ten years, as count cards (on SQLite, 3,000,000 days overflowed: a 500)


def template_errors(template: CouponTemplate, products) -> dict[str, str]:
    """Field name → message for everything wrong with the template (empty: it is valid)."""
    errors = {}
    kind = template.kind
    if kind == CouponKind.PERCENT and not 1 <= template.permille <= 999:
        errors["permille"] = _("折扣须在 1‰ 至 999‰ 之间（如 8.5 折填 850）")
    if kind in (CouponKind.CASH, CouponKind.THRESHOLD) and template.face_fen <= 0:
        errors["face_fen"] = _("面值必须大于 0")
    if template.face_fen < 0:
        errors["face_fen"] = _("面值不能为负数")
    if kind == CouponKind.THRESHOLD and template.face_fen > template.min_spend_fen:
        errors["min_spend_fen"] = _("满减券的减免金额不能超过最低消费（满 X 减 Y 须 Y ≤ X）")
    if template.min_spend_fen < 0:
        errors["min_spend_fen"] = _("最低消费不能为负数")
    if template.cap_fen is not None and template.cap_fen <= 0:
        errors["cap_fen"] = _("最多优惠必须大于 0，不限请留空")
    if kind == CouponKind.EXCHANGE and not products:
        errors["products"] = _("商品兑换券须选择可兑换的商品")
    if kind == CouponKind.GIFT and template.gift_product_id is None:
        errors["gift_product"] = _("赠品券须选择赠品")
    errors.update(_validity_errors(template))
    return errors


def _validity_errors(template: CouponTemplate) -> dict[str, str]:
    if template.validity == Validity.FIXED:
        if template.valid_from is None or template.valid_until is None:
            return {"valid_until": _("固定日期的券须填写生效日期和截止日期")}
        if template.valid_until < template.valid_from:
            return {"valid_until": _("截止日期不能早于生效日期")}
    if template.validity == Validity.DAYS and not template.valid_days:
        return {"valid_days": _("请填写有效天数（至少 1 天）")}
    if template.validity == Validity.DAYS and template.valid_days > MAX_VALID_DAYS:
        return {"valid_days": _("有效天数最多 %(max)d 天") % {"max": MAX_VALID_DAYS}}
    return {}


@transaction.atomic
def save_template(
    *, actor: Actor, template: CouponTemplate, products=(), categories=(), stores=()
) -> CouponTemplate:
    """Create or edit a template with its scope; VALIDATION_ERROR names each wrong field."""
    products, categories, stores = list(products), list(categories), list(stores)
    errors = template_errors(template, products)
    if errors:
        raise DomainError("VALIDATION_ERROR", fields=errors)
    _drop_unused(template)
    duplicate = CouponTemplate.objects.filter(name=template.name).exclude(pk=template.pk)
    if duplicate.exists():
        raise DomainError("VALIDATION_ERROR", fields={"name": _("已有同名的优惠券模板")})
    creating = template.pk is None
    before = {} if creating else _snapshot(CouponTemplate.objects.get(pk=template.pk))
    template.save()
    template.products.set(products)
    template.categories.set(categories)
    template.stores.set(stores)
    after = _snapshot(template)
    if creating:
        audit.record(actor, "coupon_template.create", template, after=after)
    else:
        before, after = audit.changes(before, after)
        audit.record(actor, "coupon_template.update", template, before=before, after=after)
    return template


def _drop_unused(template: CouponTemplate) -> None:
    """Clear what the kind and the validity don't use, so the list never shows stale values."""
    if template.kind != CouponKind.PERCENT:
        template.permille, template.cap_fen = 1000, None
    if template.kind != CouponKind.GIFT:
        template.gift_product = None
    if template.validity != Validity.FIXED:
        template.valid_from = template.valid_until = None
    if template.validity != Validity.DAYS:
        template.valid_days = None
    if template.validity != Validity.NEXT_MEMBER_DAY:
        template.member_day = None


def _snapshot(template: CouponTemplate) -> dict:
    data = audit.snapshot(template, FIELDS + SCOPE_FIELDS)
    return {
        name: str(value) if hasattr(value, "isoformat") else value for name, value in data.items()
    }
