"""Demo stored value and count cards, after the seeds: top-up bonuses 充500送50 and 充1000送150,
a few count-card packages (洗车10次卡 …), and some demo members who topped up at the desk
(cash, WeChat, Alipay, bank card; one refunded) or bought and used count cards.

The demo members carry the standard card (STD), which gets stored value and count cards here so
that they can top up. `load()` is idempotent: rules and packages are matched by name and code,
and the history is written only while no demo top-up exists. Run it after the demo members (and
after the demo tiers, so per-tier rules see the members' tiers).
"""

import random

from django.db import transaction

from huiyuan.cards.models import Card, CardType
from huiyuan.core.actors import Actor
from huiyuan.members.demo import DEMO_NOTE
from huiyuan.members.models import Member
from huiyuan.wallet import services
from huiyuan.wallet.models import CountCardPackage, PaymentMethod, TopUp, TopUpBonusRule

DEMO_REF = "DEMO-"
RULES = (("充500送50", 50_000, 5_000), ("充1000送150", 100_000, 15_000))
PACKAGES = (
    ("WASH10", "洗车10次卡", ["SVC-WASH"], 10, 30_000, None, 12),
    ("PARK20", "停车20次卡", ["SVC-PARK"], 20, 10_000, None, 6),
    ("CLEAN5", "干洗5次卡", ["SVC-DRYCLEAN"], 5, 12_000, 90, None),
)
TOPUP_AMOUNTS = (20_000, 50_000, 50_000, 100_000, 30_000, 100_000)
MEMBERS = 120


def load() -> int:
    """Rules, packages and history; returns the number of demo top-ups written."""
    _rules()
    packages = _packages()
    CardType.objects.filter(code="STD").update(has_stored_value=True, has_count_cards=True)
    if TopUp.objects.filter(external_ref__startswith=DEMO_REF).exists():
        return 0
    return _history(packages)


def _rules() -> None:
    for name, threshold, bonus in RULES:
        TopUpBonusRule.objects.get_or_create(
            name=name, defaults={"threshold_fen": threshold, "bonus_fen": bonus}
        )


def _packages() -> list[CountCardPackage]:
    return [
        CountCardPackage.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "covers": covers,
                "uses": uses,
                "price_fen": price,
                "validity_days": days,
                "validity_months": months,
            },
        )[0]
        for code, name, covers, uses, price, days, months in PACKAGES
    ]


@transaction.atomic
def _history(packages: list[CountCardPackage]) -> int:
    pick = random.Random(5)
    usable = Card.objects.filter(status=Card.Status.ACTIVE, card_type__has_stored_value=True)
    members = list(
        Member.objects.filter(
            notes=DEMO_NOTE, status=Member.Status.ACTIVE, pk__in=usable.values("member_id")
        )
        .select_related("store")
        .order_by("pk")[:MEMBERS]
    )
    written = 0
    for index, member in enumerate(members):
        desk = Actor(store=member.store)
        for _ in range(pick.choice((1, 1, 2, 3))):
            topup = services.top_up(
                actor=desk,
                member=member,
                amount_fen=pick.choice(TOPUP_AMOUNTS),
                payment_method=pick.choice(PaymentMethod.values),
                external_ref=f"{DEMO_REF}{index:04d}{written:04d}",
            )
            written += 1
        if index % 25 == 0:
            services.refund_top_up(actor=desk, topup=topup, reason="演示：顾客退卡")
        if index % 4 == 0:
            holding = services.sell_count_card(
                actor=desk, member=member, package=pick.choice(packages), payment_method="wechat"
            )
            services.use_count_card(
                actor=desk, member=member, holding_id=holding.pk, uses=pick.randint(1, 4)
            )
    return written
