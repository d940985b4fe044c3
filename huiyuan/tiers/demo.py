"""Demo tiers: 普通 / 银卡 / 金卡 / 钻石 (无折扣 / 95折 / 9折 / 88折) after the seeds'
"累计300分自动升级VIP" and "每年评定一次，不符合级别的做降级处理", and every member placed by the
points they earned.

`load()` is idempotent: levels are matched by rank, and members are placed (one re-evaluation)
only while some active member has no tier yet. Run it after the demo points, so members spread
over the tiers by their year of earning; run before, their earnings upgrade them as they come.
"""

from django.utils import timezone

from huiyuan.core.actors import Actor
from huiyuan.members.models import Member
from huiyuan.tiers import review, services
from huiyuan.tiers.models import Tier, TierProgram

# rank, name, entry, retention (保级), discount ‰, points ×‰, birthday ×‰, perks
LEVELS = (
    (0, "普通", 0, 0, 1000, 1000, None, ["积分兑换礼品", "生日祝福"]),
    (1, "银卡", 300, 200, 950, 1000, 2000, ["免费停车 1 小时", "免费礼品包装"]),
    (2, "金卡", 1000, 800, 900, 1200, 2000, ["免费停车 2 小时", "免费礼品包装", "会员日专享券"]),
    (
        3,
        "钻石",
        3000,
        2500,
        880,
        1500,
        3000,
        ["免费停车 4 小时", "贵宾休息室", "专属客服", "免费送货上门"],
    ),
)


def load() -> None:
    actor = Actor.system()
    existing = set(Tier.objects.values_list("rank", flat=True))
    for rank, name, entry, retention, discount, times, birthday, perks in LEVELS:
        if rank in existing:
            continue
        services.create_tier(
            actor=actor,
            rank=rank,
            name=name,
            entry_threshold=entry,
            retention_threshold=retention,
            discount_permille=discount,
            points_multiplier_permille=times,
            birthday_multiplier_permille=birthday,
            perks=perks,
        )
    if not TierProgram.objects.exists():
        services.update_program(actor=actor, metric=TierProgram.Metric.ROLLING_POINTS)
    unplaced = Member.objects.filter(status=Member.Status.ACTIVE, tier_standing__isnull=True)
    if unplaced.exists():
        review.reevaluate_tiers(today=timezone.localdate(), actor=actor)
