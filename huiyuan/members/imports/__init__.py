"""Bringing a chain's existing members in from Excel or CSV (issue 4, item 9).

The file
    The first row names the columns (any order; `COLUMNS`): 姓名 and 手机号 are required, the
    others optional. A header this module doesn't know, a missing required column, a file that is
    not xlsx/csv or more than `MAX_ROWS` rows stop the whole file with one Chinese message before
    anything is written. CSV is read as UTF-8 (with or without BOM), else GB18030 (what Excel on a
    Chinese Windows writes).

The rows
    Every row is checked with the registration rules (`validation.normalize_phone`,
    `validation.normalize_id_number`, the birthday and length checks of `services`) plus what only
    a file can get wrong: a phone or ID number that appears twice in the file (the first
    occurrence is imported, later ones are reported "文件内重复（同第 N 行）") and one that an
    active member already holds ("已是会员"). A bad row never stops the good ones.

Two passes, one pipeline
    `check_file` (the preview) and `import_file` (the commit) run the same streaming pipeline:
    read → check → (commit only) insert, `BATCH_SIZE` rows at a time, so memory stays flat for
    100,000 rows. The commit checks every row again, so a member registered at the counter between
    preview and commit is reported, not duplicated.

Each batch is one transaction: its members, their cards (numbers reserved in one step by
`cards.numbers.new_card_numbers(card_type, count)`) and their `issue` CardEvents are inserted with
`fast_insert` (PostgreSQL COPY / SQLite executemany: `bulk_create`'s per-object work would cost
more than everything else together), plus ONE audit event `member.import` naming the job, the
batch's row count and member-number range (not one per member: 100,000 audit rows would say
nothing more). A batch that fails leaves the batches before it imported; uploading the same file
again skips those members as "已是会员". Imported cards are e-cards (or the type's first medium)
and carry no card fee. ID numbers are encrypted and hashed exactly as `Member.set_id_number` does.

Speed: a file over `PARALLEL_FROM_BYTES` is read and checked in a forked process while this one
inserts (bench/import_members.py: 100,000 rows end to end). The row checks call the same
validation functions as `services.register_member` but not its `Member.full_clean()` (about
100 µs a row); the few checks it adds (name, birthday, e-mail, lengths) are repeated here.

The pages (import_views.py)
    Upload → `start_job` checks the header at once (a bad file: a message, nothing kept) →
    Huey task `check_job` → the preview lists every bad row with its reasons → 导入 → Huey task
    `run_job`; while a task runs the page polls a progress bar (htmx). The uploaded file holds ID
    numbers in clear, so it is deleted as soon as the job is imported, abandoned or failed.
"""

from huiyuan.members.imports.files import (
    BATCH_SIZE,
    COLUMNS,
    MAX_ROWS,
    FileError,
    read_rows,
)
from huiyuan.members.imports.jobs import (
    check_job,
    commit_job,
    discard_file,
    run_job,
    start_job,
)
from huiyuan.members.imports.pipeline import check_file, import_file, import_rows
from huiyuan.members.imports.template import template_workbook

__all__ = [
    "BATCH_SIZE",
    "COLUMNS",
    "MAX_ROWS",
    "FileError",
    "check_file",
    "check_job",
    "commit_job",
    "discard_file",
    "import_file",
    "import_rows",
    "read_rows",
    "run_job",
    "start_job",
    "template_workbook",
]
