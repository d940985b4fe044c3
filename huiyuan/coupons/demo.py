"""Demo coupons: a birthday coupon (a week before the birthday) and a new-member coupon as
triggers, a 满100减20 and an 8.5折 coupon, the 积分返利 program with the seeds' bands
(2% / 2.5% from 30,000 / 3% from 60,000), and coupons held by demo members — some used, some
expired, one revoked, each with its events. (The 会员日代金券 templates come with the promotions
demo.)

`load()` is idempotent: templates and triggers are matched by name and event, and coupons are
issued only while no demo coupon exists. Run it after the demo members.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from huiyuan.core.actors import Actor
from huiyuan.coupons import rebate, services
from huiyuan.coupons.models import (
    Coupon,
    CouponSource,
    CouponTemplate,
    CouponTrigger,
    RebateProgram,
)
from huiyuan.members.demo import DEMO_NOTE
from huiyuan.members.models import Member

DEMO_REF = "demo"
HOLDERS = 24

TEMPLATES = {
    "生日礼券10元": {"kind": "cash", "face_fen": 1000, "validity": "days", "valid_days": 30,
                   "note": "生日前一周自动发放，30 天内有效"},
    "新会员5元券": {"kind": "cash", "face_fen": 500, "min_spend_fen": 3000, "validity": "days",
                  "valid_days": 30, "per_member_limit": 1, "note": "注册即送，满30元可用"},
    "满100减20": {"kind": "threshold", "face_fen": 2000, "min_spend_fen": 10000,
                "validity": "days", "valid_days": 14},
    "8.5折券": {"kind": "percent", "permille": 850, "cap_fen": 5000, "validity": "days",
              "valid_days": 7, "combinable": False, "note": "最多优惠50元，不与其他券同用"},
    "积分返利券": {"kind": "cash", "face_fen": 100, "validity": "days", "valid_days": 90,
               "note": "面值按每位会员的返利金额"},
}  # fmt: skip


@transaction.atomic
def load() -> int:
    """Templates, triggers, the rebate program and demo coupons; returns the coupons issued."""
    actor = Actor.system()
    templates = {
        name: CouponTemplate.objects.get_or_create(name=name, defaults=fields)[0]
        for name, fields in TEMPLATES.items()
    }
    CouponTrigger.objects.get_or_create(
        event=CouponTrigger.Event.BIRTHDAY,
        defaults={"template": templates["生日礼券10元"], "days_before": 7},
    )
    CouponTrigger.objects.get_or_create(
        event=CouponTrigger.Event.REGISTRATION, defaults={"template": templates["新会员5元券"]}
    )
    program = RebateProgram.current()
    if program.template is None:
        program.template = templates["积分返利券"]
        rebate.save_program(actor=actor, program=program, bands=list(rebate.DEFAULT_BANDS))
    if Coupon.objects.filter(source_ref=DEMO_REF).exists():
        return 0
    return _coupons(actor, templates)


def _coupons(actor, templates) -> int:
    holders = list(
        Member.objects.filter(notes=DEMO_NOTE, status=Member.Status.ACTIVE).order_by("pk")[:HOLDERS]
    )
    now = timezone.now()
    cycle = ["满100减20", "8.5折券", "生日礼券10元"]
    issued = 0
    for index, member in enumerate(holders):
        template = templates[cycle[index % len(cycle)]]
        past = index % 4 == 1  # issued 40 days ago: lapsed by now
        at = now - datetime.timedelta(days=40) if past else now
        coupon = services.issue_coupon(
            template, member, source=CouponSource.MANUAL, actor=actor, at=at, source_ref=DEMO_REF
        )
        issued += 1
        if index % 4 == 2:
            services.mark_used(
                coupon, order_ref=f"DEMO{index:04d}", store=member.store, actor=actor, at=now
            )
        elif index == 3:
            services.revoke(coupon, actor=actor, reason="演示：发错会员")
    services.expire_due_coupons(timezone.localdate())
    return issued
