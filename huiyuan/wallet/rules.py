"""Top-up bonus rules (充500送50, 充1000送150): which one a top-up earns, and which rules would be
ambiguous together.

A top-up earns the bonus of ONE rule: of the active rules in force that day whose threshold it
reaches (and, for once-per-member rules, that the member has not used yet), the highest
threshold. So 充500送50 and 充1000送150 are tiers: ¥800 earns ¥50, ¥1,000 earns ¥150, ¥2,000
earns ¥150 (a bonus is not multiplied). A rule may be kept to some tiers (none: every tier).
Two rules with the SAME threshold in force on the same day for a common tier are ambiguous and
refused (RULE_OVERLAP). A once-per-member rule counts refunded top-ups too: the bonus may have
been spent before the refund, so a refund must not open the way to a second bonus.
"""

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from huiyuan.core.errors import DomainError
from huiyuan.core.money import format_fen
from huiyuan.members.models import Member
from huiyuan.tiers.models import Tier
from huiyuan.tiers.selectors import tier_of
from huiyuan.wallet.models import TopUpBonusRule


def in_force(on: datetime.date) -> QuerySet:
    return TopUpBonusRule.objects.filter(
        Q(starts_on__isnull=True) | Q(starts_on__lte=on),
        Q(ends_on__isnull=True) | Q(ends_on__gte=on),
        is_active=True,
    )


def best_rule(member: Member, amount_fen: int, on: datetime.date) -> TopUpBonusRule | None:
    """The rule a top-up of `amount_fen` by `member` on `on` earns, or None."""
    rules = in_force(on).filter(threshold_fen__lte=amount_fen)
    rules = rules.exclude(once_per_member=True, topups__member=member)
    tier = tier_of(member)
    for_tier = Q(tiers__isnull=True) | Q(tiers=tier) if tier else Q(tiers__isnull=True)
    return rules.filter(for_tier).distinct().order_by("-threshold_fen", "-bonus_fen", "id").first()


def check_overlap(rule: TopUpBonusRule, tiers: Iterable[Tier]) -> None:
    """An active rule may not share its threshold with another active rule whose dates meet and
    that applies to a common tier (no tiers: all of them)."""
    if not rule.is_active:
        return
    if rule.starts_on and rule.ends_on and rule.starts_on > rule.ends_on:
        raise DomainError("VALIDATION_ERROR", fields={"ends_on": _("结束日期不能早于开始日期")})
    others = TopUpBonusRule.objects.filter(is_active=True, threshold_fen=rule.threshold_fen)
    if rule.ends_on:
        others = others.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=rule.ends_on))
    if rule.starts_on:
        others = others.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=rule.starts_on))
    mine = {tier.pk for tier in tiers}
    for other in others.exclude(pk=rule.pk).prefetch_related("tiers"):
        theirs = {tier.pk for tier in other.tiers.all()}
        if not mine or not theirs or mine & theirs:
            message = _("与规则「%(name)s」的充值门槛相同、日期和适用等级重叠") % {
                "name": other.name
            }
            raise DomainError("RULE_OVERLAP", fields={"threshold_fen": message})


def example(rule: TopUpBonusRule) -> str:
    """The line the rule page shows: 充 ¥500 → 赠 ¥50."""
    return _("充 %(amount)s → 赠 %(bonus)s") % {
        "amount": short_yuan(rule.threshold_fen),
        "bonus": short_yuan(rule.bonus_fen),
    }


def short_yuan(fen: int) -> str:
    """¥500 for whole yuan, ¥12.50 otherwise."""
    return format_fen(fen).removesuffix(".00")
