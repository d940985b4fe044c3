"""How tier benefits read in Chinese retail: 950‰ is 95折, 1500‰ is ×1.5."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def discount(permille) -> str:
    """1000 → 无折扣, 950 → 95折, 900 → 9折, 880 → 88折, 955 → 95.5折."""
    if permille is None or permille >= 1000:
        return _("无折扣")
    if permille % 100 == 0:
        shown = str(permille // 100)
    elif permille % 10 == 0:
        shown = str(permille // 10)
    else:
        shown = f"{permille / 10:g}"
    return _("%(n)s折") % {"n": shown}


@register.filter
def times(permille) -> str:
    """1000 → ×1, 1500 → ×1.5 (None → —)."""
    if permille is None:
        return "—"
    return f"×{permille / 1000:g}"
