"""满68送5 … : coupons to issue after payment, an output only (the coupons app issues them).

Each `IssueCouponsOnSpend` gives, to members only, the coupon of the highest step its scope's
payable reaches; the template decides the coupon's validity (e.g. the next member day only).
"""

from dataclasses import dataclass

from huiyuan.sales.pricing.cart import CouponToIssue
from huiyuan.sales.pricing.lines import LineState
from huiyuan.sales.pricing.promotions import Promotion


@dataclass(frozen=True)
class IssueStep:
    threshold_fen: int
    template_id: int
    face_fen: int

    def __post_init__(self):
        if not 0 < self.face_fen <= self.threshold_fen:
            raise ValueError("a step issues a positive face value not above its threshold")


@dataclass(frozen=True, kw_only=True)
class IssueCouponsOnSpend(Promotion):
    """Members only whatever `members_only` says: a coupon is issued to a member."""

    steps: tuple[IssueStep, ...]

    def __post_init__(self):
        if not self.steps:
            raise ValueError("a ladder has at least one step")


def coupons_to_issue(
    states: list[LineState], ladders: list[IssueCouponsOnSpend], is_member: bool
) -> list[CouponToIssue]:
    if not is_member:
        return []
    issued = []
    for ladder in ladders:
        payable = sum(s.remaining_fen for s in states if ladder.scope.covers(s.line))
        reached = [step for step in ladder.steps if payable >= step.threshold_fen]
        if reached:
            step = max(reached, key=lambda step: (step.threshold_fen, step.face_fen))
            issued.append(CouponToIssue(ladder.id, ladder.name, step.template_id, step.face_fen))
    return issued
