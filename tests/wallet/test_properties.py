"""Property test: after any sequence of top-ups, spends, refunds, restores and count-card sales,
uses and expiries, every balance equals its ledger sum, none is negative, verify_ledgers passes,
and a refused step writes nothing."""

import datetime

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.ledgers import run_ledger_checks
from huiyuan.wallet import services
from huiyuan.wallet.models import (
    CountCardEntry,
    CountCardHolding,
    StoredValueAccount,
    StoredValueEntry,
    TopUp,
    WalletSettings,
)

pytestmark = pytest.mark.django_db

amounts = st.integers(min_value=-100, max_value=150_000)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("top_up"), amounts),
        st.tuples(st.just("spend"), amounts),
        st.tuples(st.just("refund"), st.integers(0, 5)),
        st.tuples(st.just("restore"), st.integers(-1, 5_000), st.integers(-1, 5_000)),
        st.tuples(
            st.just("order"), st.sampled_from(["proportional", "principal_first", "bonus_first"])
        ),
        st.tuples(st.just("sell")),
        st.tuples(st.just("use"), st.integers(0, 3), st.integers(-1, 12)),
        st.tuples(st.just("expire"), st.integers(0, 800)),
    ),
    max_size=30,
)


class Rollback(Exception):
    pass


def written() -> tuple[int, int, int]:
    return (
        StoredValueEntry.objects.count(),
        CountCardEntry.objects.count(),
        TopUp.objects.count() + CountCardHolding.objects.count(),
    )


def apply(operation, desk, finance, member, package):
    name, *args = operation
    if name == "top_up":
        services.top_up(actor=desk, member=member, amount_fen=args[0], payment_method="cash")
    elif name == "spend":
        services.spend_stored_value(
            actor=desk, member=member, amount_fen=args[0], ref_type="order", ref_no="S"
        )
    elif name == "refund":
        topups = list(TopUp.objects.filter(member=member).order_by("id"))
        if topups:
            topup = topups[args[0] % len(topups)]
            services.refund_top_up(actor=finance, topup=topup, reason="测试")
    elif name == "restore":
        services.restore_stored_value(
            actor=desk, member=member, principal_fen=args[0], bonus_fen=args[1],
            ref_type="return", ref_no="R",
        )  # fmt: skip
    elif name == "order":
        WalletSettings.objects.update_or_create(pk=1, defaults={"spending_order": args[0]})
    elif name == "sell":
        services.sell_count_card(actor=desk, member=member, package=package, payment_method="cash")
    elif name == "use":
        holdings = list(CountCardHolding.objects.filter(member=member).order_by("id"))
        if holdings:
            holding = holdings[args[0] % len(holdings)]
            services.use_count_card(actor=desk, member=member, holding_id=holding.pk, uses=args[1])
    elif name == "expire":
        services.expire_count_cards(timezone.localdate() + datetime.timedelta(days=args[0]))


def check_invariants(member):
    account = StoredValueAccount.objects.filter(member=member).first()
    if account is not None:
        for pot, balance in (("principal", account.principal_fen), ("bonus", account.bonus_fen)):
            total = StoredValueEntry.objects.filter(account=account, pot=pot).aggregate(
                total=Sum("delta")
            )["total"]
            assert balance == (total or 0)
            assert balance >= 0
    for holding in CountCardHolding.objects.filter(member=member):
        total = CountCardEntry.objects.filter(holding=holding).aggregate(total=Sum("delta"))
        assert holding.remaining == total["total"]
        assert holding.remaining >= 0
    assert list(run_ledger_checks()) == []


@given(steps=operations)
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_balances_always_equal_their_ledgers(steps, desk, admin, member, bonus_rules, car_wash):
    finance = Actor(operator=admin)
    try:
        with transaction.atomic():
            for step in steps:
                before = written()
                try:
                    apply(step, desk, finance, member, car_wash)
                except DomainError:
                    assert written() == before  # a refusal writes nothing
                check_invariants(member)
            raise Rollback
    except Rollback:
        pass
