import pytest

from huiyuan.core.actors import Actor

SYSTEM = Actor.system()


@pytest.fixture
def member(register, tiers):
    """A member registered once the ladder exists (so they start in 普通)."""
    return register()
