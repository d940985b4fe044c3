"""Importing 100,000 members from xlsx, end to end (parse, check, encrypt, insert).

    .venv/bin/python bench/import_members.py [--rows 100000]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/import_members.py

One xlsx of generated members (members/demo.py `people()`: unique phones, 80 % with a resident
ID, every one with an STD card) is written first. Then, on a throwaway SQLite database and, with
BENCH_DATABASE_URL, on a throwaway database created on that PostgreSQL server (never
DATABASE_URL's), each scenario runs in a fresh process on a freshly migrated database, so its peak
RSS (resource.getrusage) is its own:
- baseline: `bulk_create` of the same number of minimal member rows (batches of 2,000), the
  Django insert path with no file, no checks, no cards;
- parse only: openpyxl read-only, every row read;
- check file: the import's preview (parse + every row's checks, duplicates in file and against
  the database), nothing written;
- import: `imports.import_file` — parse, check, encrypt the ID numbers, insert members, cards and
  card events in batches with one audit event per batch.
The ratio is each scenario's time over the baseline's on the same database.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, machine

SCENARIOS = ("baseline", "parse", "check", "import")
LABELS = {
    "baseline": "baseline: bulk_create minimal rows",
    "parse": "parse xlsx only",
    "check": "check file (parse + checks)",
    "import": "import end to end",
}


def write_file(path: Path, rows: int) -> None:
    """The generated file, laid out as Excel saves it (see `write_excel_like`)."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.update(base_env(str(path.parent)))
    os.environ.pop("DATABASE_URL", None)
    django.setup()  # a throwaway VAR_DIR, no database touched

    from huiyuan.members.demo import people
    from huiyuan.members.imports import COLUMNS

    keys = [key for key, _required, _help in COLUMNS.values()]
    data = ([person[key] for key in keys] for person in people(rows, seed=100))
    write_excel_like(path, list(COLUMNS), data)


def write_excel_like(path: Path, header: list[str], rows) -> None:
    """An xlsx as Excel (and WPS) write it: text in a shared-strings table, dates as serial
    numbers with a date style, the sheet's dimension recorded. (openpyxl writes inline strings
    instead, which it reads back about three times slower than any file Excel produces, so a
    file written by openpyxl would measure the wrong thing.)"""
    import datetime
    import zipfile
    from xml.sax.saxutils import escape

    strings: dict[str, int] = {}
    epoch = datetime.date(1899, 12, 30)

    def cell(ref: str, value) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, datetime.date):
            return f'<c r="{ref}" s="1"><v>{(value - epoch).days}</v></c>'
        index = strings.setdefault(str(value), len(strings))
        return f'<c r="{ref}" t="s"><v>{index}</v></c>'

    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    body = []
    count = 0
    for number, values in enumerate([header, *rows], start=1):
        cells = "".join(cell(f"{letters[i]}{number}", v) for i, v in enumerate(values))
        body.append(f'<row r="{number}">{cells}</row>')
        count = number
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    office = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    shared = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{office}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{office}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{office}.sharedStrings+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{office}.styles+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{rel}/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="会员" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": (
            f'<styleSheet xmlns="{main}"><fonts count="1"><font><sz val="11"/></font></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
            "</cellXfs></styleSheet>"
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{main}" uniqueCount="{len(strings)}">{shared}</sst>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><dimension ref="A1:{letters[len(header) - 1]}{count}"/>'
            f"<sheetData>{''.join(body)}</sheetData></worksheet>"
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml)


# --- One scenario, in its own process -----------------------------------------------------------


def child(scenario: str, path: str, rows: int) -> dict:
    import resource

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)

    from huiyuan.core.actors import Actor
    from huiyuan.core.models import Store
    from huiyuan.members import imports
    from huiyuan.members.models import Member
    from huiyuan.members.services import new_member_numbers

    store = Store.objects.create(code="BENCH", name="压测门店")
    start = time.perf_counter()
    if scenario == "baseline":
        numbers = new_member_numbers(rows)
        Member.objects.bulk_create(
            (
                Member(
                    member_no=number,
                    name="张三",
                    name_pinyin="zhangsan",
                    name_initials="zs",
                    phone=f"138{n:08d}",
                    channel=Member.Channel.IMPORT,
                    store=store,
                )
                for n, number in enumerate(numbers)
            ),
            batch_size=imports.BATCH_SIZE,
        )
        created = Member.objects.count()
    elif scenario == "parse":
        _keys, data = imports.read_rows(path)
        created = sum(1 for _row in data)
    elif scenario == "check":
        report = imports.check_file(path)
        created = report.good
    else:
        report = imports.import_file(path, actor=Actor(store=store), store=store)
        created = report.created
        assert not report.errors, report.errors[:5]
    seconds = time.perf_counter() - start
    # This process, or the forked reader of a large file if it grew larger (Linux: kB).
    peak_kb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    return {"seconds": seconds, "rows": created, "peak_mb": peak_kb / 1024}


def run_child(scenario: str, path: Path, rows: int, env: dict) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", scenario, "--file", str(path), "--rows", str(rows)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"{scenario} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- Databases ------------------------------------------------------------------------------------


def base_env(var_dir: str) -> dict:
    # Never the DATABASE_URL of a real installation.
    env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    return env | {
        "HUIYUAN_VAR_DIR": var_dir,
        "DJANGO_SETTINGS_MODULE": "huiyuan.settings",
        "HUIYUAN_DEBUG": "0",
        "PYTHONPATH": str(ROOT),
    }


def sqlite_run(scenario, path, rows) -> dict:
    with tempfile.TemporaryDirectory(prefix="huiyuan-bench-") as var_dir:
        return run_child(scenario, path, rows, base_env(var_dir))


def postgres_run(scenario, path, rows, server_url: str) -> dict:
    import psycopg

    name = f"huiyuan_bench_{os.getpid()}_{scenario}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        parts = urlsplit(server_url)
        url = urlunsplit(parts._replace(path=f"/{name}"))
        with tempfile.TemporaryDirectory(prefix="huiyuan-bench-") as var_dir:
            return run_child(scenario, path, rows, base_env(var_dir) | {"DATABASE_URL": url})
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--child", choices=SCENARIOS)
    parser.add_argument("--file")
    parser.add_argument("--write", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--skip-sqlite", action="store_true", help="PostgreSQL only")
    options = parser.parse_args()
    if options.write:
        write_file(Path(options.file), options.rows)
        return
    if options.child:
        print(json.dumps(child(options.child, options.file, options.rows)))
        return

    backends = [] if options.skip_sqlite else [("SQLite", sqlite_run)]
    server = os.environ.get("BENCH_DATABASE_URL")
    if server:
        backends.append(("PostgreSQL", lambda s, p, r: postgres_run(s, p, r, server)))
    with tempfile.TemporaryDirectory(prefix="huiyuan-bench-file-") as folder:
        path = Path(folder) / "members.xlsx"
        start = time.perf_counter()
        # In its own process: a child's ru_maxrss starts from its parent's peak at fork, so the
        # parent stays small.
        subprocess.run(
            [sys.executable, __file__, "--write", "--file", str(path), "--rows", str(options.rows)],
            check=True,
        )
        size = path.stat().st_size / 1024 / 1024
        print(
            f"Member import · {machine()} · {options.rows:,} rows"
            f" (xlsx {size:.1f} MB, written in {time.perf_counter() - start:.1f} s)"
        )
        if not server:
            print("(PostgreSQL skipped: set BENCH_DATABASE_URL to a server the bench may use)")
        for backend, run in backends:
            results = {scenario: run(scenario, path, options.rows) for scenario in SCENARIOS}
            base = results["baseline"]["seconds"]
            for scenario, result in results.items():
                print(
                    f"{backend:<10} {LABELS[scenario]:<36} {result['seconds']:7.2f} s"
                    f"  {options.rows / result['seconds']:8.0f} rows/s"
                    f"  peak RSS {result['peak_mb']:6.0f} MB"
                    f"  time vs baseline {result['seconds'] / base:5.2f}×"
                )


if __name__ == "__main__":
    main()
