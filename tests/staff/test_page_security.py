"""Review findings, kept fixed: logins before permissions, safe redirects, bounded inputs, scope."""

import pytest
from django.urls import reverse

from huiyuan.core.actors import Actor
from huiyuan.core.selectors import audit_events
from huiyuan.staff import services
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

PERMISSION_PAGES = [
    "core:audit_list",
    "core:store_list",
    "staff:operator_list",
    "staff:role_list",
    "api_keys:list",
]


@pytest.mark.parametrize("name", PERMISSION_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, name):
    answer = client.get(reverse(name))
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("staff:login"))


@pytest.mark.parametrize("next_url", ["abc", "//evil.example/", "javascript:alert(1)", ""])
def test_store_switch_falls_back_to_the_dashboard_for_unsafe_next(
    client, make_operator, store, other_store, next_url
):
    client.force_login(make_operator("store_manager", stores=[store, other_store]))
    answer = client.post(reverse("staff:switch_store"), {"store": store.pk, "next": next_url})
    assert answer.status_code == 302
    assert answer["Location"] == reverse("core:dashboard")


def test_operator_search_ignores_a_nul_character(admin_client):
    assert admin_client.get(reverse("staff:operator_list"), {"q": "a\x00b"}).status_code == 200


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_audit_page_refuses_dates_out_of_range_without_failing(admin_client, day):
    page = admin_client.get(reverse("core:audit_list"), {"date_from": day, "date_to": day})
    assert page.status_code == 200
    assert "2000" in page.text


def test_an_overlong_username_is_refused_by_the_login_form(client):
    page = client.post(reverse("staff:login"), {"username": "x" * 300, "password": "whatever"})
    assert page.status_code == 200


def test_a_store_manager_does_not_see_operator_events_of_other_stores(
    admin, make_operator, roles, store, other_store
):
    """The administrator works with SH01 selected while creating a cashier for HZ01: the event
    must not be filed under SH01, where SH01's manager would read the new cashier's details."""
    manager = make_operator("store_manager", stores=[store])
    actor = Actor(operator=admin, store=store)
    services.create_operator(
        actor=actor,
        username="hz_cashier",
        password=TEST_PASSWORD,
        stores=[other_store],
        roles=[roles["cashier"]],
    )
    assert not audit_events(manager, action="operator.create").filter(
        target_repr__contains="hz_cashier"
    )


def test_wrong_old_passwords_count_towards_the_lockout(client, make_operator):
    cashier = make_operator("cashier", username="forgetful")
    client.force_login(cashier)
    wrong = {
        "old_password": "nope",
        "new_password": "Fresh-pass-77",
        "new_password_again": "Fresh-pass-77",
    }
    for _ in range(4):
        page = client.post(reverse("staff:change_password"), wrong)
        assert "原密码不正确" in page.text
    page = client.post(reverse("staff:change_password"), wrong)
    assert page.status_code == 403
    assert "登录失败次数过多" in page.text
    cashier.refresh_from_db()
    assert cashier.check_password(TEST_PASSWORD)


def test_a_viewer_of_api_keys_cannot_create_one(client, admin, make_operator, store):
    from django.contrib.auth.models import Permission

    viewer = make_operator("cashier")
    viewer.user_permissions.add(Permission.objects.get(codename="view_apikey"))
    client.force_login(viewer)
    answer = client.post(reverse("api_keys:list"), {"name": "偷偷", "store": store.pk})
    assert answer.status_code == 403


def test_api_keys_of_other_stores_are_neither_listed_nor_revocable(
    client, make_operator, store, other_store
):
    from django.contrib.auth.models import Permission

    from huiyuan.api.services import create_api_key

    elsewhere, _ = create_api_key(actor=Actor.system(), store=other_store, name="杭州收银机")
    manager = make_operator("store_manager", stores=[store])
    manager.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_apikey", "change_apikey"])
    )
    client.force_login(manager)
    assert "杭州收银机" not in client.get(reverse("api_keys:list")).text
    answer = client.post(reverse("api_keys:revoke", args=[elsewhere.pk]))
    assert answer.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.revoked_at is None
