"""Quote latency: a 30-line cart with 20 active promotions, against the same cart without them.

    .venv/bin/python bench/quote.py [--quotes 400]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch db> \\
        .venv/bin/python bench/quote.py

On a throwaway SQLite database (a temporary HUIYUAN_VAR_DIR), or on the database BENCH_DATABASE_URL
names (migrated and filled once: use a scratch one; never DATABASE_URL's). The catalogue is 300
products in a three-level category tree; the member has a card and a tier; the cart is 30 lines
(25 by product code, 5 scanned by barcode) for one member at a Tuesday noon. The 20 promotions
are of every kind with realistic scopes (categories, product lists, whole order): percent off,
会员惊爆价, 满减 ladders and 每满, buy N get M, 满68送5 ladders, 加1元换购, gifts with purchase,
double points; all are held and on schedule at that time.

Measured, in one process (no HTTP), alternating blocks so that a busy neighbour hurts both alike:
- baseline: `sales.quote.quote` of the cart with every promotion stopped (the same member,
  lines, points and database work, only no promotions);
- the same quote with the 20 promotions running;
- both again through `POST /api/v1/checkout/quote` with Django's test client (key auth, parsing,
  the answer's JSON: the time at the server).
Printed: p50 / p99 per quote with their ratios to the baseline's, and the queries per quote;
all of it twice: with Python's default garbage collector, then after `gc.freeze()` (as a server
would do once the app is loaded: the full collections that otherwise scan every object of the
loaded app cost 100–200 ms each and make most of the default p99). The pure engine
(`price_cart`) on the same values is printed too, to show where the time goes.
"""

import argparse
import datetime
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, machine

PRODUCTS_PER_LEAF = 25
LINES = 30
BARCODE_LINES = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=400, help="quotes per scenario")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="huiyuan-bench-") as var_dir:
        os.environ.pop("DATABASE_URL", None)
        if os.environ.get("BENCH_DATABASE_URL"):
            os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
        os.environ |= {
            "HUIYUAN_VAR_DIR": var_dir,
            "DJANGO_SETTINGS_MODULE": "huiyuan.settings",
            "HUIYUAN_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        }
        Path(var_dir, "static").mkdir()
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        began = time.perf_counter()
        world = seed()
        ready = time.perf_counter() - began
        print(
            f"Quote · {machine()} · {connection.vendor} · {LINES} lines, "
            f"{len(world['promotions'])} promotions (ready in {ready:.1f} s), "
            f"{args.quotes} quotes per scenario"
        )
        run(world, args.quotes)


def seed() -> dict:
    """The store, catalogue, member, API key and promotions (made once per database)."""
    from huiyuan.api.services import create_api_key
    from huiyuan.catalog.barcodes import with_check_digit
    from huiyuan.catalog.categories import create_category
    from huiyuan.catalog.models import Barcode, Product
    from huiyuan.core.actors import Actor
    from huiyuan.core.models import Store
    from huiyuan.members.models import Member

    system = Actor.system()
    store, created = Store.objects.get_or_create(code="BENCHQ", defaults={"name": "计价压测门店"})
    if created:
        leaves = []
        for top in range(3):
            root = create_category(actor=system, name=f"大类{top}", code=f"Q{top}")
            for middle in range(2):
                code = f"Q{top}{middle}"
                child = create_category(actor=system, name=code, code=code, parent=root)
                leaf = create_category(actor=system, name=f"{code}0", code=f"{code}0", parent=child)
                leaves.append(leaf)
        products = Product.objects.bulk_create(
            Product(
                code=f"Q{i:04d}",
                name=f"计价商品{i}",
                name_pinyin=f"jijiashangpin{i}",
                name_initials="jjsp",
                category=leaves[i % len(leaves)],
                retail_price_fen=300 + (i * 137) % 4700,
                member_price_fen=280 + (i * 137) % 4500 if i % 7 == 0 else None,
                member_discount_applies=i % 11 != 0,
            )
            for i in range(len(leaves) * PRODUCTS_PER_LEAF)
        )
        Barcode.objects.bulk_create(
            Barcode(product=p, code=with_check_digit("69" + p.code[1:].zfill(10))) for p in products
        )
        _member(store, system)
        _promotions(system, store)
        _earn_rule()
    key = create_api_key(actor=system, store=store, name=f"bench {time.time()}")[1]
    from huiyuan.promotions.models import Promotion

    products = list(Product.objects.filter(code__startswith="Q").order_by("code"))
    barcodes = dict(Barcode.objects.filter(product__in=products).values_list("product_id", "code"))
    chosen = products[:: len(products) // LINES][:LINES]
    lines = [
        {"barcode": barcodes[p.pk]}
        if i < BARCODE_LINES
        else {"product_code": p.code, "qty": 1 + i % 4}
        for i, p in enumerate(chosen)
    ]
    return {
        "store": store,
        "key": key,
        "member_no": Member.objects.get(phone="13700137000").member_no,
        "lines": lines,
        "promotions": list(Promotion.objects.filter(name__startswith="压测")),
    }


def _member(store, system):
    from huiyuan.cards.defaults import ensure_standard_card_type
    from huiyuan.cards.models import CardType
    from huiyuan.members.services import register_member
    from huiyuan.tiers.services import create_tier

    create_tier(actor=system, rank=0, name="压测普通", entry_threshold=0, retention_threshold=0,
                discount_permille=1000, points_multiplier_permille=1000, perks=[])  # fmt: skip
    create_tier(actor=system, rank=1, name="压测金卡", entry_threshold=1, retention_threshold=1,
                discount_permille=950, points_multiplier_permille=1500, perks=[])  # fmt: skip
    register_member(
        actor=system, name="计价会员", phone="13700137000", store=store,
        card_type=ensure_standard_card_type(CardType), birthday=datetime.date(1990, 3, 3),
    )  # fmt: skip


def _earn_rule():
    from huiyuan.points.models import EarnRule

    EarnRule.objects.create(name="压测每元1分", fen_per_point=100)


def _promotions(system, store):
    """20 promotions of every kind: scopes by category (any level), product lists, the order."""
    from huiyuan.catalog.models import Category, Product
    from huiyuan.coupons.models import CouponTemplate, Validity
    from huiyuan.promotions.engine_values import Draft
    from huiyuan.promotions.models import MemberDay, Promotion, PromotionRow
    from huiyuan.promotions.services import save_promotion

    kind = Promotion.Kind
    tuesday = MemberDay.objects.create(name="压测周二会员日", weekdays=[2])
    category = {c.code: c for c in Category.objects.filter(code__startswith="Q")}
    product = {p.code: p for p in Product.objects.filter(code__startswith="Q")}
    some = [product[f"Q{i:04d}"] for i in range(0, 150, 5)]
    templates = [
        CouponTemplate.objects.create(
            name=f"压测{face}元券",
            kind="cash",
            face_fen=face * 100,
            validity=Validity.NEXT_MEMBER_DAY,
            member_day=tuesday,
        )  # fmt: skip
        for face in (5, 10, 15, 20, 25, 30)
    ]

    def make(name, promotion_kind, rows=(), products=(), categories=(), **fields):
        draft = Draft(
            Promotion(name=f"压测{name}", kind=promotion_kind, status="active", **fields),
            rows=list(rows), products=list(products), categories=list(categories),
            stores=[store],
        )  # fmt: skip
        save_promotion(actor=system, draft=draft)

    def rows(*items):
        return [PromotionRow(position=i, **item) for i, item in enumerate(items)]

    make("饮料8折", kind.PERCENT, permille=800, categories=[category["Q00"]])
    make("单品9折", kind.PERCENT, permille=900, products=some[:8], priority=2)
    make("会员全场98折", kind.PERCENT, permille=980, members_only=True)
    make("生鲜95折", kind.PERCENT, permille=950, categories=[category["Q100"]], weekdays=[2])
    make("午市9折", kind.PERCENT, permille=900, categories=[category["Q21"]], hours=[11, 12, 13])
    make(
        "会员日惊爆价", kind.SPECIAL_PRICE, member_day=tuesday, members_only=True,
        rows=rows(*({"product": p, "amount_fen": 199} for p in some[:10])),
    )  # fmt: skip
    make(
        "独享惊爆价", kind.SPECIAL_PRICE, exclusive=True,
        rows=rows(*({"product": p, "amount_fen": 99} for p in some[20:25])),
    )  # fmt: skip
    make(
        "满100减10", kind.FULL_REDUCTION,
        rows=rows({"threshold_fen": 10000, "amount_fen": 1000},
                  {"threshold_fen": 20000, "amount_fen": 2500}),
    )  # fmt: skip
    make(
        "每满50减5", kind.FULL_REDUCTION, every=True, cap_fen=3000, categories=[category["Q1"]],
        rows=rows({"threshold_fen": 5000, "amount_fen": 500}),
    )  # fmt: skip
    make("买二送一", kind.BUY_N_GET_M, buy=2, get=1, permille=0, products=some[10:20])
    make("第二件半价", kind.BUY_N_GET_M, buy=1, get=1, permille=500, categories=[category["Q20"]])
    ladder = [(6800, 0), (12800, 1), (19800, 2), (26800, 3), (33800, 4), (39800, 5)]
    make(
        "满68送5", kind.ISSUE_COUPONS, member_day=tuesday,
        rows=rows(*({"threshold_fen": t, "coupon_template": templates[i],
                     "amount_fen": templates[i].face_fen} for t, i in ladder)),
    )  # fmt: skip
    make(
        "饮料满50送5", kind.ISSUE_COUPONS, categories=[category["Q0"]],
        rows=rows({"threshold_fen": 5000, "coupon_template": templates[0], "amount_fen": 500}),
    )  # fmt: skip
    make(
        "加1元换购", kind.ADD_PRICE,
        rows=rows(*({"threshold_fen": t, "product": p, "amount_fen": 100}
                    for t, p in ((1900, some[25]), (2900, some[26]), (3900, some[27])))),
    )  # fmt: skip
    make(
        "加5元换购", kind.ADD_PRICE, categories=[category["Q2"]],
        rows=rows({"threshold_fen": 8800, "product": some[28], "amount_fen": 500}),
    )  # fmt: skip
    make(
        "满200送油", kind.GIFT,
        rows=rows({"threshold_fen": 20000, "product": some[29], "qty": 1},
                  {"threshold_fen": 40000, "product": some[29], "qty": 2}),
    )  # fmt: skip
    make(
        "日化满100送纸", kind.GIFT, categories=[category["Q11"]],
        rows=rows({"threshold_fen": 10000, "product": some[28], "qty": 1}),
    )  # fmt: skip
    make("周二双倍积分", kind.POINTS, points_permille=2000, weekdays=[2])
    make("新会员95折", kind.PERCENT, permille=950, new_member_days=30)
    make("金卡专享97折", kind.PERCENT, permille=970, days_of_month=list(range(1, 32)))


def run(world: dict, quotes: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from huiyuan.promotions.models import Promotion
    from huiyuan.sales.pricing import MemberContext, price_cart
    from huiyuan.sales.quote import LineIn, quote

    at = datetime.datetime(2026, 12, 1, 12, tzinfo=timezone.get_current_timezone())  # a Tuesday
    lines = [
        LineIn(barcode=line.get("barcode", ""), product_code=line.get("product_code", ""),
               qty=Decimal(line["qty"]) if "qty" in line else None)
        for line in world["lines"]
    ]  # fmt: skip
    client = Client(HTTP_AUTHORIZATION=f"Bearer {world['key']}", HTTP_HOST="127.0.0.1")
    body = json.dumps({"member_no": world["member_no"], "lines": world["lines"]})

    def service():
        return quote(store=world["store"], lines=lines, member_no=world["member_no"], at=at)

    def api():
        response = client.post("/api/v1/checkout/quote", body, content_type="application/json")
        assert response.status_code == 200, response.content[:300]

    def switch(on: bool):
        status = Promotion.Status.ACTIVE if on else Promotion.Status.STOPPED
        Promotion.objects.filter(name__startswith="压测").update(status=status)

    queries = {}
    for on in (False, True):
        switch(on)
        result = service()
        promotions = {a.source_id for line in result.cart.lines for a in line.adjustments}
        print(
            f"  promotions {'on ' if on else 'off'}: payable {result.cart.payable_fen} fen, "
            f"{len(promotions - {None})} promotions on lines, "
            f"{len(result.cart.coupons_to_issue)} coupons to issue, {len(result.cart.gifts)} "
            f"gifts, {len(result.cart.add_price_offers)} add-price tiers, "
            f"{result.points.points} points"
        )
        with CaptureQueriesContext(connection) as captured:
            service()
        queries[on] = len(captured)
        for _ in range(20):  # warm up
            service()
            api()
    print(f"  queries per quote: {queries[False]} without promotions, {queries[True]} with")

    def timed() -> dict:
        """(call, promotions on) → latencies, in alternating blocks of 50."""
        timings = {(name, on): [] for name in ("service", "api") for on in (False, True)}
        for _ in range(0, quotes, 50):
            for on in (False, True):
                switch(on)
                for name, call in (("service", service), ("api", api)):
                    for _ in range(50):
                        began = time.perf_counter()
                        call()
                        timings[(name, on)].append((time.perf_counter() - began) * 1000)
        return timings

    report("default garbage collector", timed())
    gc.collect()
    gc.freeze()  # what a server does after loading the app: the collector skips those objects
    report("after gc.freeze()", timed())
    gc.unfreeze()

    from huiyuan.promotions.selectors import active_promotions
    from huiyuan.sales.quote import _cart_lines  # the engine's input, to time the engine alone

    switch(True)
    member = result.member
    engine_in = (
        [cart_line for _p, cart_line, _s in _cart_lines(lines)],
        active_promotions(world["store"], at, member),
    )
    context = MemberContext(result.summary.tier, result.summary.discount_permille, is_member=True)
    engine = []
    for _ in range(quotes):
        began = time.perf_counter()
        price_cart(engine_in[0], context, engine_in[1])
        engine.append((time.perf_counter() - began) * 1000)

    print(
        f"  {'engine alone (price_cart), 20 promotions':<52} {statistics.median(engine):6.2f} ms "
        f"{p99(engine):6.2f} ms"
    )


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def report(title: str, timings: dict) -> None:
    print(f"  {title}:")
    print(f"  {'measurement':<52} {'p50':>9} {'p99':>9}  vs baseline (p50, p99)")
    for name, label in (("service", "quote service"), ("api", "POST /checkout/quote")):
        base = timings[(name, False)]
        for on in (False, True):
            ms = timings[(name, on)]
            what = f"{label}, {'20 promotions' if on else 'no promotions (baseline)'}"
            print(
                f"  {what:<52} {statistics.median(ms):6.2f} ms {p99(ms):6.2f} ms  "
                f"{statistics.median(ms) / statistics.median(base):5.2f}× "
                f"{p99(ms) / p99(base):5.2f}×"
            )


if __name__ == "__main__":
    main()
