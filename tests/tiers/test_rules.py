"""The review's rule for one member, over random ladders and values (hypothesis)."""

from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from huiyuan.tiers.models import Tier, TierProgram
from huiyuan.tiers.review import decide


@st.composite
def ladders(draw):
    """2–6 tiers: entry thresholds strictly growing from 0, each retention <= its entry."""
    steps = draw(st.lists(st.integers(1, 2000), min_size=1, max_size=5))
    entries = [0]
    for step in steps:
        entries.append(entries[-1] + step)
    return [
        Tier(rank=rank, name=f"T{rank}", entry_threshold=entry,
             retention_threshold=draw(st.integers(0, entry)))
        for rank, entry in enumerate(entries)
    ]  # fmt: skip


@given(
    tiers=ladders(),
    position=st.integers(0, 5),
    value=st.integers(0, 12_000),
    mode=st.sampled_from(TierProgram.Downgrade.values),
)
def test_a_member_keeps_gains_or_loses_a_tier_only_as_the_rules_say(tiers, position, value, mode):
    current = tiers[min(position, len(tiers) - 1)]
    program = TierProgram(downgrade=mode)

    target, kind = decide(program, tiers, SimpleNamespace(tier=current), current, value)

    if kind == "upgrade":
        assert target.rank > current.rank
        assert value >= target.entry_threshold
        assert all(value < t.entry_threshold for t in tiers if t.rank > target.rank)
    elif kind == "keep":
        assert target is current
        assert value >= current.retention_threshold or current.rank == 0
    else:
        assert kind == "downgrade"
        assert value < current.retention_threshold
        assert target.rank < current.rank
        if mode == "one_level":
            assert target.rank == current.rank - 1
        else:
            assert value >= target.retention_threshold or target.rank == 0
            assert all(value < t.retention_threshold for t in tiers[target.rank + 1 : current.rank])
