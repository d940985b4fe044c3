"""会员等级 calls of API.md: the levels with their benefits, and one member's tier with history.

Thin wrappers over `tiers.selectors`: the till and the pages read the same answers.
"""

import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from huiyuan.api.routers.members import MemberNo, member_or_404
from huiyuan.api.schemas import LocalDateTime
from huiyuan.tiers import selectors

router = Router(tags=["会员等级"])
HISTORY_ROWS = 50


class TierOut(Schema):
    rank: int = Field(..., description="越大等级越高")
    name: str
    entry_threshold: int = Field(..., description="升级门槛（等级规则所定的积分口径）")
    retention_threshold: int = Field(..., description="保级门槛")
    discount_permille: int = Field(..., description="950 = 95 折；1000 = 不打折")
    points_multiplier_permille: int = Field(..., description="1500 = 1.5 倍积分")
    birthday_multiplier_permille: int | None = Field(None, description="null：无生日倍率")
    perks: list[str]


class OverrideOut(Schema):
    tier: str = Field(..., alias="override_tier.name")
    until: datetime.date = Field(..., alias="override_until")
    reason: str = Field(..., alias="override_reason")


class TierChangeOut(Schema):
    at: LocalDateTime = Field(..., alias="created_at")
    kind: str = Field(
        ..., description="`start`, `upgrade`, `keep`, `downgrade`, `override` or `override_end`"
    )
    from_tier: str | None = Field(None, alias="from_tier.name")
    to_tier: str = Field(..., alias="to_tier.name")
    metric_value: int | None = Field(None, description="评级时的积分")
    reason: str


class ProgressOut(Schema):
    value: int = Field(..., description="当前评级积分（评级周期内获得的积分，不是可用余额）")
    next_tier: str | None = Field(None, alias="next_tier.name")
    needed: int = Field(..., description="距下一等级还需获得的积分")
    next_review_on: datetime.date


class MemberTierOut(Schema):
    member_no: str
    tier: TierOut | None = Field(None, description="当前生效的等级（含手动指定）")
    earned_tier: str | None = Field(None, description="评定的等级（手动指定期间可能不同）")
    override: OverrideOut | None = None
    progress: ProgressOut
    history: list[TierChangeOut]


@router.get("/tiers", response=list[TierOut])
def tier_list(request: HttpRequest):
    """The active levels, lowest first, with their benefits."""
    return selectors.ladder()


@router.get("/members/{member_no}/tier", response=MemberTierOut)
def member_tier(request: HttpRequest, member_no: MemberNo):
    """The member's tier as the till applies it, their progress, and the latest history."""
    member = member_or_404(member_no)
    summary = selectors.member_tier(member)
    standing = summary.standing
    return {
        "member_no": member.member_no,
        "tier": summary.tier,
        "earned_tier": standing.tier.name if standing else None,
        "override": standing if summary.overriding else None,
        "progress": summary.progress,
        "history": list(selectors.history_of(member)[:HISTORY_ROWS]),
    }
