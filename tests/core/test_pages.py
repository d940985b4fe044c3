"""Back-office pages through Django's test client: permissions, Chinese errors, query counts."""

import pytest
from django.urls import reverse

from huiyuan.core.actors import Actor
from huiyuan.core.models import AuditEvent, Store
from huiyuan.core.services import update_store
from tests.factories import StoreFactory

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_even_for_an_english_browser(client):
    page = client.get(reverse("staff:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page.status_code == 200
    assert '<html lang="zh-hans">' in page.text
    assert "后台登录" in page.text


def test_pages_need_a_login(client):
    page = client.get(reverse("core:dashboard"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("staff:login"))


def test_a_cashier_gets_the_chinese_403_page_for_admin_pages(client, make_operator):
    client.force_login(make_operator("cashier"))
    for name in ("core:store_list", "core:audit_list", "staff:operator_list", "api_keys:list"):
        page = client.get(reverse(name))
        assert page.status_code == 403, name
        assert "无权访问" in page.text


def test_unknown_pages_get_the_chinese_404_page(admin_client):
    page = admin_client.get("/no/such/page/")
    assert page.status_code == 404
    assert "页面不存在" in page.text


@pytest.mark.parametrize(
    "path",
    ["/members/%00/", "/coupons/c/%00/", "/gifts/desk/%00/", "/gifts/redemptions/LP%00/"],
)
def test_a_nul_in_the_path_is_a_404_not_a_database_error(admin_client, path):
    # PostgreSQL refuses NUL in text: a view looking the number up with it was a 500 there
    assert admin_client.get(path).status_code == 404


def test_create_store_page_shows_the_service_refusal_next_to_the_field(admin_client, store):
    page = admin_client.post(reverse("core:store_create"), {"code": store.code, "name": "重复的店"})
    assert page.status_code == 200
    assert "门店编码已存在" in page.text
    assert Store.objects.filter(code=store.code).count() == 1


def test_create_store_page_saves_and_audits(admin_client):
    page = admin_client.post(
        reverse("core:store_create"),
        {"code": "nj01", "name": "南京新街口店", "is_active": "on"},
        REMOTE_ADDR="10.1.2.3",
    )
    assert page.status_code == 302
    event = AuditEvent.objects.get(action="store.create", target_repr__startswith="NJ01")
    assert event.ip == "10.1.2.3"


def test_audit_page_filters_by_action(admin_client, admin, store):
    update_store(actor=Actor(operator=admin), store=store, phone="021-1")
    page = admin_client.get(reverse("core:audit_list"), {"action": "store.update"})
    assert page.status_code == 200
    assert "修改门店" in page.text
    assert list(page.context["page"]) == list(AuditEvent.objects.filter(action="store.update"))


def test_audit_page_ignores_bad_filters_instead_of_failing(admin_client):
    page = admin_client.get(reverse("core:audit_list"), {"date_from": "not-a-date", "page": "x"})
    assert page.status_code == 200


def test_audit_list_query_count_does_not_grow_with_rows(
    admin_client, admin, django_assert_max_num_queries
):
    for n in range(30):
        update_store(actor=Actor(operator=admin), store=StoreFactory(), phone=str(n))
    with django_assert_max_num_queries(12):
        admin_client.get(reverse("core:audit_list"))


def test_store_list_query_count_does_not_grow_with_rows(
    admin_client, django_assert_max_num_queries
):
    StoreFactory.create_batch(30)
    with django_assert_max_num_queries(10):
        admin_client.get(reverse("core:store_list"))


def test_store_lists_are_ordered_by_code(admin_client, store, other_store):
    for name in ("core:dashboard", "core:store_list"):
        codes = [s.code for s in admin_client.get(reverse(name)).context["stores"]]
        assert codes == sorted(codes), name


def test_dashboard_counts_every_operator_of_the_store_not_just_the_viewer(
    client, make_operator, store
):
    cashier = make_operator("cashier", stores=[store])
    make_operator("store_manager", stores=[store])
    client.force_login(cashier)
    (shown,) = client.get(reverse("core:dashboard")).context["stores"]
    assert shown.operator_count == store.operators.count()
