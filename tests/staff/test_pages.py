import pytest
from django.urls import reverse

from huiyuan.core.models import AuditEvent
from huiyuan.staff.models import Operator
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_admin_creates_an_operator_through_the_page(admin_client, roles, store):
    page = admin_client.post(
        reverse("staff:operator_create"),
        {
            "username": "newcashier",
            "password": TEST_PASSWORD,
            "full_name": "新收银员",
            "stores": [store.pk],
            "roles": [roles["cashier"].pk],
            "is_active": "on",
        },
    )
    assert page.status_code == 302
    operator = Operator.objects.get(username="newcashier")
    assert operator.groups.get().name == "收银员"
    assert AuditEvent.objects.filter(action="operator.create", target_id=str(operator.pk)).exists()


def test_weak_password_is_shown_in_chinese_on_the_form(admin_client, roles, store):
    page = admin_client.post(
        reverse("staff:operator_create"),
        {"username": "weak", "password": "12345678", "stores": [store.pk], "is_active": "on"},
    )
    assert page.status_code == 200
    assert "密码" in page.text
    assert "这个密码太常见了" in page.text or "密码全部为数字" in page.text
    assert not Operator.objects.filter(username="weak").exists()


def test_operator_without_a_store_is_refused_on_the_form(admin_client):
    page = admin_client.post(
        reverse("staff:operator_create"), {"username": "nostore", "password": TEST_PASSWORD}
    )
    assert page.status_code == 200
    assert not Operator.objects.filter(username="nostore").exists()


def test_operator_list_query_count_does_not_grow_with_rows(
    admin_client, make_operator, django_assert_max_num_queries
):
    for _ in range(20):
        make_operator("cashier")
    with django_assert_max_num_queries(12):
        page = admin_client.get(reverse("staff:operator_list"))
    assert page.status_code == 200


def test_store_switch_only_accepts_the_operators_own_stores(
    client, make_operator, store, other_store
):
    cashier = make_operator("cashier", stores=[store])
    client.force_login(cashier)
    refused = client.post(reverse("staff:switch_store"), {"store": other_store.pk})
    assert refused.status_code == 403


def test_store_switch_changes_the_current_store(client, make_operator, store, other_store):
    manager = make_operator("store_manager", stores=[store, other_store])
    client.force_login(manager)
    client.post(reverse("staff:switch_store"), {"store": other_store.pk, "next": "/"})
    page = client.get(reverse("core:dashboard"))
    assert page.context["current_store"] == other_store


def test_store_switch_does_not_redirect_off_site(client, make_operator, store, other_store):
    client.force_login(make_operator("store_manager", stores=[store, other_store]))
    answer = client.post(
        reverse("staff:switch_store"), {"store": store.pk, "next": "https://evil.example/"}
    )
    assert answer["Location"] == reverse("core:dashboard")


def test_role_page_lists_permissions_grouped_in_chinese(admin_client, roles):
    page = admin_client.get(reverse("staff:role_edit", args=[roles["admin"].pk]))
    assert page.status_code == 200
    assert "新增门店" in page.text
    assert "查看审计日志" in page.text


def test_lockout_after_five_wrong_passwords(client, make_operator):
    make_operator("cashier", username="locky")
    for _ in range(5):
        client.post(reverse("staff:login"), {"username": "locky", "password": "wrong"})
    page = client.post(reverse("staff:login"), {"username": "locky", "password": TEST_PASSWORD})
    assert page.status_code == 403
    assert "登录失败次数过多" in page.text
