"""Card types: marketing and administrators configure them; each change is audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from huiyuan.cards.models import CardType, Medium
from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError

CARD_TYPE_FIELDS = [
    "code",
    "name",
    "has_points",
    "discount_permille",
    "has_stored_value",
    "has_count_cards",
    "fee_fen",
    "validity_months",
    "number_prefix",
    "number_length",
    "media",
    "registration_threshold_fen",
    "starting_tier",
    "is_active",
]


@transaction.atomic
def create_card_type(*, actor: Actor, **fields) -> CardType:
    card_type = CardType(**fields)
    _save_valid(card_type)
    audit.record(
        actor, "card_type.create", card_type, after=audit.snapshot(card_type, CARD_TYPE_FIELDS)
    )
    return card_type


@transaction.atomic
def update_card_type(*, actor: Actor, card_type: CardType, **changes) -> CardType:
    """Number rules can't change once cards exist: printed cards keep their numbers valid."""
    card_type = CardType.objects.select_for_update().get(pk=card_type.pk)
    before = audit.snapshot(card_type, CARD_TYPE_FIELDS)
    for name, value in changes.items():
        setattr(card_type, name, value)
    numbering = ("code", "number_prefix", "number_length")
    if card_type.card_set.exists() and any(before[f] != getattr(card_type, f) for f in numbering):
        raise DomainError(
            "VALIDATION_ERROR", fields={"number_prefix": _("已发卡的卡类型不能修改编码和卡号规则")}
        )
    _save_valid(card_type)
    old, new = audit.changes(before, audit.snapshot(card_type, CARD_TYPE_FIELDS))
    if new:
        audit.record(actor, "card_type.update", card_type, before=old, after=new)
    return card_type


def _save_valid(card_type: CardType) -> None:
    card_type.code = card_type.code.strip().upper()
    errors = {}
    if not card_type.number_prefix.isdigit():
        errors["number_prefix"] = _("卡号前缀只能是数字")
    elif not len(card_type.number_prefix) + 4 <= card_type.number_length <= 32:
        errors["number_length"] = _("卡号长度须在 前缀长度+4 与 32 之间")
    if not 1 <= card_type.discount_permille <= 1000:
        errors["discount_permille"] = _("折扣须在 1 至 1000 之间（1000 = 不打折）")
    if not card_type.media or not set(card_type.media) <= set(Medium.values):
        errors["media"] = _("请至少选择一种介质")
    if CardType.objects.filter(code=card_type.code).exclude(pk=card_type.pk).exists():
        errors["code"] = _("卡类型编码已存在")
    if errors:
        raise DomainError("VALIDATION_ERROR", fields=errors)
    try:
        card_type.full_clean()
    except ValidationError as exc:
        raise DomainError.from_validation(exc) from exc
    card_type.save()
