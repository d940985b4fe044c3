import pytest

from huiyuan.core.actors import Actor


@pytest.fixture
def member(register):
    return register()


@pytest.fixture
def system():
    return Actor.system()
