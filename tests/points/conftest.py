import pytest

from huiyuan.core.actors import Actor


@pytest.fixture
def member(register):
    return register()


@pytest.fixture
def system():
    return Actor.system()


@pytest.fixture
def travel(time_machine):
    """travel(2026, 1, 15) → it is noon of that day in Shanghai from now on."""
    import datetime

    from django.utils import timezone

    def go(year, month, day, hour=12):
        moment = datetime.datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())
        time_machine.move_to(moment, tick=False)
        return moment

    return go


@pytest.fixture
def program(db):
    from huiyuan.points.models import PointsProgram

    return PointsProgram.current()
