"""The short "example" lines marketing sees next to a rule: what it gives for a sample purchase."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.core.money import format_fen
from huiyuan.points.earning import rounded
from huiyuan.points.expiry import lapses_on, lot_expiry
from huiyuan.points.models import EarnRule, PointsProgram
from huiyuan.points.payment import max_points_payable, points_value_fen

SAMPLE_PURCHASES_FEN = (19999, 100000)
SAMPLE_ORDER_FEN = 10000


def rule_example(rule: EarnRule) -> str:
    if not rule.fen_per_point or rule.fen_per_point <= 0:
        return ""
    parts = [
        _("实付 %(amount)s 得 %(points)d 分")
        % {"amount": format_fen(fen), "points": rounded(fen, rule.fen_per_point, rule.rounding)}
        for fen in SAMPLE_PURCHASES_FEN
    ]
    return _("示例：") + "；".join(parts)


def program_examples(program: PointsProgram, today: datetime.date | None = None) -> list[str]:
    today = today or timezone.localdate()
    lines = [_expiry_example(program, today)]
    lines.append(
        _("%(when)s消费积分 ×%(times)g")
        % {
            "when": program.get_birthday_mode_display(),
            "times": program.birthday_multiplier_permille / 1000,
        }
    )
    if program.pay_enabled and program.pay_points_per_yuan:
        points = max_points_payable(program, SAMPLE_ORDER_FEN, balance=10**9)
        lines.append(
            _("%(order)s 的订单最多可用 %(points)d 积分抵 %(value)s（至少 %(min)d 分）")
            % {
                "order": format_fen(SAMPLE_ORDER_FEN),
                "points": points,
                "value": format_fen(points_value_fen(program, points)),
                "min": program.pay_min_points,
            }
        )
    return lines


def _expiry_example(program: PointsProgram, today: datetime.date) -> str:
    if program.expiry_mode == PointsProgram.ExpiryMode.NEVER:
        return _("积分永不过期")
    if program.expiry_mode == PointsProgram.ExpiryMode.INACTIVITY:
        last_day = lapses_on(program, today) - datetime.timedelta(days=1)
        return _("今天消费后若一直无消费，积分于 %(day)s 后全部失效") % {"day": last_day}
    return _("今天获得的积分有效期至 %(day)s") % {"day": lot_expiry(program, today)}
