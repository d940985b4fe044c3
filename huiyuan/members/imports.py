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

import csv
import datetime
import functools
import io
import multiprocessing
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connections, router, transaction
from django.db.models import DateField, JSONField
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from huey.contrib.djhuey import db_task

from huiyuan.cards.models import Card, CardEvent, CardType
from huiyuan.cards.numbers import new_card_numbers
from huiyuan.core import audit, pii
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.members import validation
from huiyuan.members.models import ImportJob, Member
from huiyuan.members.services import name_search_keys, new_member_numbers

MAX_ROWS = 100_000
BATCH_SIZE = 2_000
# Files from this size on are read and checked in a second process (about 15,000 rows).
PARALLEL_FROM_BYTES = 1_000_000
MAX_ERRORS_SHOWN = 100_000  # every bad row is kept; the page paginates them

# Template column → (key, required, help shown in the template's second sheet).
COLUMNS = {
    "姓名": ("name", True, gettext_lazy("必填，最多 50 字")),
    "手机号": ("phone", True, gettext_lazy("必填，中国大陆 11 位手机号")),
    "性别": ("gender", False, gettext_lazy("男 / 女，可留空")),
    "生日": ("birthday", False, gettext_lazy("日期，如 1990-03-07，不能晚于今天")),
    "证件类型": (
        "id_type",
        False,
        gettext_lazy("居民身份证 / 护照 / 港澳通行证 / 台湾通行证；有证件号码而留空时按居民身份证"),
    ),
    "证件号码": ("id_number", False, gettext_lazy("一证一卡：已有会员卡的证件不能再导入")),
    "邮箱": ("email", False, gettext_lazy("可留空")),
    "地址": ("address", False, gettext_lazy("最多 200 字")),
    "卡类型编码": ("card_type", False, gettext_lazy("如 STD；留空则只登记会员、不发卡")),
    "备注": ("notes", False, gettext_lazy("可留空")),
}
GENDERS = {"男": "M", "女": "F", "M": "M", "F": "F", "男性": "M", "女性": "F"}
ID_TYPES = {
    "居民身份证": validation.RESIDENT_ID,
    "身份证": validation.RESIDENT_ID,
    "护照": validation.PASSPORT,
    "港澳居民来往内地通行证": validation.HK_MACAO_PERMIT,
    "港澳通行证": validation.HK_MACAO_PERMIT,
    "回乡证": validation.HK_MACAO_PERMIT,
    "台湾居民来往大陆通行证": validation.TAIWAN_PERMIT,
    "台湾通行证": validation.TAIWAN_PERMIT,
    "台胞证": validation.TAIWAN_PERMIT,
}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
MAX_LENGTH = {"name": 50, "address": 200, "email": 254, "notes": 2000}


class FileError(Exception):
    """The file as a whole can't be imported (not a spreadsheet, wrong columns, too many rows)."""


@dataclass(slots=True)
class GoodRow:
    row: int
    name: str
    phone: str
    gender: str
    birthday: datetime.date | None
    id_type: str
    id_number: str
    email: str
    address: str
    card_type: CardType | None
    notes: str


@dataclass
class Report:
    total: int = 0
    good: int = 0
    created: int = 0
    errors: list = field(default_factory=list)  # [{"row", "name", "reasons": [...]}]


# --- Reading -----------------------------------------------------------------------------------


def read_rows(path: Path | str, file_name: str = "") -> tuple[list[str], Iterator[tuple]]:
    """(the header's keys, an iterator of (row number, values)) — or FileError."""
    path = Path(path)
    kind = _kind(path, file_name)
    rows = _xlsx_rows(path) if kind == "xlsx" else _csv_rows(path)
    try:
        header = next(rows)
    except StopIteration:
        raise FileError(_("文件是空的")) from None
    keys = _header_keys(header)
    numbered = ((number, values) for number, values in enumerate(rows, start=2))
    return keys, ((number, values) for number, values in numbered if any(_text(v) for v in values))


def _kind(path: Path, file_name: str) -> str:
    with path.open("rb") as handle:
        start = handle.read(4)
    if start == b"PK\x03\x04":
        return "xlsx"
    if b"\x00" in start or start.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileError(_("不是可导入的表格文件：请上传 xlsx 或 csv（旧版 xls 请先另存为 xlsx）"))
    if (file_name or path.name).lower().endswith((".csv", ".txt")):
        return "csv"
    raise FileError(_("不是可导入的表格文件：请上传 xlsx 或 csv"))


def _xlsx_rows(path: Path) -> Iterator[tuple]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # zip but not a workbook, or damaged
        raise FileError(_("不是有效的 xlsx 文件，或文件已损坏")) from None
    try:
        sheet = book.worksheets[0]
        # The size Excel records in the sheet: a file over the limit is refused before a row is
        # written (`_run` still counts, for files written without it).
        _check_size((sheet.max_row or 1) - 1)
        yield from sheet.iter_rows(values_only=True)
    finally:
        book.close()


def _csv_rows(path: Path) -> Iterator[tuple]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes nearly anything
        raise FileError(_("无法识别文件编码：请保存为 UTF-8 或 GB18030 编码的 csv"))
    if "\x00" in text:
        raise FileError(_("不是可导入的表格文件：请上传 xlsx 或 csv"))
    _check_size(sum(1 for _row in csv.reader(io.StringIO(text, newline=""))) - 1)
    yield from (tuple(row) for row in csv.reader(io.StringIO(text, newline="")))


def _check_size(rows: int) -> None:
    if rows > MAX_ROWS:
        raise FileError(_("文件超过 %(max)s 行，请分成几个文件导入") % {"max": f"{MAX_ROWS:,}"})


def _header_keys(header: tuple) -> list[str]:
    names = [_text(cell) for cell in header]
    while names and not names[-1]:
        names.pop()
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        raise FileError(
            _("表头不正确：不认识的列“%(columns)s”。请使用导入模板的列名：%(expected)s")
            % {
                "columns": "、".join(n or _("（空白）") for n in unknown),
                "expected": "、".join(COLUMNS),
            }
        )
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise FileError(_("表头不正确：列“%(columns)s”重复") % {"columns": "、".join(repeated)})
    missing = [
        name for name, (_key, required, _help) in COLUMNS.items() if required and name not in names
    ]
    if missing:
        raise FileError(
            _("表头不正确：缺少必填列“%(columns)s”。请使用导入模板")
            % {"columns": "、".join(missing)}
        )
    return [COLUMNS[name][0] for name in names]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 13800138000 typed into Excel as a number
    return str(value).strip()


# --- Checking ----------------------------------------------------------------------------------


class RowChecker:
    """The registration rules for one file's rows, and what the file itself gets wrong."""

    def __init__(self):
        self.today = timezone.localdate()
        self.card_types = {t.code.upper(): t for t in CardType.objects.filter(is_active=True)}
        self.phones: dict[str, int] = {}  # first row of each phone in the file
        self.id_hashes: dict[str, int] = {}

    def check(self, number: int, values: dict) -> tuple[GoodRow | None, list[str], str]:
        """(the row ready to insert, or None; the reasons it is refused; its ID number's HMAC)."""
        reasons = []
        name = _text(values.get("name"))
        if not name:
            reasons.append(_("姓名为空"))
        elif len(name) > MAX_LENGTH["name"]:
            reasons.append(_("姓名超过 50 字"))
        phone = ""
        try:
            phone = validation.normalize_phone(_text(values.get("phone")))
        except DomainError:
            reasons.append(_("手机号无效"))
        gender_text = _text(values.get("gender")).upper()
        gender = GENDERS.get(gender_text, "")
        if gender_text and not gender:
            reasons.append(_("性别无效（应为 男 或 女）"))
        birthday = None
        try:
            birthday = _date(values.get("birthday"))
        except ValueError:
            reasons.append(_("生日格式不正确"))
        if birthday and birthday > self.today:
            reasons.append(_("生日晚于今天"))
        elif birthday and birthday.year < 1900:
            reasons.append(_("生日不正确"))
        id_type, id_number, id_hash = "", "", ""
        raw_id = _text(values.get("id_number"))
        type_text = _text(values.get("id_type"))
        if raw_id or type_text:
            id_type = ID_TYPES.get(type_text, "") if type_text else validation.RESIDENT_ID
            if not id_type:
                reasons.append(_("证件类型无效"))
            elif not raw_id:
                reasons.append(_("填写了证件类型但缺少证件号码"))
            else:
                try:
                    id_number = validation.normalize_id_number(id_type, raw_id)
                    id_hash = pii.lookup_hash(id_number)
                except DomainError:
                    reasons.append(
                        _("身份证号校验不通过")
                        if id_type == validation.RESIDENT_ID
                        else _("证件号码格式不正确")
                    )
        email = _text(values.get("email"))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                reasons.append(_("邮箱格式不正确"))
        address, notes = _text(values.get("address")), _text(values.get("notes"))
        if len(address) > MAX_LENGTH["address"]:
            reasons.append(_("地址超过 200 字"))
        if len(notes) > MAX_LENGTH["notes"]:
            reasons.append(_("备注超过 2000 字"))
        card_type = None
        code = _text(values.get("card_type")).upper()
        if code:
            card_type = self.card_types.get(code)
            if card_type is None:
                reasons.append(_("卡类型“%(code)s”不存在或已停用") % {"code": code})
        # Duplicates within the file: the first occurrence stands, later ones are refused.
        if phone:
            first = self.phones.setdefault(phone, number)
            if first != number:
                reasons.append(_("手机号文件内重复（同第 %(row)s 行）") % {"row": first})
        if id_hash:
            first = self.id_hashes.setdefault(id_hash, number)
            if first != number:
                reasons.append(_("证件号码文件内重复（同第 %(row)s 行）") % {"row": first})
        if reasons:
            return None, reasons, id_hash
        good = GoodRow(
            number, name, phone, gender, birthday, id_type, id_number, email, address,
            card_type, notes,
        )  # fmt: skip
        return good, [], id_hash


def _date(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _refuse_existing(batch: list[tuple[GoodRow, str]], report: Report) -> list[GoodRow]:
    """Rows whose phone or ID an active member already holds are reported, the rest returned."""
    phones = dict(
        Member.objects.filter(
            status=Member.Status.ACTIVE, phone__in=[row.phone for row, _h in batch]
        ).values_list("phone", "member_no")
    )
    hashes = dict(
        Member.objects.filter(
            status=Member.Status.ACTIVE, id_number_hash__in=[h for _r, h in batch if h]
        ).values_list("id_number_hash", "member_no")
    )
    kept = []
    for row, id_hash in batch:
        reasons = []
        if row.phone in phones:
            reasons.append(_("已是会员：手机号已登记（会员号 %(no)s）") % {"no": phones[row.phone]})
        if id_hash and id_hash in hashes:
            reasons.append(
                _("已是会员：该证件已办理会员卡（会员号 %(no)s）") % {"no": hashes[id_hash]}
            )
        if reasons:
            _add_error(report, row.row, row.name, reasons)
        else:
            kept.append(row)
    return kept


def _add_error(report: Report, row: int, name: str, reasons: list[str]) -> None:
    report.errors.append({"row": row, "name": name[:50], "reasons": reasons})


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
    batch_size: int = BATCH_SIZE,
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
    if Path(path).stat().st_size >= PARALLEL_FROM_BYTES and _can_fork():
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
                if len(chunk) >= BATCH_SIZE:
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


def _run(items, *, commit, progress, batch_size: int = BATCH_SIZE) -> Report:
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


@functools.lru_cache(maxsize=50_000)
def _search_keys(name: str) -> tuple[str, str]:
    return name_search_keys(name)


def _insert(rows: list[GoodRow], *, actor: Actor, store, job, file_name: str) -> int:
    """One batch in one transaction: members, cards, card events and one audit event."""
    try:
        with transaction.atomic():
            _no_commit_wait()
            return _insert_batch(rows, actor=actor, store=store, job=job, file_name=file_name)
    except IntegrityError:
        # A registration at the counter took one of these phones or IDs since they were checked:
        # fall back to one row at a time for this batch, so only that row is lost.
        created = 0
        for row in rows:
            try:
                with transaction.atomic():
                    created += _insert_batch(
                        [row], actor=actor, store=store, job=job, file_name=file_name
                    )
            except IntegrityError:
                pass
        return created


def _no_commit_wait() -> None:
    """PostgreSQL: this transaction's commit doesn't wait for its WAL flush. A crash in that
    instant can lose the last batch (never half of one); importing the file again adds exactly
    the members that are missing."""
    connection = connections[router.db_for_write(Member)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _insert_batch(rows: list[GoodRow], *, actor: Actor, store, job, file_name: str) -> int:
    operator_id = actor.operator.pk if actor.operator else None
    numbers = new_member_numbers(len(rows))
    members = []
    for row, member_no in zip(rows, numbers, strict=True):
        pinyin, initials = _search_keys(row.name)
        member = {
            "member_no": member_no,
            "name": row.name,
            "name_pinyin": pinyin,
            "name_initials": initials,
            "phone": row.phone,
            "gender": row.gender,
            "birthday": row.birthday,
            "email": row.email,
            "address": row.address,
            "notes": row.notes,
            "channel": Member.Channel.IMPORT,
            "store_id": store.pk,
            "registered_by_id": operator_id,
            "id_type": row.id_type,
        }
        if row.id_number:  # as Member.set_id_number: encrypted, an HMAC, a masked copy
            member["id_number_encrypted"] = pii.encrypt(row.id_number)
            member["id_number_hash"] = pii.lookup_hash(row.id_number)
            member["id_number_masked"] = pii.mask(row.id_number)
        members.append(member)
    member_ids = fast_insert(Member, members)
    _issue_cards(rows, member_ids, operator_id=operator_id, store=store)
    audit.record(
        actor,
        "member.import",
        job,
        after={
            "file": file_name or (job.file_name if job else ""),
            "rows": len(members),
            "first_member_no": numbers[0],
            "last_member_no": numbers[-1],
        },
        store=store,
    )
    return len(members)


def _issue_cards(rows, member_ids, *, operator_id, store) -> None:
    by_type: dict[int, list[int]] = {}
    types = {}
    for row, member_id in zip(rows, member_ids, strict=True):
        if row.card_type is not None:
            by_type.setdefault(row.card_type.pk, []).append(member_id)
            types[row.card_type.pk] = row.card_type
    for type_pk, holders in by_type.items():
        card_type = types[type_pk]
        medium = "e_card" if "e_card" in card_type.media else (card_type.media or ["e_card"])[0]
        common = {
            "card_type_id": type_pk,
            "medium": medium,
            "issued_by_id": operator_id,
            "store_id": store.pk,
            "expires_on": expiry(card_type),
            "status": Card.Status.ACTIVE,
        }
        numbers = new_card_numbers(card_type, len(holders))
        card_ids = fast_insert(
            Card,
            [
                {**common, "number": number, "member_id": member_id}
                for member_id, number in zip(holders, numbers, strict=True)
            ],
        )
        event = {
            "kind": CardEvent.Kind.ISSUE,
            "operator_id": operator_id,
            "store_id": store.pk,
            "reason": _("导入"),
            "fee_fen": 0,
        }
        fast_insert(
            CardEvent,
            [
                {**event, "card_id": card_id, "member_id": member_id}
                for card_id, member_id in zip(card_ids, holders, strict=True)
            ],
        )


def fast_insert(model, rows: list[dict]) -> list[int]:
    """Insert rows (attname → value) in one statement, without the ORM's per-object work, and
    return their ids in order: PostgreSQL's COPY with ids drawn from the table's sequence, or
    SQLite's executemany with ids after the largest ever used (the IMMEDIATE transaction holds
    the write lock). Fields a row leaves out get their default, auto_now fields the time now.
    bulk_create costs ~30 µs per row and field group in Python; this, about a tenth.
    """
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    table = connection.ops.quote_name(model._meta.db_table)
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    now = timezone.now()
    plan = []  # per column: (attname, converter for given values, value when not given)
    for model_field in fields:
        prepare = None
        if isinstance(model_field, (DateField, JSONField)):  # DateTimeField is a DateField

            def prepare(value, field=model_field):
                return field.get_db_prep_save(value, connection)

        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            missing = model_field.get_db_prep_save(now, connection)
        else:
            missing = model_field.get_db_prep_save(model_field.get_default(), connection)
        plan.append((model_field.attname, prepare, missing))
    values = []
    for row in rows:
        line = []
        for attname, prepare, missing in plan:
            if attname in row:
                value = row[attname]
                line.append(prepare(value) if prepare is not None and value is not None else value)
            else:
                line.append(missing)
        values.append(line)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            with cursor.cursor.copy(f"COPY {table} (id, {columns}) FROM STDIN") as copy:
                for row_id, line in zip(ids, values, strict=True):
                    copy.write_row([row_id, *line])
            return ids
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0),"
                f" coalesce((SELECT max(id) FROM {table}), 0))",
                [model._meta.db_table],
            )
            first = cursor.fetchone()[0] + 1
            ids = list(range(first, first + len(rows)))
            marks = ", ".join(["%s"] * (len(fields) + 1))
            cursor.executemany(
                f"INSERT INTO {table} (id, {columns}) VALUES ({marks})",
                [[row_id, *line] for row_id, line in zip(ids, values, strict=True)],
            )
            return ids
    created = model.objects.bulk_create(model(**row) for row in rows)  # other databases
    return [obj.pk for obj in created]


def expiry(card_type: CardType, today: datetime.date | None = None) -> datetime.date | None:
    """When a card issued today expires (the same rule as cards.services)."""
    if not card_type.validity_months:
        return None
    today = today or timezone.localdate()
    months = today.month - 1 + card_type.validity_months
    year, month = today.year + months // 12, months % 12 + 1
    return today.replace(year=year, month=month, day=min(today.day, 28))


# --- Jobs: the upload page's background work ----------------------------------------------------


def upload_folder() -> Path:
    """Where uploads wait between preview and commit (MEMBER_IMPORT_DIR, else VAR_DIR/imports)."""
    folder = Path(
        getattr(settings, "MEMBER_IMPORT_DIR", None) or Path(settings.VAR_DIR) / "imports"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def start_job(*, upload, actor: Actor, store) -> ImportJob:
    """Save the upload, check its header at once (FileError: nothing kept), and queue the
    preview check."""
    suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
    path = upload_folder() / f"{uuid.uuid4().hex}{suffix}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    try:
        _keys, rows = read_rows(path, upload.name)
        if next(rows, None) is None:
            raise FileError(_("文件里没有会员数据（只有表头）"))
    except FileError:
        path.unlink(missing_ok=True)
        raise
    job = ImportJob.objects.create(
        store=store,
        operator=actor.operator,
        file_name=Path(upload.name).name[:200],
        path=str(path),
        status=ImportJob.Status.CHECKING,
    )
    check_job(job.pk)  # a Huey task: in the consumer, or at once in immediate mode (tests)
    return job


def commit_job(job: ImportJob, actor: Actor) -> bool:
    """Queue the import of a checked job; False if it is not waiting for that."""
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED).update(
        status=ImportJob.Status.IMPORTING, processed_rows=0
    )
    if updated:
        operator_pk = actor.operator.pk if actor.operator else None
        run_job(job.pk, operator_pk, actor.ip)
    return bool(updated)


def _progress(job_pk: int):
    def write(report: Report) -> None:
        ImportJob.objects.filter(pk=job_pk).update(
            processed_rows=report.total, created_members=report.created
        )

    return write


@db_task()
def check_job(job_pk: int) -> None:
    job = ImportJob.objects.get(pk=job_pk)
    try:
        report = check_file(job.path, job.file_name, progress=_progress(job_pk))
    except FileError as error:
        _fail(job, str(error))
        return
    job.status = ImportJob.Status.CHECKED
    job.total_rows = job.processed_rows = report.total
    job.good_rows = report.good
    job.errors = report.errors[:MAX_ERRORS_SHOWN]
    job.save()


@db_task()
def run_job(job_pk: int, operator_pk: int | None, ip: str | None = None) -> None:
    from huiyuan.staff.models import Operator

    job = ImportJob.objects.select_related("store").get(pk=job_pk)
    operator = Operator.objects.filter(pk=operator_pk).first()
    actor = Actor(operator=operator, store=job.store, ip=ip)
    try:
        report = import_file(
            job.path,
            actor=actor,
            store=job.store,
            file_name=job.file_name,
            job=job,
            progress=_progress(job_pk),
        )
    except FileError as error:
        _fail(job, str(error))
        return
    job.refresh_from_db()
    job.status = ImportJob.Status.DONE
    job.total_rows = job.processed_rows = report.total
    job.created_members = report.created
    job.errors = report.errors[:MAX_ERRORS_SHOWN]
    job.finished_at = timezone.now()
    job.save()
    discard_file(job)


def _fail(job: ImportJob, message: str) -> None:
    job.status, job.message, job.finished_at = ImportJob.Status.FAILED, message, timezone.now()
    job.save(update_fields=["status", "message", "finished_at"])
    discard_file(job)


def discard_file(job: ImportJob) -> None:
    """The upload holds ID numbers in clear: it is deleted as soon as it is no longer needed."""
    if job.path:
        Path(job.path).unlink(missing_ok=True)
        ImportJob.objects.filter(pk=job.pk).update(path="")


# --- The template ------------------------------------------------------------------------------


def template_workbook() -> bytes:
    """The xlsx to fill in: the columns, one example row, and a sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("会员")
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        ["张三", "13800138000", "男", datetime.date(1990, 3, 7), "居民身份证",
         "110101199003074477", "zhangsan@example.com", "上海市黄浦区南京东路 300 号", "STD", ""]
    )  # fmt: skip
    sheet["D2"].number_format = "yyyy-mm-dd"
    for column in ("B", "F"):  # phone and ID numbers as text, so Excel keeps every digit
        for row in range(2, 1001):
            sheet[f"{column}{row}"].number_format = "@"
    for letter, width in zip("ABCDEFGHIJ", (10, 14, 6, 12, 14, 22, 24, 32, 10, 20), strict=True):
        sheet.column_dimensions[letter].width = width
    help_sheet = book.create_sheet(_("填写说明"))
    help_sheet.append([_("列"), _("说明")])
    for name, (_key, required, text) in COLUMNS.items():
        help_sheet.append([name + ("（必填）" if required else ""), str(text)])
    help_sheet.append([])
    help_sheet.append(
        [_("每个文件最多 %(max)s 行；第一行是表头，请勿修改列名。") % {"max": MAX_ROWS}]
    )
    help_sheet.column_dimensions["A"].width = 16
    help_sheet.column_dimensions["B"].width = 70
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
