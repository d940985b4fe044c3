"""The pricing engine; engine.py documents the order of application and the stacking rules."""

from huiyuan.sales.pricing.cart import (
    NON_MEMBER,
    Adjustment,
    CartLine,
    MemberContext,
    PricedCart,
    PricedLine,
)
from huiyuan.sales.pricing.engine import price_cart
from huiyuan.sales.pricing.promotions import (
    BuyNGetM,
    FullReduction,
    PercentOff,
    Promotion,
    Scope,
    SpecialPrice,
)

__all__ = [
    "NON_MEMBER",
    "Adjustment",
    "BuyNGetM",
    "CartLine",
    "FullReduction",
    "MemberContext",
    "PercentOff",
    "PricedCart",
    "PricedLine",
    "Promotion",
    "Scope",
    "SpecialPrice",
    "price_cart",
]
