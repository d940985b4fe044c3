"""How tier benefits read in Chinese retail: 950‰ is 95折, 1500‰ is ×1.5."""

from django import template
from django.utils import translation
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def discount(permille) -> str:
    """1000 → 无折扣, 950 → 95折, 900 → 9折, 880 → 88折, 955 → 95.5折; in English "5% off"
    (the 折 number has no English form, so English says what comes off instead)."""
    if permille is None or permille >= 1000:
        return _("无折扣")
    if (translation.get_language() or "").startswith("en"):
        return f"{(1000 - permille) / 10:g}% off"
    if permille % 100 == 0:
        return f"{permille // 100}折"
    if permille % 10 == 0:
        return f"{permille // 10}折"
    return f"{permille / 10:g}折"


@register.filter
def times(permille) -> str:
    """1000 → ×1, 1500 → ×1.5 (None → —)."""
    if permille is None:
        return "—"
    return f"×{permille / 1000:g}"
