"""Points as payment (积分抵现): the checkout asks how many points an order may take and what
they are worth, then calls services.spend_points with the order's reference.

With `pay_points_per_yuan` = P, a point is worth 100/P fen; a payment must come to whole fen,
be at least the program's minimum and at most its share of the order (per-mille)."""

import math

from huiyuan.core.errors import DomainError
from huiyuan.points.models import PointsProgram


def _step(program: PointsProgram) -> int:
    """The smallest number of points worth a whole number of fen."""
    return program.pay_points_per_yuan // math.gcd(program.pay_points_per_yuan, 100)


def points_value_fen(program: PointsProgram, points: int) -> int:
    return points * 100 // program.pay_points_per_yuan


def max_points_payable(program: PointsProgram, order_total_fen: int, balance: int) -> int:
    """The most points this order may take (0 when the minimum can't be reached)."""
    if not program.pay_enabled or order_total_fen <= 0:
        return 0
    share_fen = order_total_fen * program.pay_max_share_permille // 1000
    points = min(balance, share_fen * program.pay_points_per_yuan // 100)
    points -= points % _step(program)
    return points if points >= max(program.pay_min_points, 1) else 0


def points_payment_fen(
    program: PointsProgram, points: int, order_total_fen: int, balance: int
) -> int:
    """What `points` pay off this order, in fen; POINTS_PAYMENT_NOT_ALLOWED when the rule
    refuses them (POINTS_INSUFFICIENT when the member holds fewer)."""
    if points > balance:
        raise DomainError("POINTS_INSUFFICIENT", field="points")
    if (
        points <= 0
        or points % _step(program)
        or points > max_points_payable(program, order_total_fen, points)
    ):
        raise DomainError("POINTS_PAYMENT_NOT_ALLOWED", field="points")
    return points_value_fen(program, points)
