"""Step 4 of the engine (see engine.py): order-level reductions (满减), each spread over the
lines it covers in proportion to what they still cost, with core.money.allocate.

Allocation walks the covered lines by line_no, so the rounding remainder (cumulative flooring:
each share within a fen of its exact proportion) lands on the later lines and never depends on
the scan order. A reduction is never above the covered lines' sum, so no share exceeds its line.
"""

from huiyuan.core.money import allocate
from huiyuan.sales.pricing.cart import Adjustment
from huiyuan.sales.pricing.lines import LineState
from huiyuan.sales.pricing.promotions import FullReduction


def apply_reductions(
    states: list[LineState], reductions: list[FullReduction], is_member: bool
) -> list[Adjustment]:
    applied = []
    for reduction in reductions:
        covered = [
            state
            for state in states
            if not state.exclusive and reduction.applies_to(state.line, is_member)
        ]
        weights = [state.remaining_fen for state in covered]
        amount = reduction.reduction_for(sum(weights))
        if amount == 0:
            continue
        for state, share in zip(covered, allocate(amount, weights), strict=True):
            state.take("promotion", reduction.id, reduction.name, share)
        applied.append(Adjustment("promotion", reduction.id, reduction.name, amount))
        if reduction.exclusive:
            break
    return applied
