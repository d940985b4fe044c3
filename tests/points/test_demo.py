import pytest
from django.core.management import call_command

from huiyuan.members.demo import DEMO_NOTE
from huiyuan.points import demo
from huiyuan.points.models import EarnRule, PointsEntry

pytestmark = pytest.mark.django_db


def test_demo_points_add_up_and_load_once(register):
    for number in range(40):
        register(name=f"演示{number}", phone=f"1380000{number:04d}", notes=DEMO_NOTE)
    assert demo.load() > 40
    assert PointsEntry.objects.filter(kind=PointsEntry.Kind.EXPIRE).exists()
    assert PointsEntry.objects.filter(kind=PointsEntry.Kind.REDEEM).exists()
    call_command("verify_ledgers")
    entries = PointsEntry.objects.count()
    assert demo.load() == 0
    assert PointsEntry.objects.count() == entries
    assert EarnRule.objects.count() == 1
