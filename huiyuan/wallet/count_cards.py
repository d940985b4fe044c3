"""Count cards (计次卡): sell a package, use it at the desk or till, expire what is left.

A holding's `remaining` always equals the sum of its ledger rows (sale +N, use −n, expiry −rest).
Writes lock the holding row (lock order: after the stored-value account, holdings by id).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from huiyuan.core import audit, sequences
from huiyuan.core.actors import Actor
from huiyuan.core.dates import last_day_after_months
from huiyuan.core.errors import DomainError
from huiyuan.members.models import Member
from huiyuan.wallet.accounts import check_can_use, check_payment_method, check_positive
from huiyuan.wallet.models import CountCardEntry, CountCardHolding, CountCardPackage

Kind = CountCardEntry.Kind
SALE_REF = "count_card_sale"


def expiry_for(package: CountCardPackage, sold_on: datetime.date) -> datetime.date | None:
    """The last day a holding sold on `sold_on` may be used (None: no expiry)."""
    if package.validity_days:
        return sold_on + datetime.timedelta(days=package.validity_days - 1)
    if package.validity_months:
        return last_day_after_months(sold_on, package.validity_months)
    return None


@transaction.atomic
def sell_count_card(
    *,
    actor: Actor,
    member: Member,
    package: CountCardPackage,
    payment_method: str,
    external_ref: str = "",
) -> CountCardHolding:
    """售卡: the member pays the package's price and gets its uses."""
    check_payment_method(payment_method)
    if not package.is_active:
        raise DomainError("COUNT_CARD_PACKAGE_NOT_FOUND", field="package")
    check_can_use(member, "has_count_cards")
    (serial,) = sequences.take("count_card_no")
    holding = CountCardHolding.objects.create(
        number=f"JC{serial:010d}",
        member=member,
        package=package,
        uses=package.uses,
        remaining=package.uses,
        expires_on=expiry_for(package, timezone.localdate()),
        price_fen=package.price_fen,
        payment_method=payment_method,
        external_ref=external_ref.strip()[:64],
        store=actor.store,
        operator=actor.operator,
    )
    entry(actor, holding, Kind.SALE, package.uses, ref_type=SALE_REF, ref_no=holding.number)
    audit.record(
        actor,
        "wallet.sell_count_card",
        member,
        after={
            "number": holding.number,
            "package": package.name,
            "price_fen": package.price_fen,
            "payment_method": payment_method,
        },
        store=member.store,
    )
    return holding


@transaction.atomic
def use_count_card(
    *,
    actor: Actor,
    member: Member,
    holding_id: int,
    uses: int = 1,
    ref_type: str = "",
    ref_no: str = "",
    reason: str = "",
) -> CountCardHolding:
    """核销: take `uses` from the member's holding."""
    check_positive(uses, "uses")
    holding = (
        CountCardHolding.objects.select_for_update()
        .select_related("package")
        .filter(pk=holding_id, member=member)
        .first()
    )
    if holding is None:
        raise DomainError("COUNT_CARD_NOT_FOUND", field="holding")
    check_can_use(member, "has_count_cards")
    if holding.status == CountCardHolding.Status.EXPIRED or _lapsed(holding):
        raise DomainError("COUNT_CARD_EXPIRED", field="holding")
    if holding.remaining < uses:
        raise DomainError("COUNT_CARD_EXHAUSTED", field="uses")
    holding.remaining -= uses
    if holding.remaining == 0:
        holding.status = CountCardHolding.Status.EXHAUSTED
    holding.save(update_fields=["remaining", "status", "updated_at"])
    entry(actor, holding, Kind.USE, -uses, ref_type=ref_type, ref_no=ref_no, reason=reason)
    audit.record(
        actor,
        "wallet.use_count_card",
        member,
        after={"number": holding.number, "uses": uses, "remaining": holding.remaining},
        store=member.store,
    )
    return holding


def _lapsed(holding: CountCardHolding, today: datetime.date | None = None) -> bool:
    return holding.expires_on is not None and holding.expires_on < (today or timezone.localdate())


def expire_count_cards(today: datetime.date | None = None) -> int:
    """Daily job: holdings past their last day lose what is left (one ledger row each). Each
    holding in its own transaction, so one failure does not hold back the rest."""
    today = today or timezone.localdate()
    due = CountCardHolding.objects.filter(
        status=CountCardHolding.Status.ACTIVE, expires_on__lt=today
    ).values_list("pk", flat=True)
    return sum(_expire(pk, today) for pk in list(due.order_by("pk")))


@transaction.atomic
def _expire(pk: int, today: datetime.date) -> int:
    holding = CountCardHolding.objects.select_for_update().get(pk=pk)
    if holding.status != CountCardHolding.Status.ACTIVE or not _lapsed(holding, today):
        return 0
    rest = holding.remaining
    holding.remaining, holding.status = 0, CountCardHolding.Status.EXPIRED
    holding.save(update_fields=["remaining", "status", "updated_at"])
    if rest:
        entry(Actor.system(), holding, Kind.EXPIRE, -rest, ref_type=SALE_REF, ref_no=holding.number)
    return 1


def entry(actor, holding, kind, delta, *, ref_type="", ref_no="", reason="") -> CountCardEntry:
    """The ledger row of a change of `holding.remaining` (already applied)."""
    return CountCardEntry.objects.create(
        holding=holding,
        member_id=holding.member_id,
        kind=kind,
        delta=delta,
        balance_after=holding.remaining,
        ref_type=ref_type,
        ref_no=ref_no,
        reason=reason[:200],
        **CountCardEntry.actor_fields(actor),
    )
