"""`verify_ledgers` checks: every stored-value pot and every count-card holding equals the sum
of its ledger rows (registered when the app is ready)."""

from collections.abc import Iterator

from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce

from huiyuan.core.ledgers import ledger_check
from huiyuan.wallet.models import CountCardHolding, StoredValueAccount


def _sum(pot: str | None = None):
    where = Q(entries__pot=pot) if pot else None
    return Coalesce(Sum("entries__delta", filter=where), 0)


@ledger_check
def stored_value_pots() -> Iterator[str]:
    for pot, field in (("principal", "principal_fen"), ("bonus", "bonus_fen")):
        accounts = StoredValueAccount.objects.annotate(ledger=_sum(pot)).exclude(ledger=F(field))
        for account in accounts.select_related("member"):
            yield (
                f"储值 {pot} 不符 / stored value {pot} mismatch: 会员 {account.member.member_no} "
                f"余额 {getattr(account, field)} ≠ 流水合计 {account.ledger}"
            )


@ledger_check
def count_card_holdings() -> Iterator[str]:
    holdings = CountCardHolding.objects.annotate(ledger=_sum()).exclude(ledger=F("remaining"))
    for holding in holdings.select_related("member"):
        yield (
            f"计次卡不符 / count card mismatch: {holding.number} 会员 {holding.member.member_no} "
            f"剩余 {holding.remaining} ≠ 流水合计 {holding.ledger}"
        )
