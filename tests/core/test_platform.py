"""Settings, secrets, demo data and jobs: the platform pieces that every feature relies on."""

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.backends.sqlite3.base import DatabaseWrapper
from huey.contrib.djhuey import HUEY

from huiyuan import local_secrets
from huiyuan.core.models import AuditEvent, Store
from huiyuan.coupons.models import Coupon
from huiyuan.gifts.models import GiftRedemption
from huiyuan.inventory.models import StockMove
from huiyuan.points.models import PointsEntry
from huiyuan.promotions.models import Promotion
from huiyuan.sales.models import Order, SalesReturn
from huiyuan.staff.models import Operator
from huiyuan.tiers.models import TierChange
from huiyuan.wallet.models import StoredValueEntry

ROOT = Path(__file__).resolve().parents[2]


def test_secrets_are_generated_once_and_shared_by_concurrent_starts(tmp_path, monkeypatch):
    for name in local_secrets.NAMES:
        monkeypatch.delenv(f"HUIYUAN_{name}", raising=False)
    path = tmp_path / "var" / "secrets.json"
    with ThreadPoolExecutor(8) as pool:
        loaded = list(pool.map(lambda _: local_secrets.load(path), range(16)))
    assert all(result == loaded[0] for result in loaded)
    assert set(loaded[0]) == set(local_secrets.NAMES)
    assert json.loads(path.read_text()) == loaded[0]
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert list(path.parent.iterdir()) == [path]  # no temporary files left behind


def test_environment_secrets_win_over_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("HUIYUAN_SECRET_KEY", "from-the-environment")
    assert local_secrets.load(tmp_path / "s.json")["SECRET_KEY"] == "from-the-environment"


def test_secrets_are_git_ignored():
    ignored = subprocess.run(
        ["git", "check-ignore", "var/secrets.json"], cwd=ROOT, capture_output=True, text=True
    )
    assert ignored.returncode == 0


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path, django_db_blocker):
    options = {**settings.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3"}
    options["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert settings.DATABASES["default"]["OPTIONS"] == options["OPTIONS"]
    wrapper = DatabaseWrapper({**options, "NAME": str(tmp_path / "wal.sqlite3")}, alias="wal")
    with django_db_blocker.unblock(), wrapper.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
    wrapper.close()


def test_chinese_first_and_shanghai_time():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ


@pytest.mark.parametrize(
    ("environment", "huey_class"),
    [({}, "SqliteHuey"), ({"HUEY_REDIS_URL": "redis://127.0.0.1:6379/5"}, "RedisHuey")],
)
def test_huey_storage_follows_the_environment(environment, huey_class):
    env = {k: v for k, v in os.environ.items() if k != "HUEY_REDIS_URL"}
    env |= {"DJANGO_SETTINGS_MODULE": "huiyuan.settings", **environment}
    probe = (
        "import django; django.setup(); "
        "from huey.contrib.djhuey import HUEY; print(type(HUEY).__name__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == huey_class


def test_periodic_jobs_are_declared_in_tasks_py():
    import huiyuan.tasks  # noqa: F401  (the consumer autodiscovers it the same way)

    periodic = {f"{type(t).__module__}.{type(t).__name__}" for t in HUEY._registry.periodic_tasks}
    assert "huiyuan.tasks.purge_idempotency_records" in periodic


@pytest.mark.django_db
def test_demo_data_is_idempotent_adds_up_and_has_an_operator_per_role_per_store(roles):
    call_command("demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    tables = (Store, Operator, AuditEvent, PointsEntry, StoredValueEntry, TierChange, StockMove)
    tables += (Promotion, Coupon, GiftRedemption, Order, SalesReturn)
    counts = [table.objects.count() for table in tables]
    call_command("demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert [table.objects.count() for table in tables] == counts
    assert min(counts[3:]) > 0  # a history in every ledger
    assert Store.objects.count() == 3
    for store in Store.objects.all():
        for code in ("store_manager", "cashier", "member_service", "marketing", "finance"):
            assert store.operators.filter(groups=roles[code]).exists(), (store, code)
    assert Operator.objects.get(username="admin").check_password("admin12345")
    call_command("verify_ledgers", stdout=open(os.devnull, "w"))  # noqa: SIM115  (raises if off)
