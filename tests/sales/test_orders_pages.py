"""Order pages: list and search, detail, the member page's panel; store scope and permission."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.sales.orders_fixtures import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db


def test_the_list_finds_an_order_by_number_member_and_phone(client, clerk, sell, stocked, member):
    order = sell([("RICE", 1)], member=member)
    guest = sell([("COLA", 1)])
    client.force_login(clerk)
    page = client.get(reverse("orders:list")).content.decode()
    assert order.order_no in page
    assert guest.order_no in page
    for q in (order.order_no, order.order_no.lower(), member.member_no, member.phone):
        page = client.get(reverse("orders:list"), {"q": q}).content.decode()
        assert order.order_no in page
        assert guest.order_no not in page


def test_bad_dates_are_shown_on_their_field(client, clerk, sell, stocked):
    client.force_login(clerk)
    page = client.get(reverse("orders:list"), {"date_from": "1900-01-01"}).content.decode()
    assert "is-invalid" in page
    assert "2000" in page


def test_the_detail_shows_lines_discounts_payments_and_balances(
    client, clerk, sell, stocked, member, with_stored_value
):
    with_stored_value(member, 5000)
    order = sell(
        [("RICE", 1), ("EGG", 1)], member=member, pay=[("stored_value", 5000), ("cash", 5000)]
    )
    client.force_login(clerk)
    page = client.get(reverse("orders:detail", args=[order.order_no])).content.decode()
    assert "东北大米" in page
    assert "会员价" in page or "¥19.00" in page
    assert "储值" in page
    assert "¥50.00" in page


def test_another_stores_order_is_not_found(client, make_operator, other_store, sell, stocked):
    order = sell([("COLA", 1)])
    elsewhere = make_operator("cashier", stores=[other_store])
    elsewhere.user_permissions.add(Permission.objects.get(codename="view_order"))
    client.force_login(elsewhere)
    assert client.get(reverse("orders:detail", args=[order.order_no])).status_code == 404
    assert order.order_no not in client.get(reverse("orders:list")).content.decode()


def test_without_the_permission_it_is_403(client, make_operator, sell, stocked):
    order = sell([("COLA", 1)])
    client.force_login(make_operator("marketing"))  # the one built-in role without orders
    assert client.get(reverse("orders:detail", args=[order.order_no])).status_code == 403


def test_the_member_page_loads_the_orders_panel(client, clerk, sell, stocked, member):
    order = sell([("RICE", 1)], member=member)
    client.force_login(clerk)
    detail = client.get(reverse("members:detail", args=[member.member_no])).content.decode()
    assert reverse("orders:member_panel", args=[member.member_no]) in detail
    panel = client.get(reverse("orders:member_panel", args=[member.member_no])).content.decode()
    assert 'data-testid="orders-panel"' in panel
    assert order.order_no in panel
