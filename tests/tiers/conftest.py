import pytest

from huiyuan.core.actors import Actor
from huiyuan.tiers import services

SYSTEM = Actor.system()
# The demo ladder in small numbers: rank, name, entry, retention, discount ‰, multiplier ‰.
LADDER = [
    (0, "普通", 0, 0, 1000, 1000),
    (1, "银卡", 300, 200, 950, 1200),
    (2, "金卡", 1000, 800, 900, 1500),
    (3, "钻石", 3000, 2500, 880, 2000),
]


@pytest.fixture
def tiers(db):
    """name → Tier for the four-level ladder (created through the service)."""
    return {
        name: services.create_tier(
            actor=SYSTEM,
            rank=rank,
            name=name,
            entry_threshold=entry,
            retention_threshold=retention,
            discount_permille=discount,
            points_multiplier_permille=multiplier,
            perks=[f"{name}权益"],
        )
        for rank, name, entry, retention, discount, multiplier in LADDER
    }


@pytest.fixture
def member(register, tiers):
    return register()


@pytest.fixture
def earn():
    """earn(member, points) through the points service (as a purchase would)."""
    from huiyuan.points.services import earn_points

    def go(member, points, **more):
        return earn_points(actor=SYSTEM, member=member, points=points, **more)

    return go
