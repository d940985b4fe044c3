import pytest

from huiyuan.core.errors import DomainError
from huiyuan.points.payment import max_points_payable, points_payment_fen

pytestmark = pytest.mark.django_db


def test_points_pay_within_the_share_and_above_the_minimum(program):
    # defaults: 100 points = ¥1, at most 50 % of the order, at least 100 points
    assert max_points_payable(program, 10000, balance=100000) == 5000
    assert max_points_payable(program, 10000, balance=1234) == 1234
    assert max_points_payable(program, 10000, balance=99) == 0
    assert points_payment_fen(program, 1500, 10000, balance=2000) == 1500
    for points in (99, 5001, 0):
        with pytest.raises(DomainError) as refused:
            points_payment_fen(program, points, 10000, balance=10000)
        assert refused.value.code == "POINTS_PAYMENT_NOT_ALLOWED"
    with pytest.raises(DomainError) as refused:
        points_payment_fen(program, 3000, 10000, balance=2000)
    assert refused.value.code == "POINTS_INSUFFICIENT"


def test_payments_come_to_whole_fen(program):
    program.pay_points_per_yuan = 40  # 1 point = 2.5 fen: only even numbers of points
    program.pay_min_points = 0
    assert max_points_payable(program, 1001, balance=999) == 200
    assert points_payment_fen(program, 200, 1001, balance=999) == 500
    with pytest.raises(DomainError):
        points_payment_fen(program, 199, 1001, balance=999)
    program.pay_enabled = False
    assert max_points_payable(program, 1001, balance=999) == 0
