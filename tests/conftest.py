import itertools

import pytest
from django.apps import apps as django_apps
from django.db import connection

from huiyuan.api.services import create_api_key
from huiyuan.core.actors import Actor
from huiyuan.staff import services as staff_services
from huiyuan.staff.models import Role
from huiyuan.staff.roles import sync_builtin_roles
from tests.factories import TEST_PASSWORD, StoreFactory


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests (row locks, real concurrency) are skipped on SQLite."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://…")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def roles(db):
    """The built-in roles by code. Made by a data migration; transactional tests flush them,
    so they are re-synced here (it only adds what is missing)."""
    if not Role.objects.filter(code__isnull=False).exists():
        sync_builtin_roles(django_apps)
    return {role.code: role for role in Role.objects.exclude(code=None)}


@pytest.fixture
def store(db):
    return StoreFactory(code="SH01", name="南京路旗舰店")


@pytest.fixture
def other_store(db):
    return StoreFactory(code="HZ01", name="杭州湖滨店")


@pytest.fixture
def make_operator(roles, store):
    """make_operator("cashier", stores=[…]) → an operator with that role and TEST_PASSWORD."""

    serial = itertools.count(1)

    def make(role_code="admin", *, username=None, stores=None):
        return staff_services.create_operator(
            actor=Actor.system(),
            username=username or f"{role_code}_{next(serial)}",
            password=TEST_PASSWORD,
            full_name=roles[role_code].name,
            stores=stores or [store],
            roles=[roles[role_code]],
        )

    return make


@pytest.fixture
def admin(make_operator):
    return make_operator("admin", username="admin")


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def api_key_pair(store):
    """(ApiKey, raw key) for a terminal of `store`."""
    return create_api_key(actor=Actor.system(), store=store, name="1号收银机")


@pytest.fixture
def api(client, api_key_pair):
    """A test client that sends the terminal's key: api.get("/api/v1/…")."""
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {api_key_pair[1]}"
    return client


# Valid resident ID numbers (GB 11643 checksums) for tests.
RESIDENT_IDS = ("11010519491231002X", "110101199003074477", "440308199901010012")


@pytest.fixture
def card_type(db):
    """The standard card type (made by a migration; re-made after a transactional flush)."""
    from huiyuan.cards.defaults import ensure_standard_card_type
    from huiyuan.cards.models import CardType

    return ensure_standard_card_type(CardType)


@pytest.fixture
def register(store, card_type):
    """register(name="张三", phone="13800138000", **more) → a member with a card, by the system."""
    from huiyuan.members.services import register_member

    def make(name="张三", phone="13800138000", actor=None, **more):
        more.setdefault("card_type", card_type)
        return register_member(
            actor=actor or Actor.system(), name=name, phone=phone, store=store, **more
        )

    return make


@pytest.fixture
def private_media(settings, tmp_path):
    """Member photos (and other private files) go to a temporary folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def travel(time_machine):
    """travel(2026, 1, 15) → it is noon of that day in Shanghai from now on."""
    import datetime

    from django.utils import timezone

    def go(year, month, day, hour=12):
        moment = datetime.datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())
        time_machine.move_to(moment, tick=False)
        return moment

    return go


@pytest.fixture
def gold_card_type(db):
    """A card type with a registration threshold: ¥200 of same-day receipts (办卡门槛)."""
    from huiyuan.cards.models import CardType

    return CardType.objects.create(
        code="GOLD",
        name="金卡",
        number_prefix="8801",
        media=["e_card", "ic"],
        registration_threshold_fen=20000,
    )


@pytest.fixture
def stored_value_card_type(db):
    """A card type that carries stored value and count cards (wallet)."""
    from huiyuan.cards.models import CardType

    return CardType.objects.get_or_create(
        code="SV",
        defaults={
            "name": "储值卡",
            "has_stored_value": True,
            "has_count_cards": True,
            "number_prefix": "6600",
            "media": ["e_card", "ic"],
        },
    )[0]


@pytest.fixture
def bonus_rules(db):
    """The seeds' top-up bonuses 充500送50 and 充1000送150 (wallet)."""
    from huiyuan.wallet.models import TopUpBonusRule

    return [
        TopUpBonusRule.objects.create(name="充500送50", threshold_fen=50_000, bonus_fen=5_000),
        TopUpBonusRule.objects.create(name="充1000送150", threshold_fen=100_000, bonus_fen=15_000),
    ]


@pytest.fixture
def car_wash(db):
    """A count-card package: 洗车10次卡, ¥300, 12 months (wallet)."""
    from huiyuan.wallet.models import CountCardPackage

    return CountCardPackage.objects.create(
        code="WASH10", name="洗车10次卡", covers=["SVC-WASH"], uses=10, price_fen=30_000,
        validity_months=12,
    )  # fmt: skip


# The demo ladder in small numbers: rank, name, entry, retention, discount ‰, multiplier ‰.
TIER_LADDER = [
    (0, "普通", 0, 0, 1000, 1000),
    (1, "银卡", 300, 200, 950, 1200),
    (2, "金卡", 1000, 800, 900, 1500),
    (3, "钻石", 3000, 2500, 880, 2000),
]


@pytest.fixture
def tiers(db):
    """name → Tier for a four-level ladder (created through the service), perks "<name>权益"."""
    from huiyuan.tiers.services import create_tier

    return {
        name: create_tier(
            actor=Actor.system(),
            rank=rank,
            name=name,
            entry_threshold=entry,
            retention_threshold=retention,
            discount_permille=discount,
            points_multiplier_permille=multiplier,
            perks=[f"{name}权益"],
        )
        for rank, name, entry, retention, discount, multiplier in TIER_LADDER
    }


@pytest.fixture
def earn(db):
    """earn(member, points) through the points service, as a purchase would."""
    from huiyuan.points.services import earn_points

    def go(member, points, **more):
        return earn_points(actor=Actor.system(), member=member, points=points, **more)

    return go


@pytest.fixture(autouse=True, scope="session")
def _flush_past_append_only_triggers():
    """Transactional tests (the browser's live server) end with `flush`, which on SQLite DELETEs
    every row, and the ledgers' append-only triggers (core.ledgers) refuse that. The flush drops
    them and re-creates them around its DELETEs. (PostgreSQL's flush is a TRUNCATE, which row
    triggers don't see.)"""
    from unittest.mock import patch

    # Through base: importing sqlite3.operations first is a circular import (on PostgreSQL runs).
    from django.db.backends.sqlite3.base import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'trigger' AND sql LIKE '%append-only%'"
            )
            triggers = cursor.fetchall()
        drops = [f'DROP TRIGGER "{name}"' for name, _ in triggers]
        return [*drops, *statements, *(sql for _, sql in triggers)]

    with patch.object(DatabaseOperations, "sql_flush", sql_flush):
        yield


# Catalog (issue 6) ---------------------------------------------------------------------------


@pytest.fixture
def tree(db):
    """母婴 (defines 产地 required, 颜色 choice) > 童装 (defines 尺码 number, cm)."""
    from huiyuan.catalog import categories

    system = Actor.system()
    baby = categories.create_category(actor=system, name="母婴", code="05")
    clothes = categories.create_category(actor=system, name="童装", code="0501", parent=baby)
    add = categories.add_attribute
    return {
        "baby": baby,
        "clothes": clothes,
        "origin": add(actor=system, category=baby, name="产地", required=True),
        "colour": add(
            actor=system, category=baby, name="颜色", kind="choice", choices=["红", "蓝"]
        ),
        "size": add(actor=system, category=clothes, name="尺码", kind="number", unit="cm"),
    }


@pytest.fixture
def fresh(db):
    """The 生鲜 category (code 01)."""
    from huiyuan.catalog import categories

    return categories.create_category(actor=Actor.system(), name="生鲜", code="01")


@pytest.fixture
def make_product(fresh):
    """make_product(code="P001", …) → a product (in 生鲜 at ¥12.80 unless told)."""
    from huiyuan.catalog import services

    def make(code="P001", name="红富士苹果", category=None, barcode_codes=(), **fields):
        fields.setdefault("retail_price_fen", 1280)
        return services.create_product(
            actor=Actor.system(),
            code=code,
            name=name,
            category=category or fresh,
            barcode_codes=barcode_codes,
            **fields,
        )

    return make
