"""What the API's conventions cost per request at the till.

    .venv/bin/python bench/api_overhead.py [--requests 2000] [--concurrency 4] [--rounds 3]

Against gunicorn (2 workers) on a fresh database, with a real HTTP client:
- baseline: GET /api/v1/health   — ninja routing and JSON, one `SELECT 1`, no key;
- GET /api/v1/terminal           — plus API-key authentication (one indexed lookup by hash);
- GET /api/v1/stores             — plus a paginated query and its count.
The ratio is each one's time per request over the baseline's.
"""

import argparse

from harness import expect, machine, manage, measure, server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()

    with server() as (base, env):
        manage("demo_data", env=env)
        key = manage("create_api_key", "--store", "SH01", "--name", "bench", env=env).strip()
        auth = {"Authorization": f"Bearer {key}"}

        def get(path, headers=None):
            def send(pool):
                expect(pool.request("GET", base + path, headers=headers), 200)

            return send

        runs = [
            ("baseline: GET /health (no key)", get("/api/v1/health")),
            ("GET /terminal (API key)", get("/api/v1/terminal", auth)),
            ("GET /stores?limit=50 (key + list)", get("/api/v1/stores?limit=50", auth)),
        ]
        sizes = {"requests": options.requests, "concurrency": options.concurrency}
        # Rounds interleave the scenarios so that machine noise hits them alike; best round kept.
        rounds = [
            [measure(name, send, **sizes) for name, send in runs] for _ in range(options.rounds)
        ]
        results = [max(column, key=lambda r: r.per_second) for column in zip(*rounds, strict=True)]

    print(
        f"API overhead · {machine()} · {options.requests} requests × {options.concurrency} threads,"
        f" best of {options.rounds} rounds"
    )
    for result in results:
        print(result.line(results[0]))


if __name__ == "__main__":
    main()
