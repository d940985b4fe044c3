"""Filters every template has (registered as builtins in settings)."""

import json

from django import template

from huiyuan.core.audit import ACTION_LABELS
from huiyuan.core.money import format_fen

register = template.Library()


@register.filter
def yuan(fen) -> str:
    """{{ order.total_fen|yuan }} → ¥12.30"""
    return "" if fen in (None, "") else format_fen(int(fen))


@register.filter
def audit_fields(value) -> list[tuple[str, str]]:
    """An audit before/after dict as (field, compact value) pairs for a dense table cell."""
    if not isinstance(value, dict):
        return []
    return [
        (name, json.dumps(item, ensure_ascii=False, default=str).strip('"'))
        for name, item in sorted(value.items())
    ]


@register.filter
def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)
