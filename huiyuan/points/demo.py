"""Demo points, after the seeds: "满100元积1分，零头不计" (¥100 a point, fractions dropped, per
order), "积分一年内有效" (each lot valid 12 months; the seed's other rule, "连续一年内无消费记录
积分自动失效", is the inactivity mode, one click away on 积分设置), "生日当天双倍积分", 每周二会员日
double points, tobacco and gift cards earning nothing, and 100 points = ¥1 at the till (at most
half an order, at least 100 points).

Every demo member gets 15 months of purchase earnings (most spend little, a few are heavy
buyers, so the tiers demo spreads them over 普通 / 银卡 / 金卡 / 钻石), lots older than a year
expire through the expiry job, and some members have redeemed gifts. History rows are written in
bulk with their past dates; the balances, lots and ledgers add up (verify_ledgers).

`load()` is idempotent: rules are matched by name, and the history is written only while no
demo earning exists. Run it after the demo members and before the wallet and tier demos (a member
whose points account already exists, e.g. from top-up points, gets no purchase history).
"""

import datetime
import random
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone

from huiyuan.core.actors import Actor
from huiyuan.members.demo import DEMO_NOTE
from huiyuan.members.models import Member
from huiyuan.points import rules, services
from huiyuan.points.expiring import expire_due_points
from huiyuan.points.expiry import lot_expiry
from huiyuan.points.models import (
    EarnRule,
    PointsAccount,
    PointsDay,
    PointsEntry,
    PointsLot,
    PointsProgram,
)

DEMO_REF_TYPE = "demo_order"
HISTORY_DAYS = 456
BATCH = 2000


def load() -> int:
    """Rules, settings and history; returns the number of demo earnings written."""
    actor = Actor.system()
    _rules(actor)
    if PointsEntry.objects.filter(ref_type=DEMO_REF_TYPE).exists():
        return 0
    written = _history()
    expire_due_points()
    _redemptions(actor)
    return written


def _rules(actor) -> None:
    if not EarnRule.objects.filter(name="满100元积1分").exists():
        rule = EarnRule(
            name="满100元积1分",
            fen_per_point=10000,
            exclude_category_codes="TOBACCO, GIFTCARD",
        )
        rules.save_earn_rule(actor=actor, rule=rule, stores=[], card_types=[])
    if not PointsDay.objects.filter(name="周二会员日双倍积分").exists():
        year = timezone.localdate().year
        day = PointsDay(
            name="周二会员日双倍积分",
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year + 1, 12, 31),
            weekdays="2",
        )
        rules.save_points_day(actor=actor, day=day, stores=[])
    program = PointsProgram.current()
    if program.referral_points == 0 and program.check_in_points == 0:
        rules.update_program(
            actor=actor, referral_threshold_fen=10000, referral_points=100, check_in_points=1
        )


@contextmanager
def _past_dates():
    """Demo history carries past timestamps: created_at's auto_now_add pauses meanwhile."""
    field = PointsEntry._meta.get_field("created_at")
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


def _visits(rng: random.Random, today: datetime.date):
    """(day, amount paid in fen) of one member's purchases, oldest first."""
    yearly_fen = int(rng.lognormvariate(13.3, 1.3))  # median ≈ ¥6,000 a year
    count = rng.randint(2, 24)
    days = sorted(rng.randrange(HISTORY_DAYS) for _ in range(count))
    return [
        (today - datetime.timedelta(days=HISTORY_DAYS - day), yearly_fen * 3 // (2 * count))
        for day in days
    ]


@transaction.atomic
def _history() -> int:
    program = PointsProgram.current()
    rng = random.Random(5)
    today = timezone.localdate()
    members = Member.objects.filter(
        notes=DEMO_NOTE, status=Member.Status.ACTIVE, points_account=None
    )
    zone = timezone.get_current_timezone()
    written = 0
    for chunk in _chunks(list(members.order_by("pk").values_list("pk", "store_id")), 500):
        plans = {pk: (store, _visits(rng, today)) for pk, store in chunk}
        accounts = PointsAccount.objects.bulk_create([PointsAccount(member_id=pk) for pk in plans])
        entries, lots = [], []
        for account in accounts:
            store_id, visits = plans[account.member_id]
            for day, paid_fen in visits:
                points = paid_fen // 10000
                if points == 0:
                    continue
                account.balance += points
                account.last_purchase_on = day
                at = datetime.datetime.combine(day, datetime.time(rng.randint(9, 21)), zone)
                ref_no = f"D{account.member_id}-{day:%y%m%d}-{len(entries)}"
                entry = PointsEntry(
                    account=account, member_id=account.member_id, kind=PointsEntry.Kind.EARN,
                    delta=points, balance_after=account.balance, ref_type=DEMO_REF_TYPE,
                    ref_no=ref_no, store_id=store_id, created_at=at,
                )  # fmt: skip
                entries.append(entry)
                lots.append(
                    PointsLot(
                        account=account,
                        entry=entry,
                        earned_at=at,
                        expires_on=lot_expiry(program, day),
                        original=points,
                        remaining=points,
                        source=PointsEntry.Kind.EARN,
                        ref_type=DEMO_REF_TYPE,
                        ref_no=ref_no,
                    )  # fmt: skip
                )
        with _past_dates():
            PointsEntry.objects.bulk_create(entries, batch_size=BATCH)
        PointsLot.objects.bulk_create(lots, batch_size=BATCH)
        PointsAccount.objects.bulk_update(accounts, ["balance", "last_purchase_on"], BATCH)
        written += len(entries)
    return written


def _redemptions(actor) -> None:
    """Some members exchanged points for gifts at the desk."""
    accounts = PointsAccount.objects.filter(member__notes=DEMO_NOTE, balance__gte=300)
    for number, account in enumerate(accounts.select_related("member").order_by("pk")[:80], 1):
        services.redeem_points(
            actor=actor, member=account.member, points=account.balance // 300 * 100,
            ref_type="gift", ref_no=f"LP{number:05d}", reason="积分兑换礼品",
        )  # fmt: skip


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
