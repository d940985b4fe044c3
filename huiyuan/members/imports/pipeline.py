"""The pipeline: read → check → (commit only) insert, batch by batch."""

import multiprocessing
from collections.abc import Callable, Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from huiyuan.core.actors import Actor
from huiyuan.members.imports import files
from huiyuan.members.imports.checks import GoodRow, Report, RowChecker, _add_error, _refuse_existing
from huiyuan.members.imports.files import FileError, _check_size, _text, read_rows
from huiyuan.members.imports.inserts import _insert
from huiyuan.members.models import ImportJob

# --- The pipeline ------------------------------------------------------------------------------


def check_file(path, file_name: str = "", progress: Callable | None = None) -> Report:
    """The preview: every row checked, nothing written."""
    return _run(_checked_file(path, file_name, RowChecker()), commit=None, progress=progress)


def import_file(path, *, actor: Actor, store, file_name: str = "", **options) -> Report:
    """Read, check every row again and insert the good ones, batch by batch."""
    items = _checked_file(path, file_name, RowChecker())
    return _commit(items, actor=actor, store=store, file_name=file_name, **options)


def import_rows(keys: list[str], rows, *, actor: Actor, store, **options) -> Report:
    """The same for rows already read: (row number, values in `keys` order) pairs."""
    items = _checked(keys, rows, RowChecker())
    return _commit(items, actor=actor, store=store, **options)


def _commit(
    items,
    *,
    actor: Actor,
    store,
    file_name: str = "",
    job: ImportJob | None = None,
    progress: Callable | None = None,
    batch_size: int = files.BATCH_SIZE,
) -> Report:
    def commit(good: list[GoodRow], report: Report) -> None:
        report.created += _insert(good, actor=actor, store=store, job=job, file_name=file_name)

    return _run(items, commit=commit, progress=progress, batch_size=batch_size)


def _checked(keys: list[str], rows, checker: "RowChecker") -> Iterator[tuple]:
    """Each row checked: ("good", GoodRow, ID hash) or ("bad", row number, name, reasons)."""
    name_at = keys.index("name")
    for total, (number, values) in enumerate(rows, start=1):
        _check_size(total)
        good, reasons, id_hash = checker.check(number, dict(zip(keys, values, strict=False)))
        if good is None:
            yield ("bad", number, _text(values[name_at]) if len(values) > name_at else "", reasons)
        else:
            yield ("good", good, id_hash)


def _checked_file(path, file_name: str, checker: "RowChecker") -> Iterator[tuple]:
    """`_checked` for a file. A large file is read and checked in a second process while this
    one inserts, so the two halves of the work overlap (reading xlsx is a third of the time)."""
    if Path(path).stat().st_size >= files.PARALLEL_FROM_BYTES and _can_fork():
        return _checked_in_background(path, file_name, checker)
    keys, rows = read_rows(path, file_name)
    return _checked(keys, rows, checker)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _checked_in_background(path, file_name: str, checker: "RowChecker") -> Iterator[tuple]:
    # Forked after the checker has loaded the card types: the child never touches the database
    # (it inherits the connection but doesn't use it, and leaves through os._exit).
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def work():
        try:
            keys, rows = read_rows(path, file_name)
            chunk = []
            for item in _checked(keys, rows, checker):
                chunk.append(item)
                if len(chunk) >= files.BATCH_SIZE:
                    send.send(chunk)
                    chunk = []
            send.send(chunk)
            send.send(None)
        except FileError as error:
            send.send(("file_error", str(error)))
        except Exception as error:  # reported in the parent, which then stops
            send.send(("crash", repr(error)))

    # A wrong header or too many rows arrive as the first message, before any row: nothing
    # is written. (Not checked here as well: opening an xlsx reads its whole string table.)
    process = context.Process(target=work, daemon=True)
    process.start()
    send.close()

    def items():
        try:
            while True:
                message = receive.recv()
                if message is None:
                    return
                if isinstance(message, tuple):
                    kind, text = message
                    raise FileError(text) if kind == "file_error" else RuntimeError(text)
                yield from message
        finally:
            receive.close()
            process.join(5)
            if process.is_alive():  # the parent stopped early (an error): stop the reader
                process.terminate()
                process.join()

    return items()


def _run(items, *, commit, progress, batch_size: int = files.BATCH_SIZE) -> Report:
    report = Report()
    batch: list[tuple[GoodRow, str]] = []

    def flush():
        kept = _refuse_existing(batch, report) if batch else []
        report.good += len(kept)
        if commit is not None and kept:
            commit(kept, report)
        batch.clear()
        if progress is not None:
            progress(report)

    for item in items:
        report.total += 1
        if item[0] == "bad":
            _kind, number, name, reasons = item
            _add_error(report, number, name, reasons)
        else:
            batch.append(item[1:])
        if len(batch) >= batch_size:
            flush()
    flush()
    if report.total == 0:
        raise FileError(_("文件里没有会员数据（只有表头）"))
    return report
