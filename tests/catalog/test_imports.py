import io

import pytest
from openpyxl import Workbook, load_workbook

from huiyuan.catalog import imports, spreadsheets
from huiyuan.catalog.models import Product
from huiyuan.core.models import AuditEvent

from .conftest import SYSTEM

HEADER = ["商品编码", "名称", "类别编码", "零售价", "条码", "称重", "PLU", "产地"]


def workbook(*rows, header=HEADER):
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def upload(tree, fresh):
    return workbook(
        ["B001", "婴儿连体衣", "05", "89", "6901234567892", "", "", "上海"],
        ["B002", "婴儿帽", "05", "29.9", "", "", "", ""],  # 产地 required
        ["A001", "苹果", "01", 12.8, "", "是", "123", ""],
        ["A002", "梨", "01", "abc", "6901234567893", "", "", ""],
        ["A003", "香蕉", "01", "5", "6901234567892", "", "", ""],  # barcode repeated in file
        ["A004", "桃", "99", "5", "", "", "", ""],
    )


def test_preview_lists_each_bad_row_with_its_reasons(upload):
    report = imports.check_rows(spreadsheets.read_rows(upload))
    assert [p.code for p, _codes in report.good] == ["B001", "A001"]
    reasons = {e["row"]: e["reasons"] for e in report.errors}
    assert reasons == {
        3: ["请填写“产地”"],
        5: ["零售价不是金额"],
        6: ["6901234567892 文件内重复（同第 2 行）"],
        7: ["类别编码不存在"],
    }
    assert not Product.objects.exists()


def test_import_creates_the_good_rows_in_bulk_and_a_second_upload_reports_them(upload, tree):
    report = imports.import_rows(actor=SYSTEM, rows=spreadsheets.read_rows(upload))
    assert len(report.good) == 2
    apple = Product.objects.get(code="A001")
    assert (apple.retail_price_fen, apple.is_weighed, apple.plu, apple.name_initials) == (
        1280,
        True,
        "123",
        "pg",
    )
    baby = Product.objects.get(code="B001")
    assert baby.attributes == {tree["origin"].key: "上海"}
    assert baby.barcodes.get().code == "6901234567892"
    assert AuditEvent.objects.get(action="product.import").after["count"] == 2

    again = imports.check_rows(spreadsheets.read_rows(upload))
    assert again.errors[0]["reasons"] == ["商品编码已存在"]


def test_a_file_without_the_required_columns_is_refused(db):
    with pytest.raises(spreadsheets.FileError, match="类别编码"):
        spreadsheets.read_rows(workbook(header=["商品编码", "名称", "零售价"]))
    with pytest.raises(spreadsheets.FileError):
        spreadsheets.read_rows(b"not a workbook")


def test_export_round_trips_through_the_import_layout(make_product, tree):
    make_product(code="B001", category=tree["baby"], attributes={tree["origin"].key: "上海"})
    data = spreadsheets.export_workbook(Product.objects.all())
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    header = rows[0]
    row = dict(zip(header, rows[1], strict=True))
    assert (row["商品编码"], row["类别编码"], row["零售价"], row["产地"]) == (
        "B001",
        "05",
        "12.80",
        "上海",
    )


def test_upload_preview_and_commit_pages(admin_client, upload, private_media):
    page = admin_client.post("/catalog/products/import/", {"file": _file(upload)})
    text = page.content.decode()
    assert "可导入 2 行，有问题 4 行" in text
    assert "类别编码不存在" in text
    response = admin_client.post("/catalog/products/import/commit/", follow=True)
    assert "已导入 2 个商品" in response.content.decode()
    assert Product.objects.count() == 2
    assert admin_client.get("/catalog/products/import/template/").status_code == 200
    assert admin_client.get("/catalog/products/export/", {"q": "B001"}).status_code == 200


def _file(data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("products.xlsx", data)
