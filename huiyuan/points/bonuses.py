"""Points given for something other than a purchase: registration, referral, daily check-in.

Each is once per occasion: the beneficiary's account is locked first, then the ledger is asked
whether the bonus was already given, so a retry or a race never pays twice.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.points.models import PointsEntry, PointsProgram
from huiyuan.points.services import credit, locked_account

Kind = PointsEntry.Kind


def _once(actor, member, points: int, ref_type: str, ref_no: str, reason: str):
    if points <= 0:  # no bonus configured: not even an (empty) account is opened
        return None
    account = locked_account(member)
    if account.entries.filter(ref_type=ref_type, ref_no=ref_no).exists():
        return None
    return credit(
        account, actor, Kind.BONUS, points, ref_type=ref_type, ref_no=ref_no, reason=reason
    )


@transaction.atomic
def award_registration_bonus(*, actor: Actor, member) -> PointsEntry | None:
    """The program's registration bonus, once per member (None when there is none to give)."""
    points = PointsProgram.current().registration_bonus
    return _once(actor, member, points, "registration", member.member_no, _("注册奖励"))


@transaction.atomic
def award_referral_bonus(*, actor: Actor, referee, amount_fen: int) -> PointsEntry | None:
    """Called by the checkout with the referee's first purchase: the referrer earns the program's
    referral points when the purchase reaches the threshold; once per referee."""
    program = PointsProgram.current()
    referrer = referee.referrer
    if referrer is None or amount_fen < program.referral_threshold_fen:
        return None
    reason = _("推荐会员 %(member_no)s 首次消费") % {"member_no": referee.member_no}
    return _once(actor, referrer, program.referral_points, "referral", referee.member_no, reason)


@transaction.atomic
def check_in(*, actor: Actor, member, today: datetime.date) -> PointsEntry | None:
    """The daily check-in (member website): once per day; POINTS_ALREADY_CHECKED_IN after that.
    Returns the ledger row, or None when the program gives no check-in points."""
    account = locked_account(member)
    if account.last_check_in_on == today:
        raise DomainError("POINTS_ALREADY_CHECKED_IN")
    account.last_check_in_on = today
    points = PointsProgram.current().check_in_points
    if points <= 0:
        account.save(update_fields=["last_check_in_on"])
        return None
    return credit(
        account,
        actor,
        Kind.CHECK_IN,
        points,
        ref_type="check_in",
        ref_no=today.isoformat(),
        reason=_("每日签到"),
    )
