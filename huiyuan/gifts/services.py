"""Every write of the gift catalogue: saving a gift (with its tier prices) and redeeming gifts.

A redemption is one transaction: the bill, one points ledger row (`points.services.redeem_points`,
reference = the bill number), one `gift` stock move per product line (`inventory.post_move`) and
the coupons of coupon lines (`coupons.services.issue_coupon`, source "points"). Any refusal —
points, stock, limits, dates — rolls all of it back.

Lock order (core/ledgers.py): the member's points account first (it also serialises one member's
redemptions, so per-member limits hold), then the gifts by id (total limits), then stock levels
in product id order.
"""

import dataclasses
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.cards.models import Card
from huiyuan.core import audit, sequences
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import Store
from huiyuan.coupons.services import issue_coupon
from huiyuan.gifts import selectors
from huiyuan.gifts.models import (
    Gift,
    GiftKind,
    GiftRedemption,
    GiftRedemptionLine,
    GiftTierPrice,
    LimitPeriod,
)
from huiyuan.inventory.models import MoveKind
from huiyuan.inventory.services import location_for, post_move
from huiyuan.points.services import locked_account, redeem_points
from huiyuan.tiers.selectors import tier_of

REF_TYPE = "gift_redemption"
MAX_QTY = 999
GIFT_FIELDS = [
    "name",
    "kind",
    "product",
    "coupon_template",
    "points",
    "per_member_limit",
    "limit_period",
    "total_quantity",
    "starts_on",
    "ends_on",
    "is_active",
    "sort_order",
    "description",
]


@transaction.atomic
def save_gift(*, actor: Actor, gift: Gift | None = None, tier_points=None, **fields) -> Gift:
    """Create (gift=None) or change a gift. `tier_points` maps a tier to its own points price
    (None: the tier pays the gift's price); omitted, the tier prices stay as they are."""
    gift = gift or Gift()
    before = {} if gift.pk is None else _snapshot(Gift.objects.get(pk=gift.pk))
    for name, value in fields.items():
        setattr(gift, name, value)
    _check_gift(gift)
    try:
        gift.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise DomainError.from_validation(exc) from exc
    gift.save()
    for tier, points in (tier_points or {}).items():
        if points is not None and points <= 0:
            message = _("等级兑换积分必须大于 0，留空按标准积分")
            raise DomainError("VALIDATION_ERROR", fields={f"tier_{tier.pk}": message})
        if points:
            GiftTierPrice.objects.update_or_create(
                gift=gift, tier=tier, defaults={"points": points}
            )
        else:
            GiftTierPrice.objects.filter(gift=gift, tier=tier).delete()
    old, new = audit.changes(before, _snapshot(gift))
    action = "gift.update" if before else "gift.create"
    audit.record(actor, action, gift, before=old or None, after=new)
    return gift


def _check_gift(gift: Gift) -> None:
    """What the form can't say alone: the kind's own item, a whole-piece product, ordered dates."""
    if gift.kind == GiftKind.PRODUCT:
        gift.coupon_template = None
        if gift.product is None:
            raise DomainError("VALIDATION_ERROR", fields={"product": _("请选择礼品对应的商品")})
        if gift.product.is_weighed or gift.product.is_service:
            message = _("礼品须为按件计的实物商品（不能是称重商品或服务项目）")
            raise DomainError("VALIDATION_ERROR", fields={"product": message})
    elif gift.kind == GiftKind.COUPON:
        gift.product = None
        if gift.coupon_template is None:
            message = _("请选择兑换发放的优惠券模板")
            raise DomainError("VALIDATION_ERROR", fields={"coupon_template": message})
    if gift.starts_on and gift.ends_on and gift.ends_on < gift.starts_on:
        raise DomainError("VALIDATION_ERROR", fields={"ends_on": _("结束日期不能早于开始日期")})
    if not gift.points:
        raise DomainError("VALIDATION_ERROR", fields={"points": _("兑换积分必须大于 0")})


def _snapshot(gift: Gift) -> dict:
    data = audit.snapshot(gift, GIFT_FIELDS)
    data["tier_points"] = {
        str(row.tier_id): row.points for row in GiftTierPrice.objects.filter(gift=gift)
    }
    return {
        name: str(value) if hasattr(value, "isoformat") else value for name, value in data.items()
    }


@dataclasses.dataclass(frozen=True)
class Wanted:
    """A line as asked for: which gift (by id) and how many."""

    gift_id: int
    qty: int


@transaction.atomic
def redeem_gifts(
    *,
    actor: Actor,
    member,
    lines: Iterable[Wanted],
    store: Store | None,
    card=None,
    request_ref: str = "",
) -> GiftRedemption:
    """积分兑换礼品: the bill, its points, stock moves and coupons, all or nothing.

    `request_ref` (a desk form's one-time token): the same one again returns the first bill and
    moves nothing (a double click, a reload). Refusals: POINTS_INSUFFICIENT, INSUFFICIENT_STOCK,
    GIFT_NOT_FOUND, GIFT_NOT_AVAILABLE (off the shelf, outside its dates, item withdrawn),
    GIFT_LIMIT_REACHED (per member in the period, or the total), VALIDATION_ERROR (no lines, bad
    quantities, no store)."""
    member.check_active()
    if store is None:
        _refuse("store", _("请先选择办理兑换的门店"))
    actor = dataclasses.replace(actor, store=store)
    wanted = _merged(lines)
    locked_account(member)  # first in the lock order: one member's redemptions run one at a time
    request_ref = (request_ref or "").strip()[:64]
    if request_ref:
        earlier = GiftRedemption.objects.filter(member=member, request_ref=request_ref).first()
        if earlier is not None:
            return earlier
    priced = _priced(member, wanted)
    (serial,) = sequences.take("gift_redemption_no")
    number = f"LP{serial:010d}"
    total = sum(qty * points for _gift, qty, points in priced)
    names = "、".join(f"{gift.name}×{qty}" for gift, qty, _points in priced)
    entry = redeem_points(
        actor=actor,
        member=member,
        points=total,
        ref_type=REF_TYPE,
        ref_no=number,
        reason=(_("兑换礼品：%(gifts)s") % {"gifts": names})[:200],
    )
    redemption = GiftRedemption.objects.create(
        number=number,
        member=member,
        card=card or member.cards.filter(status=Card.Status.ACTIVE).first(),
        store=store,
        operator=actor.operator,
        api_key=actor.api_key,
        total_points=total,
        points_after=entry.balance_after,
        request_ref=request_ref,
    )
    location = location_for(store)
    for gift, qty, _points in sorted(priced, key=lambda line: line[0].product_id or 0):
        if gift.kind == GiftKind.PRODUCT:  # stock levels are locked in product id order
            post_move(
                actor=actor,
                location=location,
                product=gift.product,
                kind=MoveKind.GIFT,
                qty=-qty,
                ref_type=REF_TYPE,
                ref_no=number,
            )
    for gift, qty, points in priced:
        codes = []
        if gift.kind == GiftKind.COUPON:
            codes = _issue_coupons(actor, gift, member, qty, number, store)
        GiftRedemptionLine.objects.create(
            redemption=redemption,
            gift=gift,
            kind=gift.kind,
            name=gift.name,
            product=gift.product,
            product_code=gift.product.code if gift.product else "",
            coupon_template=gift.coupon_template,
            coupon_codes=codes,
            qty=qty,
            points_each=points,
            points_total=qty * points,
        )
    audit.record(
        actor,
        "gift.redeem",
        member,
        after={"number": number, "total_points": total, "gifts": names},
        store=store,
    )
    return redemption


def _merged(lines: Iterable[Wanted]) -> dict[int, int]:
    """Gift id → quantity, the same gift's lines added up; at least one line."""
    wanted: dict[int, int] = {}
    for line in lines:
        qty = line.qty
        if not isinstance(qty, int) or isinstance(qty, bool) or qty <= 0 or qty > MAX_QTY:
            _refuse("qty", _("数量须为 1 到 %(max)d 的整数") % {"max": MAX_QTY})
        wanted[line.gift_id] = wanted.get(line.gift_id, 0) + qty
    if not wanted:
        _refuse("lines", _("请至少选择一件礼品"))
    return wanted


def _refuse(field: str, message: str):
    """VALIDATION_ERROR saying `message` on `field` and as the whole refusal (the desk shows
    it above the gifts)."""
    raise DomainError("VALIDATION_ERROR", message, fields={field: message})


def _priced(member, wanted: dict[int, int]) -> list[tuple[Gift, int, int]]:
    """(gift, qty, points each) for each wanted gift, checked available and within its limits,
    the gifts locked (by id) so two desks can't both take the last of a total limit."""
    gifts = {
        gift.pk: gift
        for gift in selectors.with_details(
            Gift.objects.select_for_update(of=("self",)).filter(pk__in=wanted).order_by("pk")
        )
    }
    for gift_id in wanted:
        if gift_id not in gifts:
            raise DomainError("GIFT_NOT_FOUND", fields={"gift_id": str(gift_id)})
    today = timezone.localdate()
    listed = list(gifts.values())
    used = selectors.redeemed_by(member, listed, today)
    totals = selectors.redeemed_in_total(listed)
    tier = tier_of(member)
    priced = []
    for gift_id, qty in wanted.items():
        gift = gifts[gift_id]
        _check_available(gift, today)
        _check_limits(gift, qty, used.get(gift_id, 0), totals.get(gift_id, 0))
        priced.append((gift, qty, selectors.points_for(gift, tier)))
    return priced


def _check_available(gift: Gift, today) -> None:
    reasons = []
    if not gift.is_active:
        reasons.append(_("已下架"))
    if gift.starts_on and today < gift.starts_on:
        reasons.append(_("%(day)s 起可兑换") % {"day": gift.starts_on.isoformat()})
    if gift.ends_on and today > gift.ends_on:
        reasons.append(_("兑换已于 %(day)s 结束") % {"day": gift.ends_on.isoformat()})
    if gift.product is not None and gift.product.status != gift.product.Status.ACTIVE:
        reasons.append(_("商品已停售"))
    if gift.coupon_template is not None and not gift.coupon_template.is_active:
        reasons.append(_("优惠券已停用"))
    if reasons:
        message = _("礼品“%(name)s”当前不可兑换：%(why)s") % {
            "name": gift.name,
            "why": "；".join(reasons),
        }
        raise DomainError("GIFT_NOT_AVAILABLE", message, fields={"gift_id": str(gift.pk)})


def _check_limits(gift: Gift, qty: int, member_used: int, total_used: int) -> None:
    if gift.per_member_limit is not None and member_used + qty > gift.per_member_limit:
        message = _("礼品“%(name)s”每人%(period)s限兑 %(limit)d 件，已兑 %(used)d 件") % {
            "name": gift.name,
            "period": ""
            if gift.limit_period == LimitPeriod.EVER
            else gift.get_limit_period_display(),
            "limit": gift.per_member_limit,
            "used": member_used,
        }
        raise DomainError("GIFT_LIMIT_REACHED", message, fields={"gift_id": str(gift.pk)})
    if gift.total_quantity is not None and total_used + qty > gift.total_quantity:
        message = _("礼品“%(name)s”限量 %(limit)d 件，仅剩 %(left)d 件") % {
            "name": gift.name,
            "limit": gift.total_quantity,
            "left": max(gift.total_quantity - total_used, 0),
        }
        raise DomainError("GIFT_LIMIT_REACHED", message, fields={"gift_id": str(gift.pk)})


def _issue_coupons(actor, gift, member, qty, number, store) -> list[str]:
    return [
        issue_coupon(
            gift.coupon_template,
            member,
            source="points",
            actor=actor,
            source_ref=number,
            store=store,
        ).code
        for _ in range(qty)
    ]
