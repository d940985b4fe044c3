"""The daily points expiry job over many members, and quoting points for a purchase.

    .venv/bin/python bench/points_expiry.py [--members 5000] [--lots 6]

On a throwaway SQLite database (a temporary HUIYUAN_VAR_DIR, never DATABASE_URL's), each member
gets `--lots` lots of which half have lapsed. Then:
- baseline: `bulk_create` of as many minimal ledger rows as the job writes (the cheapest way to
  put those rows in the database);
- expiry job: `expire_due_points` — per account a transaction, the row lock, one expire row, one
  draw and one lot update per lapsed lot;
- quotes: `points_for_purchase` for a three-line cart with two earn rules and a double-points
  day, per member (read-only; the till's question).
The ratio is each scenario's time over the baseline's.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, machine


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--lots", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="huiyuan-bench-") as var_dir:
        os.environ.pop("DATABASE_URL", None)
        os.environ |= {"HUIYUAN_VAR_DIR": var_dir, "DJANGO_SETTINGS_MODULE": "huiyuan.settings"}
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        run(args.members, args.lots)


def run(members: int, lots: int) -> None:
    from django.utils import timezone

    from huiyuan.core.actors import Actor
    from huiyuan.core.models import Store
    from huiyuan.members.models import Member
    from huiyuan.points import rules
    from huiyuan.points.earning import PurchaseLine, points_for_purchase
    from huiyuan.points.expiring import expire_due_points
    from huiyuan.points.models import (
        EarnRule,
        PointsAccount,
        PointsDay,
        PointsEntry,
        PointsLot,
    )

    store = Store.objects.create(code="B1", name="bench")
    Member.objects.bulk_create(
        Member(member_no=f"{n:08d}", name="测试", name_pinyin="ceshi", name_initials="cs",
               phone=f"139{n:08d}", channel="counter", store=store)
        for n in range(members)
    )  # fmt: skip
    people = list(Member.objects.order_by("pk"))
    accounts = PointsAccount.objects.bulk_create(
        PointsAccount(member=member, balance=100 * lots) for member in people
    )
    today = timezone.localdate()
    now = timezone.now()
    entries, lot_rows = [], []
    for account in accounts:
        for n in range(lots):
            entry = PointsEntry(account=account, member_id=account.member_id, kind="earn",
                                delta=100, balance_after=100 * (n + 1))  # fmt: skip
            entries.append(entry)
            lapsed = n < lots // 2
            expires = today - datetime.timedelta(days=1 if lapsed else -200)
            lot_rows.append(PointsLot(account=account, entry=entry, earned_at=now,
                                      expires_on=expires, original=100, remaining=100,
                                      source="earn"))  # fmt: skip
    PointsEntry.objects.bulk_create(entries, batch_size=2000)
    PointsLot.objects.bulk_create(lot_rows, batch_size=2000)
    due = members * (lots // 2)

    start = time.perf_counter()
    PointsEntry.objects.bulk_create(
        (PointsEntry(account=account, member_id=account.member_id, kind="expire", delta=-1,
                     balance_after=0) for account in accounts for _ in range(lots // 2)),
        batch_size=2000,
    )  # fmt: skip
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    expired = expire_due_points(today)
    job = time.perf_counter() - start
    assert expired == due * 100, expired

    actor = Actor.system()
    rules.save_earn_rule(actor=actor, rule=EarnRule(name="基本", fen_per_point=10000,
                         exclude_category_codes="TOBACCO"), stores=[], card_types=[])  # fmt: skip
    rules.save_earn_rule(actor=actor, rule=EarnRule(name="生鲜", priority=5, fen_per_point=5000,
                         category_codes="FRESH"), stores=[], card_types=[])  # fmt: skip
    rules.save_points_day(actor=actor, day=PointsDay(name="会员日", starts_on=today,
                          ends_on=today), stores=[])  # fmt: skip
    cart = [PurchaseLine("P1", 19999, ("FOOD", "FRESH")), PurchaseLine("P2", 5000, ("FOOD",)),
            PurchaseLine("P3", 3000, ("TOBACCO",))]  # fmt: skip
    start = time.perf_counter()
    for member in people:
        points_for_purchase(member, cart, store, now)
    quotes = time.perf_counter() - start

    print(machine())
    print(f"{members} members × {lots} lots, {due} lapsed lots, SQLite")
    print(f"baseline: bulk_create {due} ledger rows   {baseline:7.2f} s   1.00×")
    print(f"expiry job: expire_due_points          {job:7.2f} s   {job / baseline:5.2f}×"
          f"   {due / job:8.0f} lots/s")  # fmt: skip
    print(f"quotes: points_for_purchase ×{members}    {quotes:7.2f} s   {quotes / baseline:5.2f}×"
          f"   {members / quotes:8.0f} quotes/s")  # fmt: skip


if __name__ == "__main__":
    main()
