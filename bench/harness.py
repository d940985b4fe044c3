"""Shared pieces of the benchmarks: a throwaway gunicorn server and a real HTTP load client.

Every benchmark prints its figures as a ratio against a baseline measured in the same run, next to
the absolute numbers and the machine they ran on (DESIGN §7).
"""

import contextlib
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import urllib3

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def line(self, baseline: "Result | None" = None) -> str:
        median = statistics.median(self.latencies_ms)
        p95 = statistics.quantiles(self.latencies_ms, n=20)[-1]
        ratio = f"{baseline.per_second / self.per_second:5.2f}×" if baseline else "  1.00×"
        return (
            f"{self.name:<34} {self.per_second:8.0f} req/s  median {median:6.2f} ms"
            f"  p95 {p95:6.2f} ms  time vs baseline {ratio}"
        )


def machine() -> str:
    cores = f"{os.cpu_count()} cores"
    return (
        f"{platform.node()} · {platform.machine()} · {cores} · Python {platform.python_version()}"
    )


def manage(*args: str, env: dict) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


@contextlib.contextmanager
def server(workers: int = 2):
    """gunicorn on a free port with a fresh SQLite database (or BENCH_DATABASE_URL's server).

    Yields (base URL, environment) so the benchmark can prepare data with manage.py.
    """
    with tempfile.TemporaryDirectory(prefix="huiyuan-bench-") as var_dir:
        # Never the DATABASE_URL of a real installation: only BENCH_DATABASE_URL, if set.
        env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
        if os.environ.get("BENCH_DATABASE_URL"):
            env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
        env |= {
            "HUIYUAN_VAR_DIR": var_dir,
            "DJANGO_SETTINGS_MODULE": "huiyuan.settings",
            "HUIYUAN_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        }
        Path(var_dir, "static").mkdir()  # WhiteNoise looks there; the API needs no static files
        manage("migrate", "--noinput", "-v", "0", env=env)
        port = _free_port()
        process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "huiyuan.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base + "/api/v1/health")
            yield base, env
        finally:
            process.terminate()
            process.wait(10)


def measure(name: str, send, *, requests: int, concurrency: int) -> Result:
    """Run `send(pool)` `requests` times from `concurrency` threads; each call is one request."""
    pool = urllib3.PoolManager(maxsize=concurrency)
    for _ in range(20):  # warm up: imports, connections, caches
        send(pool)

    def timed(_):
        start = time.perf_counter()
        send(pool)
        return (time.perf_counter() - start) * 1000

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as executor:
        latencies = list(executor.map(timed, range(requests)))
    return Result(name, requests, time.perf_counter() - start, latencies)


def expect(response, status: int) -> None:
    if response.status != status:
        raise RuntimeError(f"expected {status}, got {response.status}: {response.data[:200]!r}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(urllib3.exceptions.HTTPError):
            if urllib3.request("GET", url, retries=False).status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"server did not answer {url}")
