"""Earn rules and double-points days: scope matching, overlap validation, audited saves.

Scope. A rule applies to a purchase at one of its stores (none listed: every store), by a member
whose card is of one of its card types (none: all) and who is in one of its tiers (none: all),
within its dates. It covers a line when the
line's product code is listed or one of its category codes is (neither list filled: every
line), and the line is not in its exclusions. A line earns under the covering rule of highest
priority; two active rules of the same priority may not both cover a purchase (RULE_OVERLAP on
save), so which rule applies is never a matter of chance. Category and product codes are plain
code lists until the catalogue exists; the checkout passes each line's product code and category
path codes.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.points.models import EarnRule, PointsDay, PointsProgram

CODE_SEPARATORS = re.compile(r"[\s,，、;；]+")
RULE_FIELDS = [
    "name",
    "is_active",
    "priority",
    "fen_per_point",
    "rounding",
    "basis",
    "starts_on",
    "ends_on",
    "stores",
    "card_types",
    "tiers",
    "category_codes",
    "product_codes",
    "exclude_category_codes",
    "exclude_product_codes",
]
DAY_FIELDS = [
    "name",
    "is_active",
    "starts_on",
    "ends_on",
    "weekdays",
    "multiplier_permille",
    "stores",
]
PROGRAM_FIELDS = [
    field.name for field in PointsProgram._meta.fields if field.name not in ("id", "updated_at")
]


def codes(text: str) -> set[str]:
    """The codes of a list typed one per line or separated by commas (upper-cased)."""
    return {code.upper() for code in CODE_SEPARATORS.split(text or "") if code}


def covers(rule: EarnRule, product_code: str, category_codes) -> bool:
    product, categories = product_code.upper(), {code.upper() for code in category_codes}
    if product in codes(rule.exclude_product_codes):
        return False
    if categories & codes(rule.exclude_category_codes):
        return False
    products, scoped = codes(rule.product_codes), codes(rule.category_codes)
    return not (products or scoped) or product in products or bool(categories & scoped)


def _dates_meet(a, b) -> bool:
    return (a.ends_on is None or b.starts_on is None or a.ends_on >= b.starts_on) and (
        b.ends_on is None or a.starts_on is None or b.ends_on >= a.starts_on
    )


def _sets_meet(a: set, b: set) -> bool:
    return not a or not b or bool(a & b)


def _items_meet(a: EarnRule, b: EarnRule) -> bool:
    """Whether some line could be covered by both. Without a catalogue a category-scoped rule and
    a product-scoped one might share a line, so they count as meeting."""
    a_items = codes(a.product_codes) | codes(a.category_codes)
    b_items = codes(b.product_codes) | codes(b.category_codes)
    if not a_items or not b_items:
        return True
    if (
        codes(a.category_codes)
        and codes(b.product_codes)
        or codes(b.category_codes)
        and codes(a.product_codes)
    ):
        return True
    return bool(a_items & b_items)


def _check_overlap(rule: EarnRule, stores: set, card_types: set, tiers: set) -> None:
    if not rule.is_active:
        return
    rivals = EarnRule.objects.filter(is_active=True, priority=rule.priority).exclude(pk=rule.pk)
    for other in rivals.prefetch_related("stores", "card_types", "tiers"):
        if (
            _dates_meet(rule, other)
            and _sets_meet(stores, {store.pk for store in other.stores.all()})
            and _sets_meet(card_types, {card_type.pk for card_type in other.card_types.all()})
            and _sets_meet(tiers, {tier.pk for tier in other.tiers.all()})
            and _items_meet(rule, other)
        ):
            message = _("与规则「%(name)s」优先级相同且范围重叠，请调整优先级或范围") % {
                "name": other.name
            }
            raise DomainError("RULE_OVERLAP", fields={"priority": message})


def _valid(instance) -> None:
    try:
        instance.full_clean(exclude=["stores", "card_types"])
    except ValidationError as exc:
        raise DomainError.from_validation(exc) from exc


@transaction.atomic
def save_earn_rule(*, actor: Actor, rule: EarnRule, stores, card_types, tiers=()) -> EarnRule:
    """Create or update a rule (fields already set on `rule`) after checking it is unambiguous."""
    creating = rule.pk is None
    before = {} if creating else audit.snapshot(EarnRule.objects.get(pk=rule.pk), RULE_FIELDS)
    _valid(rule)
    if rule.starts_on and rule.ends_on and rule.ends_on < rule.starts_on:
        raise DomainError("VALIDATION_ERROR", fields={"ends_on": _("结束日期不能早于开始日期")})
    # One rule saved at a time (the program's single row is the lock), so two overlapping rules
    # saved at the same moment can't both pass the check.
    PointsProgram.objects.select_for_update().get(pk=PointsProgram.current().pk)
    _check_overlap(
        rule,
        {store.pk for store in stores},
        {card_type.pk for card_type in card_types},
        {tier.pk for tier in tiers},
    )
    rule.save()
    rule.stores.set(stores)
    rule.card_types.set(card_types)
    rule.tiers.set(tiers)
    _audit(actor, "earn_rule", rule, before, RULE_FIELDS, creating)
    return rule


@transaction.atomic
def save_points_day(*, actor: Actor, day: PointsDay, stores) -> PointsDay:
    creating = day.pk is None
    before = {} if creating else audit.snapshot(PointsDay.objects.get(pk=day.pk), DAY_FIELDS)
    _valid(day)
    if day.ends_on < day.starts_on:
        raise DomainError("VALIDATION_ERROR", fields={"ends_on": _("结束日期不能早于开始日期")})
    if day.weekdays and not set(day.weekdays) <= set("1234567"):
        raise DomainError("VALIDATION_ERROR", fields={"weekdays": _("星期只能是 1 至 7")})
    day.weekdays = "".join(sorted(set(day.weekdays)))
    day.save()
    day.stores.set(stores)
    _audit(actor, "points_day", day, before, DAY_FIELDS, creating)
    return day


@transaction.atomic
def update_program(*, actor: Actor, **changes) -> PointsProgram:
    program = PointsProgram.objects.select_for_update().get(pk=PointsProgram.current().pk)
    before = audit.snapshot(program, PROGRAM_FIELDS)
    for name, value in changes.items():
        setattr(program, name, value)
    _valid(program)
    if program.pay_max_share_permille > 1000:
        raise DomainError(
            "VALIDATION_ERROR", fields={"pay_max_share_permille": _("比例不能超过 1000‰")}
        )
    program.save()
    old, new = audit.changes(before, audit.snapshot(program, PROGRAM_FIELDS))
    if new:
        audit.record(actor, "points_program.update", program, before=old, after=new)
    return program


def _audit(actor, prefix: str, instance, before: dict, fields: list[str], creating: bool):
    after = audit.snapshot(instance, fields)
    if creating:
        audit.record(actor, f"{prefix}.create", instance, after=after)
        return
    old, new = audit.changes(before, after)
    if new:
        audit.record(actor, f"{prefix}.update", instance, before=old, after=new)
