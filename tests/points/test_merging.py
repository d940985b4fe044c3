import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from huiyuan.core.errors import DomainError
from huiyuan.points import selectors, services
from huiyuan.points.merging import transfer_points
from huiyuan.points.models import PointsEntry

pytestmark = pytest.mark.django_db


def test_a_merge_moves_every_lot_with_its_dates(register, system, travel):
    kept = register()
    absorbed = register(name="张三（重复）", phone="13900000001")
    travel(2026, 1, 10)
    services.earn_points(actor=system, member=absorbed, points=70, ref_no="A1")
    travel(2026, 4, 1)
    services.earn_points(actor=system, member=absorbed, points=30, ref_no="A2")
    services.redeem_points(actor=system, member=absorbed, points=20, ref_type="g", ref_no="G")
    services.earn_points(actor=system, member=kept, points=5)

    assert transfer_points(actor=system, source=absorbed, target=kept, reason="重复登记合并") == 80
    assert selectors.points_balance(absorbed) == 0
    assert selectors.points_balance(kept) == 85
    moved = {(lot.remaining, lot.expires_on) for lot in selectors.live_lots(kept)}
    assert {(50, datetime.date(2027, 1, 9)), (30, datetime.date(2027, 3, 31))} <= moved
    today = timezone.localdate()
    assert selectors.points_earned(kept, today, today) == 5  # a transfer is not an earning
    assert PointsEntry.objects.filter(kind="transfer").count() == 3
    call_command("verify_ledgers")
    assert transfer_points(actor=system, source=absorbed, target=kept, reason="再来一次") == 0
    with pytest.raises(DomainError):
        transfer_points(actor=system, source=kept, target=kept, reason="自己")
