"""The pricing engine; engine.py documents the order of application and the stacking rules."""

from huiyuan.sales.pricing.add_price import AddPriceOffer, AddPriceTier
from huiyuan.sales.pricing.cart import (
    NON_MEMBER,
    AddPriceReport,
    Adjustment,
    CartLine,
    CouponToIssue,
    GiftToGive,
    MemberContext,
    PricedCart,
    PricedLine,
    RejectedCoupon,
)
from huiyuan.sales.pricing.coupons import CouponKind, CouponOffer
from huiyuan.sales.pricing.engine import price_cart
from huiyuan.sales.pricing.gifts import GiftStep, GiftWithPurchase
from huiyuan.sales.pricing.issuance import IssueCouponsOnSpend, IssueStep
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
    "AddPriceOffer",
    "AddPriceReport",
    "AddPriceTier",
    "Adjustment",
    "BuyNGetM",
    "CartLine",
    "CouponKind",
    "CouponOffer",
    "CouponToIssue",
    "FullReduction",
    "GiftStep",
    "GiftToGive",
    "GiftWithPurchase",
    "IssueCouponsOnSpend",
    "IssueStep",
    "MemberContext",
    "PercentOff",
    "PricedCart",
    "PricedLine",
    "Promotion",
    "RejectedCoupon",
    "Scope",
    "SpecialPrice",
    "price_cart",
]
