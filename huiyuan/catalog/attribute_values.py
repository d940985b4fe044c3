"""A product's extension attribute values, checked against its category's attributes.

Values are stored in `Product.attributes` under `Attribute.key` as JSON strings ("12.5",
"2026-01-31", choice text) or booleans, so a filter is an exact JSON match.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from huiyuan.catalog.models import Attribute, Category
from huiyuan.catalog.selectors import attributes_for
from huiyuan.core.errors import DomainError

TRUE = {"1", "true", "yes", "on", "是", "y"}
FALSE = {"0", "false", "no", "off", "否", "n"}


def clean_value(attribute: Attribute, raw):
    """The value as stored, None when empty; ValueError with a Chinese message when wrong."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = attribute.kind
    if kind == Attribute.Kind.BOOL:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in TRUE | FALSE:
            return text in TRUE
        raise ValueError(_("请选择“是”或“否”"))
    text = str(raw).strip()
    if kind == Attribute.Kind.NUMBER:
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("请填写数字")) from None
        if not number.is_finite():
            raise ValueError(_("请填写数字"))
        return format(number.normalize(), "f")
    if kind == Attribute.Kind.DATE:
        try:
            return datetime.date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError(_("请填写日期（如 2026-01-31）")) from None
    if kind == Attribute.Kind.CHOICE and text not in attribute.choices:
        raise ValueError(
            _("请从可选值中选择：%(choices)s") % {"choices": "、".join(attribute.choices)}
        )
    if len(text) > 200:
        raise ValueError(_("不能超过 200 个字符"))
    return text


def clean_values(category: Category, raw: dict) -> dict:
    """Exactly the category's attributes (own and inherited), checked. `raw` is keyed by
    `Attribute.key`; every bad or missing required value is reported under its key."""
    values, errors = {}, {}
    for attribute in attributes_for(category):
        try:
            value = clean_value(attribute, raw.get(attribute.key))
        except ValueError as exc:
            errors[attribute.key] = f"{attribute.name}：{exc}"
            continue
        if value is None:
            if attribute.required:
                errors[attribute.key] = _("请填写“%(name)s”") % {"name": attribute.name}
            continue
        values[attribute.key] = value
    if errors:
        raise DomainError("VALIDATION_ERROR", fields=errors)
    return values


def display(product) -> list[tuple[str, str]]:
    """(attribute name, shown value with its unit) for the product's category attributes."""
    shown = []
    for attribute in attributes_for(product.category):
        value = product.attributes.get(attribute.key)
        if value is None:
            continue
        if isinstance(value, bool):
            value = _("是") if value else _("否")
        shown.append((attribute.name, f"{value}{attribute.unit}"))
    return shown
