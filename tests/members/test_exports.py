"""Member export: the search page's list as xlsx, ID numbers masked unless the role may see them."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from huiyuan.core.actors import Actor
from huiyuan.members import services
from tests.conftest import RESIDENT_IDS


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


@pytest.fixture
def members(register, other_store, card_type):
    zhang = register(id_type="resident_id", id_number=RESIDENT_IDS[1])
    li = register(name="李四", phone="13900139000", id_type="passport", id_number="E1234567")
    wang = services.register_member(
        actor=Actor.system(), name="王五", phone="13700137000", store=other_store
    )
    return zhang, li, wang


def test_export_without_the_id_permission_masks_every_id_number(client, make_operator, members):
    client.force_login(make_operator("store_manager"))
    rows = sheet_rows(client.get("/members/import/export.xlsx"))

    header, *data = rows
    assert header[:7] == ("会员号", "姓名", "手机号", "性别", "生日", "证件类型", "证件号码")
    by_name = {row[1]: row for row in data}
    assert set(by_name) == {"张三", "李四", "王五"}
    assert by_name["张三"][6] == "1101**********4477"
    assert by_name["李四"][6] == "E******7"
    text = repr(rows)
    assert RESIDENT_IDS[1] not in text
    assert "E1234567" not in text
    assert by_name["张三"][9] == members[0].cards.get().number  # the live card
    assert by_name["王五"][9] is None  # no card


def test_export_with_the_id_permission_shows_them(client, make_operator, members):
    client.force_login(make_operator("member_service"))
    data = sheet_rows(client.get("/members/import/export.xlsx"))[1:]
    assert {row[1]: row[6] for row in data}["张三"] == RESIDENT_IDS[1]


def test_export_uses_the_search_filters(client, make_operator, members, other_store):
    client.force_login(make_operator("admin"))
    zhang, li, wang = members

    def names(query):
        return sorted(
            row[1] for row in sheet_rows(client.get(f"/members/import/export.xlsx?{query}"))[1:]
        )

    assert names("q=zs") == ["张三"]
    assert names("q=13900139000") == ["李四"]
    assert names(f"store={other_store.pk}") == ["王五"]
    services.cancel_member(actor=Actor.system(), member=li, reason="顾客要求")
    assert names("status=cancelled") == ["李四"]
    assert names("status=active") == ["张三", "王五"]
    assert names("status=nonsense") == ["张三", "李四", "王五"]  # a bad filter is ignored


def test_cashiers_may_export_but_never_see_id_numbers(client, make_operator, members):
    client.force_login(make_operator("cashier"))
    assert RESIDENT_IDS[1] not in repr(sheet_rows(client.get("/members/import/export.xlsx")))


def test_export_needs_a_login(client, db):
    assert client.get("/members/import/export.xlsx").status_code == 302


def test_the_search_page_exports_what_it_shows(admin_client, register):
    register(name="张三", phone="13800138000")
    register(name="李四", phone="13900139000")
    page = admin_client.get(reverse("members:search"), {"q": "zs", "page": "1"})
    href = re.search(r'href="([^"]+)"[^>]*data-testid="export"', page.text).group(1)
    assert "q=zs" in href
    assert "page=" not in href
    export = admin_client.get(href.replace("&amp;", "&"))
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).active.values)
    names = [row for row in rows[1:] if row and "张三" in row]
    assert len(rows) == 2
    assert names
