"""How many points a purchase earns, and why: the till shows the explanation and prints it.

The earning base is what the customer pays for each line after every discount and coupon. When
the program says stored-value or points-paid amounts don't earn, that part of the payment is
spread over the lines in proportion to what they cost (core.money.allocate) and taken off.
Each line earns under its rule (rules.py); a rule "by order" rounds once on the sum of its
lines, "by line" rounds each line. The multipliers (multipliers.py: highest per kind, product
across kinds) apply to the total, rounded down once; then the program's per-order cap.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.core.errors import DomainError
from huiyuan.core.money import allocate, format_fen
from huiyuan.points import multipliers
from huiyuan.points.models import EarnRule, PointsProgram, Rounding
from huiyuan.points.rules import covers


@dataclass(frozen=True)
class PurchaseLine:
    product_code: str
    paid_fen: int  # after every discount and coupon
    category_codes: tuple[str, ...] = ()  # the category path's codes, root first


@dataclass(frozen=True)
class PointsQuote:
    points: int
    explanation: list[str] = field(default_factory=list)


def rounded(amount_fen: int, fen_per_point: int, rounding: str) -> int:
    if rounding == Rounding.HALF_UP:
        return (2 * amount_fen + fen_per_point) // (2 * fen_per_point)
    return amount_fen // fen_per_point


def points_for_purchase(
    member,
    lines: list[PurchaseLine],
    store,
    at: datetime.datetime,
    paid_by_stored_value_fen: int = 0,
    paid_by_points_fen: int = 0,
) -> PointsQuote:
    if not lines or any(line.paid_fen < 0 for line in lines):
        raise DomainError("VALIDATION_ERROR", fields={"lines": _("商品行金额不能为负")})
    if paid_by_stored_value_fen < 0 or paid_by_points_fen < 0:
        raise DomainError("VALIDATION_ERROR", fields={"paid": _("支付金额不能为负")})
    card_type_id = _card_type_id(member)
    if card_type_id is False:
        return PointsQuote(0, [_("该会员卡类型不积分")])
    program = PointsProgram.current()
    bases = _earning_bases(program, lines, paid_by_stored_value_fen, paid_by_points_fen)
    explanation = []
    earn_rules = _rules(store, card_type_id, _tier_id(member), at)
    base_points = _base_points(lines, bases, earn_rules, explanation)
    applied = multipliers.combine(multipliers.collect(member, store, at))
    points = multipliers.apply(base_points, applied)
    explanation += [
        _("%(label)s ×%(times)s") % {"label": m.label, "times": _times(m.permille)} for m in applied
    ]
    cap = program.order_cap_points
    if cap is not None and points > cap:
        explanation.append(_("每单上限 %(cap)d 分") % {"cap": cap})
        points = cap
    explanation.append(_("合计 %(points)d 分") % {"points": points})
    return PointsQuote(points, explanation)


def _card_type_id(member):
    """The member's live card type id; False when that type carries no points."""
    from huiyuan.cards.models import Card

    card = (
        Card.objects.filter(member=member, status__in=Card.LIVE).select_related("card_type").first()
    )
    if card is None:
        return None
    return card.card_type_id if card.card_type.has_points else False


def _earning_bases(program, lines, by_stored_value: int, by_points: int) -> list[int]:
    paid = [line.paid_fen for line in lines]
    excluded = (0 if program.earn_on_stored_value else by_stored_value) + (
        0 if program.earn_on_points_paid else by_points
    )
    excluded = min(excluded, sum(paid))
    if excluded == 0:
        return paid
    return [amount - share for amount, share in zip(paid, allocate(excluded, paid), strict=True)]


def _tier_id(member) -> int | None:
    from huiyuan.tiers.selectors import tier_of

    tier = tier_of(member)
    return tier.pk if tier else None


def _rules(store, card_type_id, tier_id, at) -> list[EarnRule]:
    day = timezone.localdate(at)
    rules = EarnRule.objects.filter(
        Q(is_active=True),
        Q(starts_on__isnull=True) | Q(starts_on__lte=day),
        Q(ends_on__isnull=True) | Q(ends_on__gte=day),
        Q(stores=None) | Q(stores=store),
        Q(card_types=None) | Q(card_types=card_type_id),
        Q(tiers=None) | Q(tiers=tier_id),
    )
    return list(rules.distinct().order_by("-priority", "id"))


def _base_points(lines, bases, rules, explanation: list[str]) -> int:
    by_rule: dict[int, list[int]] = {}
    unruled = 0
    for line, base in zip(lines, bases, strict=True):
        rule = next((r for r in rules if covers(r, line.product_code, line.category_codes)), None)
        if rule is None:
            unruled += base
        else:
            by_rule.setdefault(rule.pk, []).append(base)
    total = 0
    for rule in rules:
        amounts = by_rule.get(rule.pk)
        if amounts is None:
            continue
        if rule.basis == EarnRule.Basis.LINE:
            points = sum(rounded(a, rule.fen_per_point, rule.rounding) for a in amounts)
        else:
            points = rounded(sum(amounts), rule.fen_per_point, rule.rounding)
        total += points
        explanation.append(
            _("「%(rule)s」%(amount)s，每 %(rate)s 积 1 分（%(rounding)s）：%(points)d 分")
            % {
                "rule": rule.name,
                "amount": format_fen(sum(amounts)),
                "rate": format_fen(rule.fen_per_point),
                "rounding": rule.get_rounding_display(),
                "points": points,
            }
        )
    if unruled:
        explanation.append(_("%(amount)s 不在任何积分规则内") % {"amount": format_fen(unruled)})
    return total


def _times(permille: int) -> str:
    return f"{permille / 1000:g}"
