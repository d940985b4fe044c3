"""Gifts with purchase (买满送赠品): an output only, like coupons to issue.

Each `GiftWithPurchase` gives the gift of the highest step its scope's final payable reaches
(members only when `members_only`); the till hands the gift over and the order issue moves its
stock. 赠品券 (gift coupons) add their gift in step 5 (coupons.py) with kind "coupon".
"""

from dataclasses import dataclass

from huiyuan.sales.pricing.cart import GiftToGive
from huiyuan.sales.pricing.lines import LineState
from huiyuan.sales.pricing.promotions import Promotion


@dataclass(frozen=True)
class GiftStep:
    threshold_fen: int
    product_code: str
    qty: int = 1

    def __post_init__(self):
        if self.threshold_fen <= 0 or self.qty < 1 or not self.product_code:
            raise ValueError("a step has a positive threshold, a product and qty ≥ 1")


@dataclass(frozen=True, kw_only=True)
class GiftWithPurchase(Promotion):
    steps: tuple[GiftStep, ...]

    def __post_init__(self):
        if not self.steps:
            raise ValueError("a gift ladder has at least one step")


def gifts_to_give(
    states: list[LineState], ladders: list[GiftWithPurchase], is_member: bool
) -> list[GiftToGive]:
    """The highest step each ladder reaches (the first listed among equal thresholds)."""
    gifts = []
    for ladder in ladders:
        if ladder.members_only and not is_member:
            continue
        payable = sum(s.remaining_fen for s in states if ladder.scope.covers(s.line))
        reached = [step for step in ladder.steps if payable >= step.threshold_fen]
        if reached:
            step = max(reached, key=lambda step: step.threshold_fen)
            gifts.append(
                GiftToGive("promotion", ladder.id, ladder.name, step.product_code, step.qty)
            )
    return gifts
