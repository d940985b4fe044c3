"""Product lookup by barcode over the API, with 100,000 products, beside a bare indexed SELECT.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch db> \\
        .venv/bin/python bench/product_lookup.py [--products 100000] [--requests 3000]

The database named by BENCH_DATABASE_URL is migrated and filled (use a scratch one; PostgreSQL,
since the baseline goes through psycopg). Against gunicorn (2 workers), a real HTTP client:
- baseline: the same lookup as one bare indexed SELECT through psycopg (barcode → product), the
  query the API can't do with less;
- the same GETs through Django's test client inside one process: the time at the server (full
  middleware, key auth, lookup, stock, JSON), p50/p99, beside GET /terminal (key auth only);
- GET /api/v1/products?barcode= one at a time (p50/p99: the latency a till sees, server time plus
  a loopback HTTP round trip), then from 4 threads (throughput).
Target (issue 6): p99 under 5 ms at the server.
"""

import argparse
import json
import os
import random
import statistics
import time

import psycopg
from harness import Result, expect, machine, manage, measure, server
from stdnum import ean

SEED = """
from huiyuan.catalog.barcodes import with_check_digit
from huiyuan.catalog.models import Barcode, Category, Product
from huiyuan.core.models import Store

Store.objects.get_or_create(code="BENCH", defaults={{"name": "压测门店"}})
if not Product.objects.filter(code="B{n:07d}").exists():
    Product.objects.all().delete()
    category = Category.objects.add_root(create_kwargs={{"name": "压测", "code": "BENCH"}})
    for start in range(0, {n}, 10_000):
        products = Product.objects.bulk_create(
            Product(code=f"B{{i:07d}}", name=f"压测商品{{i}}", name_pinyin=f"yacesp{{i}}",
                    name_initials="ycsp", category=category, retail_price_fen=100 + i % 5000)
            for i in range(start + 1, min(start + 10_000, {n}) + 1)
        )
        Barcode.objects.bulk_create(
            Barcode(product=p, code=with_check_digit("69" + p.code[1:].zfill(10))) for p in products
        )
"""
# The same lookups inside one Django process (test client, full middleware and API stack, no
# HTTP or gunicorn): the time spent at the server. GET /terminal (key auth and nothing else) beside
# it shows the API's floor per request.
IN_PROCESS = """
import json, time
from django.test import Client
client = Client(HTTP_AUTHORIZATION="Bearer {key}", HTTP_HOST="127.0.0.1")
codes = {codes!r}
def timed(path, params):
    began = time.perf_counter()
    assert client.get(path, params).status_code == 200
    return (time.perf_counter() - began) * 1000
for code in codes[:50]:
    timed("/api/v1/products", {{"barcode": code}})
    timed("/api/v1/terminal", {{}})
lookups, floor = [], []
for code in codes:
    lookups.append(timed("/api/v1/products", {{"barcode": code}}))
    floor.append(timed("/api/v1/terminal", {{}}))
print(json.dumps([floor, lookups]))
"""
BARE = (
    "SELECT p.id, p.code, p.name, p.retail_price_fen, p.member_price_fen FROM catalog_product p"
    " JOIN catalog_barcode b ON b.product_id = p.id WHERE b.code = %s"
)


def barcode(i: int) -> str:
    digits = f"69{i:010d}"
    return digits + ean.calc_check_digit(digits)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def summary(result: Result, baseline: Result | None = None) -> str:
    ms = result.latencies_ms
    ratio = f"{baseline.per_second / result.per_second:5.2f}×" if baseline else "1.00×"
    return (
        f"{result.name:<44} {result.per_second:7.0f} req/s  p50 {statistics.median(ms):6.2f} ms"
        f"  p99 {percentile(ms, 0.99):6.2f} ms  time vs baseline {ratio}"
    )


def bare_select(url: str, codes: list[str]) -> Result:
    with psycopg.connect(url) as connection:
        for code in codes[:50]:  # warm up: plan cache, buffers
            connection.execute(BARE, (code,), prepare=True).fetchone()
        latencies = []
        start = time.perf_counter()
        for code in codes:
            began = time.perf_counter()
            row = connection.execute(BARE, (code,), prepare=True).fetchone()
            latencies.append((time.perf_counter() - began) * 1000)
            assert row is not None
        return Result(
            "baseline: bare SELECT (psycopg)", len(codes), time.perf_counter() - start, latencies
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=3000)
    options = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("set BENCH_DATABASE_URL to a scratch PostgreSQL database")

    rng = random.Random(6)
    codes = [barcode(rng.randint(1, options.products)) for _ in range(options.requests)]
    with server() as (base, env):
        ready = time.perf_counter()
        manage("shell", "-c", SEED.format(n=options.products), env=env)
        ready = time.perf_counter() - ready
        key = manage("create_api_key", "--store", "BENCH", "--name", "bench", env=env).strip()
        auth = {"Authorization": f"Bearer {key}"}
        queue = iter(codes * 3)

        def lookup(pool):
            response = pool.request(
                "GET", f"{base}/api/v1/products?barcode={next(queue)}", headers=auth
            )
            expect(response, 200)

        baseline = bare_select(url, codes)
        output = manage("shell", "-c", IN_PROCESS.format(key=key, codes=codes), env=env)
        floor, at_server = (
            Result(name, len(codes), sum(ms) / 1000, ms)
            for name, ms in zip(
                (
                    "at the server: GET /terminal (key only)",
                    "at the server: GET /products?barcode=",
                ),
                json.loads(output.strip().splitlines()[-1]),
                strict=True,
            )
        )
        single = measure(
            "GET /products?barcode= (1 at a time)",
            lookup,
            requests=options.requests - 40,
            concurrency=1,
        )
        parallel = measure(
            "GET /products?barcode= (4 threads)",
            lookup,
            requests=options.requests - 40,
            concurrency=4,
        )

    print(
        f"Product lookup · {machine()} · {options.products:,} products (ready in {ready:.1f} s),"
        f" {options.requests} random barcodes"
    )
    for result in (baseline, floor, at_server, single, parallel):
        print(summary(result, baseline))


if __name__ == "__main__":
    main()
