"""Member import (members/imports/): the file, every row's check, the batch commit, the pages."""

import csv
import datetime
import io

import pytest
from django.db import connection
from openpyxl import Workbook, load_workbook

from huiyuan.cards.models import Card, CardEvent
from huiyuan.core.actors import Actor
from huiyuan.core.models import AuditEvent
from huiyuan.members import demo, imports
from huiyuan.members.models import ImportJob, Member
from tests.conftest import RESIDENT_IDS

HEADER = list(imports.COLUMNS)
KEYS = [key for key, _required, _help in imports.COLUMNS.values()]


def rows_of(people) -> list[list]:
    return [[person[key] for key in KEYS] for person in people]


def xlsx_bytes(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return text.getvalue().encode(encoding)


def thousand_with_three_bad() -> tuple[list[list], dict[int, str]]:
    """1,000 generated people; rows 11, 501 and 1001 of the sheet are bad (bad phone, bad ID
    checksum, a duplicate of row 2's phone). Returns the rows and {sheet row: reason}."""
    rows = rows_of(demo.people(1000, seed=11))
    phone, id_number = KEYS.index("phone"), KEYS.index("id_number")
    rows[9][phone] = "12345"  # sheet row 11
    rows[499][KEYS.index("id_type")] = "居民身份证"
    rows[499][id_number] = "110101199003074478"  # sheet row 501: checksum off by one
    rows[999][phone] = rows[0][phone]  # sheet row 1001
    return rows, {
        11: "手机号无效",
        501: "身份证号校验不通过",
        1001: "手机号文件内重复（同第 2 行）",
    }


def write(tmp_path, content: bytes, name="members.xlsx"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.fixture(autouse=True)
def _upload_folder(settings, tmp_path):
    settings.MEMBER_IMPORT_DIR = tmp_path / "uploads"


@pytest.fixture
def run_import(store):
    def run(path, **options):
        return imports.import_file(path, actor=Actor(store=store), store=store, **options)

    return run


# --- The must-show: 1,000 rows with 3 bad ones -----------------------------------------------


def test_a_thousand_rows_with_three_bad_reports_exactly_those_and_creates_997(
    tmp_path, run_import, store
):
    rows, bad = thousand_with_three_bad()
    path = write(tmp_path, xlsx_bytes(rows))

    preview = imports.check_file(path)
    assert (preview.total, preview.good, preview.created) == (1000, 997, 0)
    assert {e["row"]: e["reasons"] for e in preview.errors} == {r: [m] for r, m in bad.items()}
    assert not Member.objects.exists()

    report = run_import(path, batch_size=300)  # several batches

    assert (report.total, report.good, report.created) == (1000, 997, 997)
    assert {e["row"]: e["reasons"] for e in report.errors} == {r: [m] for r, m in bad.items()}
    assert Member.objects.count() == 997
    assert Card.objects.filter(status=Card.Status.ACTIVE, card_type__code="STD").count() == 997
    assert CardEvent.objects.filter(kind=CardEvent.Kind.ISSUE).count() == 997
    member = Member.objects.get(phone=rows[1][KEYS.index("phone")])
    assert member.channel == Member.Channel.IMPORT
    assert member.store == store
    assert member.name == rows[1][0]
    assert member.name_pinyin
    assert member.name_initials
    assert member.birthday == rows[1][KEYS.index("birthday")]
    # One audit event per batch (300 + 300 + 300 + 97 good rows), not one per member.
    events = AuditEvent.objects.filter(action="member.import").order_by("pk")
    assert [e.after["rows"] for e in events] == [300, 300, 300, 97]
    assert len(set(Member.objects.values_list("member_no", flat=True))) == 997


def test_a_large_file_is_read_and_checked_in_a_second_process(tmp_path, run_import, monkeypatch):
    monkeypatch.setattr(imports.files, "PARALLEL_FROM_BYTES", 0)  # every file counts as large
    rows, bad = thousand_with_three_bad()
    path = write(tmp_path, xlsx_bytes(rows))

    preview = imports.check_file(path)
    report = run_import(path, batch_size=300)

    assert (preview.total, preview.good) == (1000, 997)
    assert (report.total, report.good, report.created) == (1000, 997, 997)
    assert {e["row"]: e["reasons"] for e in report.errors} == {r: [m] for r, m in bad.items()}
    assert Member.objects.count() == 997


def test_a_bad_file_read_in_a_second_process_writes_nothing(tmp_path, run_import, monkeypatch):
    monkeypatch.setattr(imports.files, "PARALLEL_FROM_BYTES", 0)
    wrong = write(tmp_path, xlsx_bytes([["张三", "13800138000"]], header=["名字", "电话"]))
    with pytest.raises(imports.FileError, match="不认识的列"):
        run_import(wrong)
    monkeypatch.setattr(imports.files, "MAX_ROWS", 5)
    csv_path = write(tmp_path, csv_bytes(rows_of(demo.people(6))), "big.csv")
    with pytest.raises(imports.FileError, match="文件超过 5 行"):
        run_import(csv_path, file_name="big.csv")
    assert not Member.objects.exists()


def test_id_numbers_are_never_stored_in_clear(tmp_path, run_import):
    rows, _bad = thousand_with_three_bad()
    clear = {row[KEYS.index("id_number")] for row in rows if row[KEYS.index("id_number")]}
    run_import(write(tmp_path, xlsx_bytes(rows[:200])))

    with connection.cursor() as cursor:
        for table in ("members_member", "members_importjob", "core_auditevent"):
            cursor.execute(f"SELECT * FROM {table}")
            text = repr(cursor.fetchall())
            assert not any(number in text for number in clear), table
    member = Member.objects.exclude(id_number_hash=None).first()
    assert member.id_number in clear
    assert member.id_number_masked.count("*") == 10


# --- Row checks -----------------------------------------------------------------------------


def row(**values):
    base = dict.fromkeys(KEYS, "")
    base |= {"name": "张三", "phone": "13800138000"}
    base |= values
    return [base[key] for key in KEYS]


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"name": ""}, "姓名为空"),
        ({"phone": "1380013800"}, "手机号无效"),
        ({"phone": "02163220001"}, "手机号无效"),
        ({"id_number": "110101199003074478"}, "身份证号校验不通过"),
        ({"id_type": "护照", "id_number": "E1"}, "证件号码格式不正确"),
        ({"id_type": "驾驶证", "id_number": "123456"}, "证件类型无效"),
        ({"birthday": datetime.date.today() + datetime.timedelta(days=2)}, "生日晚于今天"),
        ({"birthday": "1990-13-40"}, "生日格式不正确"),
        ({"birthday": "1800-01-01"}, "生日不正确"),
        ({"gender": "未知"}, "性别无效（应为 男 或 女）"),
        ({"email": "not-an-email"}, "邮箱格式不正确"),
        ({"card_type": "GOLD"}, "卡类型“GOLD”不存在或已停用"),
        ({"name": "张" * 51}, "姓名超过 50 字"),
    ],
)
def test_each_bad_row_gets_its_chinese_reason(tmp_path, db, values, reason):
    report = imports.check_file(write(tmp_path, xlsx_bytes([row(**values)])))
    assert report.errors == [{"row": 2, "name": row(**values)[0][:50], "reasons": [reason]}]


def test_several_problems_in_one_row_are_all_listed(tmp_path, db):
    bad = row(name="", phone="1", birthday="2999-01-01")
    report = imports.check_file(write(tmp_path, xlsx_bytes([bad])))
    assert report.errors[0]["reasons"] == ["姓名为空", "手机号无效", "生日晚于今天"]


def test_good_values_in_the_forms_people_type_them(tmp_path, run_import, card_type):
    rows = [
        row(phone=13800138000, gender="女", birthday="1990/3/7", id_number=RESIDENT_IDS[1]),
        row(name="李四", phone="+86 139-0013-9000", birthday="19850101", card_type="std"),
        row(name="王五", phone="137 0013 7000", id_type="护照", id_number="e1234567"),
    ]
    report = run_import(write(tmp_path, xlsx_bytes(rows)))

    assert report.errors == []
    assert report.created == 3
    zhang = Member.objects.get(phone="13800138000")
    assert (zhang.gender, zhang.birthday) == ("F", datetime.date(1990, 3, 7))
    assert zhang.id_type == "resident_id"
    assert zhang.id_number == RESIDENT_IDS[1]
    assert not zhang.cards.exists()  # no card type: registered without a card
    assert Member.objects.get(phone="13900139000").cards.get().card_type == card_type
    assert Member.objects.get(phone="13700137000").id_number == "E1234567"


def test_duplicates_in_the_file_keep_the_first_occurrence(tmp_path, run_import):
    rows = [
        row(id_number=RESIDENT_IDS[0]),
        row(name="李四", phone="13900139000", id_number=RESIDENT_IDS[0]),
        row(name="王五", phone="13800138000"),
    ]
    report = run_import(write(tmp_path, xlsx_bytes(rows)))

    assert report.errors == [
        {"row": 3, "name": "李四", "reasons": ["证件号码文件内重复（同第 2 行）"]},
        {"row": 4, "name": "王五", "reasons": ["手机号文件内重复（同第 2 行）"]},
    ]
    assert list(Member.objects.values_list("name", flat=True)) == ["张三"]


def test_people_who_are_already_members_are_reported(tmp_path, run_import, register):
    holder = register(phone="13800138000")
    id_holder = register(
        name="赵六", phone="13600136000", id_type="resident_id", id_number=RESIDENT_IDS[2]
    )
    rows = [
        row(),
        row(name="李四", phone="13900139000", id_number=RESIDENT_IDS[2]),
        row(name="王五", phone="13700137000"),
    ]
    report = run_import(write(tmp_path, xlsx_bytes(rows)))

    assert report.errors == [
        {
            "row": 2,
            "name": "张三",
            "reasons": [f"已是会员：手机号已登记（会员号 {holder.member_no}）"],
        },
        {
            "row": 3,
            "name": "李四",
            "reasons": [f"已是会员：该证件已办理会员卡（会员号 {id_holder.member_no}）"],
        },
    ]
    assert report.created == 1
    # Importing the same file again creates nobody twice.
    again = run_import(write(tmp_path, xlsx_bytes(rows), "again.xlsx"))
    assert again.created == 0
    assert len(again.errors) == 3


# --- Files ------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_the_encodings_excel_writes(tmp_path, run_import, encoding):
    rows = [row(), row(name="李四", phone="13900139000", birthday="1990-03-07")]
    path = write(tmp_path, csv_bytes(rows, encoding=encoding), "members.csv")

    assert run_import(path, file_name="members.csv").created == 2
    assert set(Member.objects.values_list("name", flat=True)) == {"张三", "李四"}


def test_columns_may_come_in_any_order_and_optional_ones_may_be_left_out(tmp_path, run_import):
    path = write(tmp_path, xlsx_bytes([["13800138000", "张三"]], header=["手机号", "姓名"]))
    assert run_import(path).created == 1


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4 not a sheet", "members.pdf", "不是可导入的表格文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "members.xls", "旧版 xls 请先另存为 xlsx"),
        (b"PK\x03\x04broken zip", "members.xlsx", "不是有效的 xlsx 文件"),
        (xlsx_bytes([["张三", "13800138000"]], header=["名字", "电话"]), "m.xlsx", "不认识的列"),
        (xlsx_bytes([["张三"]], header=["姓名"]), "m.xlsx", "缺少必填列“手机号”"),
        (xlsx_bytes([], header=HEADER), "m.xlsx", "只有表头"),
        (b"", "members.csv", "文件是空的"),
        (
            csv_bytes([row()], header=["name", "phone"] + HEADER[2:]),
            "m.csv",
            "不认识的列“name、phone”",
        ),
    ],
)
def test_a_file_that_cannot_be_imported_writes_nothing(
    tmp_path, run_import, content, name, message
):
    path = write(tmp_path, content, name)
    with pytest.raises(imports.FileError, match=message):
        run_import(path, file_name=name)
    assert not Member.objects.exists()


def test_more_than_the_limit_is_refused_before_anything_is_written(
    tmp_path, run_import, monkeypatch
):
    monkeypatch.setattr(imports.files, "MAX_ROWS", 5)
    rows = rows_of(demo.people(6))
    with pytest.raises(imports.FileError, match="文件超过 5 行"):
        run_import(write(tmp_path, xlsx_bytes(rows)), batch_size=2)
    assert not Member.objects.exists()


def test_the_template_has_the_columns_and_reads_back_without_errors(tmp_path, db):
    path = write(tmp_path, imports.template_workbook())
    sheet = load_workbook(path).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER
    report = imports.check_file(path)
    assert (report.total, report.good, report.errors) == (1, 1, [])


# --- The pages (Huey runs in immediate mode in tests) -----------------------------------------


def upload(client, content: bytes, name="members.xlsx"):
    file = io.BytesIO(content)
    file.name = name
    return client.post("/members/import/", {"file": file})


def test_upload_preview_and_commit_through_the_pages(admin_client, store, settings):
    rows, bad = thousand_with_three_bad()
    response = upload(admin_client, xlsx_bytes(rows))

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == f"/members/import/{job.pk}/"
    assert (job.status, job.total_rows, job.good_rows) == ("checked", 1000, 997)
    page = admin_client.get(response.url).content.decode()
    for row_number, reason in bad.items():
        assert f"<td>{row_number}</td>" in page
        assert reason in page
    assert "导入 997 位会员" in page
    assert not Member.objects.exists()

    response = admin_client.post(f"/members/import/{job.pk}/commit/")

    job.refresh_from_db()
    assert (job.status, job.created_members, len(job.errors)) == ("done", 997, 3)
    assert Member.objects.count() == 997
    assert "已导入 997 位会员" in admin_client.get(response.url).content.decode()
    assert job.path == ""
    assert not any(settings.MEMBER_IMPORT_DIR.iterdir())
    # Committing twice imports nobody twice.
    admin_client.post(f"/members/import/{job.pk}/commit/")
    assert Member.objects.count() == 997


def test_a_bad_upload_shows_a_chinese_message_and_writes_nothing(admin_client, tmp_path):
    response = upload(admin_client, b"hello, world", "members.docx")

    assert response.status_code == 422
    assert "不是可导入的表格文件" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not Member.objects.exists()
    wrong = xlsx_bytes([["张三", "13800138000"]], header=["名字", "电话"])
    assert "表头不正确" in upload(admin_client, wrong).content.decode()
    assert not ImportJob.objects.exists()


def test_progress_reloads_the_page_when_the_job_has_finished(admin_client, store):
    upload(admin_client, xlsx_bytes([row()]))
    job = ImportJob.objects.get()
    finished = admin_client.get(f"/members/import/{job.pk}/progress/")
    assert finished.status_code == 204
    assert finished["HX-Refresh"] == "true"
    ImportJob.objects.filter(pk=job.pk).update(status="importing", total_rows=10, processed_rows=4)
    running = admin_client.get(f"/members/import/{job.pk}/progress/").content.decode()
    assert 'aria-valuenow="40"' in running
    assert "已处理 4 行 / 10" in running


def test_discarding_a_preview_imports_nobody(admin_client):
    upload(admin_client, xlsx_bytes([row()]))
    job = ImportJob.objects.get()
    admin_client.post(f"/members/import/{job.pk}/discard/")
    admin_client.post(f"/members/import/{job.pk}/commit/")
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.path == ""
    assert not Member.objects.exists()


def test_the_template_download(admin_client):
    response = admin_client.get("/members/import/template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER


@pytest.mark.parametrize("role", ["cashier", "marketing", "finance"])
def test_roles_that_may_not_register_members_may_not_import(client, make_operator, role):
    client.force_login(make_operator(role))
    assert client.get("/members/import/").status_code == 403
    assert upload(client, xlsx_bytes([row()])).status_code == 403
    assert not Member.objects.exists()


def test_a_job_of_another_store_is_not_shown(client, make_operator, other_store):
    client.force_login(make_operator("admin"))
    upload(client, xlsx_bytes([row()]))
    job = ImportJob.objects.get()
    manager = make_operator("store_manager", stores=[other_store])
    client.force_login(manager)
    assert client.get(f"/members/import/{job.pk}/").status_code == 404
    assert client.post(f"/members/import/{job.pk}/commit/").status_code == 404
    assert not Member.objects.exists()


def test_imported_rows_get_the_defaults_and_timestamps_of_a_registration(tmp_path, run_import):
    """fast_insert fills what a row leaves out as the ORM would: defaults and auto_now fields."""
    run_import(write(tmp_path, xlsx_bytes([row(card_type="STD")])))

    member = Member.objects.get()
    assert member.status == Member.Status.ACTIVE
    assert (member.consent_sms, member.consent_email, member.consent_wechat) == (False,) * 3
    assert member.created_at is not None
    assert member.updated_at is not None
    assert (member.id_number_hash, member.id_number_encrypted, member.cancelled_reason) == (
        None,
        "",
        "",
    )
    card = member.cards.get()
    assert card.status == Card.Status.ACTIVE
    assert card.issued_at is not None
    assert card.medium == "e_card"
    event = CardEvent.objects.get(card=card)
    assert (event.kind, event.fee_fen, event.member_id) == ("issue", 0, member.pk)
    assert event.created_at is not None
    # The next registration at the counter gets the next ids and numbers, no clash.
    from huiyuan.members.services import register_member

    other = register_member(
        actor=Actor(),
        name="李四",
        phone="13900139000",
        store=member.store,
        card_type=card.card_type,
    )
    assert other.pk > member.pk
    assert other.member_no != member.member_no
