"""What a till or a desk sees of a member at a glance: balances, tier and discount.

The member's discount is the better of the card type's and the tier's: the two never stack (a
95折 card in the 9折 tier pays 9折). The pricing engine applies the same rule.
"""

from dataclasses import dataclass

from huiyuan.cards.models import Card
from huiyuan.members.models import Member
from huiyuan.points.selectors import points_balance
from huiyuan.tiers.selectors import benefits_of
from huiyuan.wallet.selectors import stored_value_of


@dataclass(frozen=True)
class MemberSummary:
    points: int
    principal_fen: int
    bonus_fen: int
    tier: str | None
    discount_permille: int

    @property
    def stored_value_fen(self) -> int:
        return self.principal_fen + self.bonus_fen


def member_summary(member: Member, card: Card | None) -> MemberSummary:
    benefits = benefits_of(member)
    card_discount = card.card_type.discount_permille if card else 1000
    principal_fen, bonus_fen = stored_value_of(member)
    return MemberSummary(
        points=points_balance(member),
        principal_fen=principal_fen,
        bonus_fen=bonus_fen,
        tier=benefits.tier.name if benefits.tier else None,
        discount_permille=min(card_discount, benefits.discount_permille),
    )
