"""记账单: every bill kind the seeds name, read from the apps that write them, as one list.

Each kind is one query over its own table, shaped to the same columns; the list is their UNION,
ordered by time and paginated by the database, so a page costs the same few queries whatever the
rows: the page and its count, then the stores, operators, API keys and members of the page's rows
(one query each), and the totals of every kind in one more (a UNION of one aggregate per kind).

Kinds and their rows:
- 储值记录 top-ups: `wallet.TopUp` (amount paid; a refunded one says so);
- 积分记录 points: every `points.PointsEntry` (its delta);
- 计次记录 count-card uses: `wallet.CountCardEntry` of kind `use` (uses taken);
- 计次卡销售 count-card sales: `wallet.CountCardHolding` (price, uses bought);
- 现金支付记录 cash payments: each order paid partly or wholly in cash, the amount being what
  cash covered (cash handed over − change: `sales.orders` records the cash in full);
- 储值消费单据 stored-value sales: `sales.Payment` rows of stored value (the order's number);
- 兑换礼品单据 gift redemptions: `gifts.GiftRedemption` (points);
- 客户退货单据 customer returns: `sales.SalesReturn` (refund).
Store scope: an operator without `core.view_all_stores` sees rows of their stores only (a
points entry written by the system has no store: only chain-wide roles see it).
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from huiyuan.api.models import ApiKey
from huiyuan.core import xlsx
from huiyuan.core.models import Store
from huiyuan.gifts.models import GiftRedemption
from huiyuan.members.models import Member
from huiyuan.points.models import PointsEntry
from huiyuan.sales.models import Order, Payment, SalesReturn, Tender
from huiyuan.staff.models import Operator
from huiyuan.staff.scope import sees_all_stores
from huiyuan.wallet.models import CountCardEntry, CountCardHolding, PaymentMethod, TopUp

# The UNION's columns, in order (prefixed: several are also field names of the sources).
COLUMNS = (
    "b_kind",
    "b_id",
    "b_number",
    "b_at",
    "b_store",
    "b_operator",
    "b_api_key",
    "b_member",
    "b_amount",
    "b_points",
    "b_uses",
    "b_note",
)


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    # The detail page: a URL name and which of the row's values it takes ("number" or the
    # member's "member_no").
    url_name: str
    url_arg: str


KINDS = (
    Kind("topup", _("储值记录"), "wallet:slip", "number"),
    Kind("points", _("积分记录"), "points:ledger", "member_no"),
    Kind("count_card_use", _("计次记录"), "wallet:count_card_ledger", "member_no"),
    Kind("count_card_sale", _("计次卡销售"), "wallet:count_card_ledger", "member_no"),
    Kind("cash", _("现金支付记录"), "orders:detail", "number"),
    Kind("stored_value", _("储值消费单据"), "orders:detail", "number"),
    Kind("gift", _("兑换礼品单据"), "gifts:bill", "number"),
    Kind("return", _("客户退货单据"), "returns:detail", "number"),
)
KIND_BY_CODE = {kind.code: kind for kind in KINDS}


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    store: Store | None = None
    operator: Operator | None = None
    q: str = ""  # member number, phone or card number, or the bill's number
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _null(field):
    return Cast(Value(None), field)  # typed: PostgreSQL can't sum or union an untyped NULL


def _shape(rows: QuerySet, kind: str, **columns) -> QuerySet:
    """`rows` annotated with the common columns (those not given are NULL), unordered."""
    shaped = {
        "b_kind": Value(kind, output_field=CharField()),
        "b_id": F("pk"),
        "b_number": _null(CharField()),
        "b_at": F("created_at"),
        "b_store": F("store_id"),
        "b_operator": F("operator_id"),
        "b_api_key": _null(IntegerField()),
        "b_member": F("member_id"),
        "b_amount": _null(BigIntegerField()),
        "b_points": _null(BigIntegerField()),
        "b_uses": _null(BigIntegerField()),
        "b_note": Value("", output_field=CharField()),
    }
    shaped.update({f"b_{name}": value for name, value in columns.items()})
    return rows.order_by().annotate(**shaped)


def _cash_covered():
    """Per order: the cash handed over less the change (a subquery on the order's payments)."""
    cash = (
        Payment.objects.filter(order=OuterRef("pk"), method=Tender.CASH)
        .order_by()
        .values("order")
        .annotate(total=Sum("amount_fen"))
        .values("total")
    )
    return Subquery(cash, output_field=BigIntegerField()) - F("change_fen")


def _sources() -> dict[str, tuple[QuerySet, dict]]:
    """Each kind: its rows, and the columns they give beyond the common names."""
    has_cash = Exists(Payment.objects.filter(order=OuterRef("pk"), method=Tender.CASH))
    return {
        "topup": (
            TopUp.objects.all(),
            {
                "number": F("number"),
                "amount": F("amount_fen"),
                "note": F("status"),
            },
        ),
        "points": (
            PointsEntry.objects.all(),
            {
                "number": F("ref_no"),
                "api_key": F("api_key_id"),
                "points": F("delta"),
                "note": F("kind"),
            },
        ),
        "count_card_use": (
            CountCardEntry.objects.filter(kind=CountCardEntry.Kind.USE),
            {
                "number": F("holding__number"),
                "api_key": F("api_key_id"),
                "uses": -F("delta"),
                "note": F("holding__package__name"),
            },
        ),
        "count_card_sale": (
            CountCardHolding.objects.all(),
            {
                "number": F("number"),
                "amount": F("price_fen"),
                "uses": F("uses"),
                "note": F("payment_method"),
            },
        ),
        "cash": (
            Order.objects.filter(has_cash),
            {
                "number": F("order_no"),
                "operator": F("cashier_id"),
                "api_key": F("api_key_id"),
                "amount": _cash_covered(),
            },
        ),
        "stored_value": (
            Payment.objects.filter(method=Tender.STORED_VALUE),
            {
                "number": F("order__order_no"),
                "at": F("order__created_at"),
                "store": F("order__store_id"),
                "operator": F("order__cashier_id"),
                "api_key": F("order__api_key_id"),
                "member": F("order__member_id"),
                "amount": F("amount_fen"),
            },
        ),
        "gift": (
            GiftRedemption.objects.all(),
            {
                "number": F("number"),
                "api_key": F("api_key_id"),
                "points": F("total_points"),
            },
        ),
        "return": (
            SalesReturn.objects.all(),
            {
                "number": F("return_no"),
                "operator": F("cashier_id"),
                "member": F("order__member_id"),
                "amount": F("refund_fen"),
                "note": F("order__order_no"),
            },
        ),
    }


def _filtered(rows: QuerySet, filters: Filters, operator) -> QuerySet:
    """Shaped rows filtered on their common columns, whatever each kind calls them."""
    if not sees_all_stores(operator):
        rows = rows.filter(b_store__in=operator.stores.values("pk"))
    if filters.store is not None:
        rows = rows.filter(b_store=filters.store.pk)
    if filters.operator is not None:
        rows = rows.filter(b_operator=filters.operator.pk)
    if filters.date_from:
        rows = rows.filter(b_at__date__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(b_at__date__lte=filters.date_to)
    if q := filters.q.strip():
        members = Member.objects.filter(Q(member_no=q) | Q(phone=q) | Q(cards__number=q))
        rows = rows.filter(Q(b_number=q) | Q(b_member__in=members.values("pk")))
    return rows


def _parts(filters: Filters, operator) -> list[tuple[str, QuerySet]]:
    """The filtered, shaped rows of each kind asked for."""
    wanted = [filters.kind] if filters.kind in KIND_BY_CODE else list(KIND_BY_CODE)
    sources = _sources()
    return [
        (kind, _filtered(_shape(rows, kind, **columns), filters, operator).values(*COLUMNS))
        for kind in wanted
        for rows, columns in [sources[kind]]
    ]


def _union(parts: list[QuerySet]) -> QuerySet:
    first, *rest = parts
    return first.union(*rest, all=True) if rest else first


def bills(filters: Filters, operator) -> QuerySet:
    """Every bill that `operator` may see matching `filters`, newest first (dicts of COLUMNS)."""
    rows = _union([shaped for _kind, shaped in _parts(filters, operator)])
    return rows.order_by("-b_at", "b_kind", "-b_id")


@dataclass
class Total:
    kind: Kind
    count: int = 0
    amount_fen: int = 0
    points: int = 0
    uses: int = 0


def totals(filters: Filters, operator) -> list[Total]:
    """Each kind asked for: how many bills, and the sums of their amounts, points and uses."""
    parts = _parts(filters, operator)
    sums = _union(
        [
            shaped.values("b_kind")  # one group: the kind is the same on every row
            .annotate(
                count=Count("b_id"),
                amount_fen=Coalesce(Sum("b_amount"), 0),
                points=Coalesce(Sum("b_points"), 0),
                uses=Coalesce(Sum("b_uses"), 0),
            )
            .values("b_kind", "count", "amount_fen", "points", "uses")
            for _kind, shaped in parts
        ]
    )
    found = {row.pop("b_kind"): row for row in sums}
    return [Total(KIND_BY_CODE[kind], **found.get(kind, {})) for kind, _shaped in parts]


@dataclass
class Bill:
    """One row of the list, with what it names fetched for the page."""

    kind: Kind
    number: str
    created_at: datetime.datetime
    store: Store | None
    operator: Operator | None
    api_key: ApiKey | None
    member: Member | None
    amount_fen: int | None
    points: int | None
    uses: int | None
    note: str
    url: str | None

    @property
    def who(self) -> str:
        if self.operator is not None:
            return str(self.operator)
        return f"API {self.api_key.name}" if self.api_key is not None else str(_("系统"))


NOTE_LABELS = {
    "topup": dict(TopUp.Status.choices),
    "points": dict(PointsEntry.Kind.choices),
    "count_card_sale": dict(PaymentMethod.choices),
}


def hydrate(rows) -> list[Bill]:
    """The page's rows as `Bill`s: their stores, operators, API keys and members fetched in one
    query each, and each one's detail address."""
    rows = list(rows)

    def fetch(model, column):
        ids = {row[column] for row in rows if row[column] is not None}
        return model.objects.in_bulk(ids) if ids else {}

    stores = fetch(Store, "b_store")
    operators = fetch(Operator, "b_operator")
    api_keys = fetch(ApiKey, "b_api_key")
    members = fetch(Member, "b_member")
    urls = _url_makers()
    bills = []
    for row in rows:
        kind = KIND_BY_CODE[row["b_kind"]]
        member = members.get(row["b_member"])
        note = row["b_note"] or ""
        bills.append(
            Bill(
                kind=kind,
                number=row["b_number"] or "",
                created_at=row["b_at"],
                store=stores.get(row["b_store"]),
                operator=operators.get(row["b_operator"]),
                api_key=api_keys.get(row["b_api_key"]),
                member=member,
                amount_fen=row["b_amount"],
                points=row["b_points"],
                uses=row["b_uses"],
                note=str(NOTE_LABELS.get(kind.code, {}).get(note, note)),
                url=urls[kind.code](row["b_number"], member),
            )
        )
    return bills


def _url_makers():
    """Each kind's detail address maker; a kind whose page doesn't exist (yet) links nowhere."""

    def maker(kind: Kind):
        try:
            reverse(kind.url_name, args=["0"])
        except NoReverseMatch:
            return lambda number, member: None

        def url(number, member):
            value = member.member_no if kind.url_arg == "member_no" and member else number
            return reverse(kind.url_name, args=[value]) if value else None

        return url

    return {kind.code: maker(kind) for kind in KINDS}


# The xlsx export's columns (`core.xlsx.download_rows`), over `Bill`s.
EXPORT_COLUMNS = (
    (_("类型"), lambda bill: str(bill.kind.label)),
    (_("单号"), lambda bill: bill.number),
    (_("时间"), xlsx.when),
    (_("门店"), lambda bill: bill.store.name if bill.store else ""),
    (_("会员号"), lambda bill: bill.member.member_no if bill.member else ""),
    (_("姓名"), lambda bill: bill.member.name if bill.member else ""),
    (_("金额（元）"), lambda bill: None if bill.amount_fen is None else bill.amount_fen / 100),
    (_("积分"), lambda bill: bill.points),
    (_("次数"), lambda bill: bill.uses),
    (_("说明"), lambda bill: bill.note),
    (_("经办"), lambda bill: bill.who),
)
