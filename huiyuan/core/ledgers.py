"""Append-only ledgers of points, stored value and count-card uses (DESIGN §4).

Every change of a balance is one `LedgerEntry` row written in the same transaction as the balance
it moves. Rows are never updated or deleted: the model refuses it and, on both SQLite and
PostgreSQL, a database trigger does too (`append_only_trigger` in each ledger's migration).

Lock order. A write that moves several accounts of one member locks them in this order, each with
`select_for_update` (a no-op on SQLite, whose writers are serialised anyway), so two
transactions never wait on each other in a circle:

    1. points account   2. stored-value account   3. count-card holdings, by id   4. tier standing

`verify_ledgers` (management command) runs every check registered with `ledger_check`: each
proves balance == sum of its ledger (and, for points, == sum of live lots) and yields one line
per mismatch.
"""

from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import migrations, models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from huiyuan.core.actors import Actor
from huiyuan.core.models import AppendOnlyModel, Store


class LedgerEntry(AppendOnlyModel):
    """One movement of one balance. Subclasses add the account and the `kind` choices."""

    member = models.ForeignKey(
        "members.Member", verbose_name=_("会员"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=16)
    delta = models.BigIntegerField(_("变动"))
    balance_after = models.BigIntegerField(_("变动后余额"))
    ref_type = models.CharField(_("单据类型"), max_length=32, blank=True)
    ref_no = models.CharField(_("单据号"), max_length=64, blank=True, db_index=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    api_key = models.ForeignKey(
        "api.ApiKey",
        verbose_name=_("API 密钥"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    store = models.ForeignKey(
        Store, verbose_name=_("门店"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @classmethod
    def actor_fields(cls, actor: Actor) -> dict:
        """The who and where of a row, from the actor performing the action."""
        return {"operator": actor.operator, "api_key": actor.api_key, "store": actor.store}


def newest_first(rows: QuerySet, *, kind: str = "", since=None, until=None) -> QuerySet:
    """A member's history rows (ledger entries, tier changes), optionally one kind and a date
    window, newest first: the filter every ledger page and export shares."""
    if kind:
        rows = rows.filter(kind=kind)
    if since:
        rows = rows.filter(created_at__date__gte=since)
    if until:
        rows = rows.filter(created_at__date__lte=until)
    return rows.order_by("-created_at", "-id")


def append_only_trigger(table: str) -> migrations.RunPython:
    """A migration operation: the database itself refuses UPDATE and DELETE on `table`."""

    def forward(apps, schema_editor):
        for sql in _trigger_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(sql)

    def backward(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for event in ("update", "delete"):
            name = f"{table}_no_{event}"
            on = f" ON {table}" if vendor == "postgresql" else ""
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}{on}")

    return migrations.RunPython(forward, backward)


def _trigger_sql(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_{event} BEFORE {event.upper()} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            for event in ("update", "delete")
        ]
    if vendor == "postgresql":
        function = f"{table}_append_only"
        return [
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{table} is append-only'; END $$",
            *(
                f"CREATE TRIGGER {table}_no_{event} BEFORE {event.upper()} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {function}()"
                for event in ("update", "delete")
            ),
        ]
    return []


LedgerCheck = Callable[[], Iterator[str]]
CHECKS: list[LedgerCheck] = []


def ledger_check(check: LedgerCheck) -> LedgerCheck:
    """Register a check for `verify_ledgers`; it yields one line per account that is off."""
    CHECKS.append(check)
    return check


def run_ledger_checks() -> Iterator[str]:
    for check in CHECKS:
        yield from check()
