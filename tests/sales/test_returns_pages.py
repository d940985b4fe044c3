"""The returns pages: scan or search, choose lines, see the plan, confirm, print the slip."""

import pytest
from django.contrib.auth.models import Permission

from huiyuan.sales.models import SalesReturn
from tests.factories import TEST_PASSWORD
from tests.sales.orders_fixtures import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db


def grant(user, *codenames):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="sales", codename__in=codenames)
    )
    return user


@pytest.fixture
def cashier(make_operator):
    return grant(make_operator("cashier"), "add_salesreturn", "view_salesreturn")


@pytest.fixture
def till(client, cashier):
    client.force_login(cashier)
    return client


def test_scanning_a_receipt_opens_its_return(till, sell, stocked):
    order = sell([("COLA", 2)])
    answer = till.get("/returns/", {"order_no": f" {order.order_no.lower()} "})
    assert answer.status_code == 302
    assert answer["Location"] == f"/returns/order/{order.order_no}/"
    missing = till.get("/returns/", {"order_no": "SH0100000000"})
    assert "找不到这张销售单" in missing.content.decode()


def test_preview_then_confirm_then_slip(till, sell, stocked):
    order = sell([("COLA", 2), ("RICE", 1)])
    url = f"/returns/order/{order.order_no}/"
    page = till.get(url)
    ref = page.context["form"]["request_ref"].value()
    body = {"request_ref": ref, "refund_method": "original", "qty_1": "1", "reason": "破损"}

    preview = till.post(url, {**body, "preview": "1"})
    assert preview.status_code == 200
    assert preview.context["plan"].refund_fen == 300
    assert "¥3.00" in preview.content.decode()
    assert not SalesReturn.objects.exists()

    done = till.post(url, {**body, "confirm": "1"})
    sales_return = SalesReturn.objects.get()
    assert done["Location"] == f"/returns/{sales_return.return_no}/"
    again = till.post(url, {**body, "confirm": "1"})  # a double click: the same return
    assert again["Location"] == done["Location"]
    assert SalesReturn.objects.count() == 1
    slip = till.get(done["Location"]).content.decode()
    for text in (sales_return.return_no, "破损", "¥3.00"):
        assert text in slip


def test_too_many_is_shown_on_the_line(till, sell, stocked):
    order = sell([("COLA", 2)])
    url = f"/returns/order/{order.order_no}/"
    answer = till.post(
        url, {"request_ref": "x", "refund_method": "original", "qty_1": "3", "preview": "1"}
    )
    assert answer.context["form"].errors["qty_1"]
    answer = till.post(url, {"request_ref": "x", "refund_method": "original", "preview": "1"})
    assert answer.context["form"].non_field_errors() == ["请填写要退货的数量"]


def test_without_a_receipt_a_manager_approves(till, sell, stocked, make_operator):
    order = sell([("COLA", 1)])
    manager = grant(make_operator("store_manager", username="boss"), "return_without_receipt")
    url = f"/returns/order/{order.order_no}/?receipt=0"
    body = {"request_ref": "r1", "refund_method": "original", "qty_1": "1", "confirm": "1"}
    refused = till.post(url, {**body, "manager": "boss", "manager_password": "wrong"})
    assert refused.context["form"].errors["manager_password"]
    assert not SalesReturn.objects.exists()
    done = till.post(url, {**body, "manager": "boss", "manager_password": TEST_PASSWORD})
    assert done.status_code == 302
    assert SalesReturn.objects.get().approved_by == manager


def test_a_manager_of_another_store_approves_nothing_here(
    till, sell, stocked, make_operator, other_store
):
    order = sell([("COLA", 1)])
    grant(
        make_operator("store_manager", username="far", stores=[other_store]),
        "return_without_receipt",
    )
    url = f"/returns/order/{order.order_no}/?receipt=0"
    body = {"request_ref": "r1", "refund_method": "original", "qty_1": "1", "confirm": "1"}
    refused = till.post(url, {**body, "manager": "far", "manager_password": TEST_PASSWORD})
    assert refused.context["form"].errors["manager_password"]
    assert not SalesReturn.objects.exists()


def test_search_lists_orders_and_pages_need_the_permission(
    client, till, sell, stocked, make_operator
):
    order = sell([("COLA", 1)])
    found = till.get("/returns/", {"q": order.order_no[-4:]})
    assert order.order_no in found.content.decode()
    client.force_login(make_operator("marketing"))
    assert client.get("/returns/").status_code == 403


def test_settings_page_saves_and_audits(client, make_operator):
    from huiyuan.core.models import AuditEvent
    from huiyuan.sales.models import ReturnSettings

    manager = make_operator("admin")
    grant(manager, "view_returnsettings", "change_returnsettings")
    client.force_login(manager)
    assert client.get("/returns/settings/").status_code == 200
    answer = client.post(
        "/returns/settings/", {"points_shortfall": "deduct", "used_issued_coupon": "keep"}
    )
    assert answer.status_code == 302
    settings = ReturnSettings.current()
    assert (settings.points_shortfall, settings.used_issued_coupon) == ("deduct", "keep")
    event = AuditEvent.objects.get(action="return_settings.update")
    assert event.after == {"points_shortfall": "deduct", "used_issued_coupon": "keep"}
    bad = client.post("/returns/settings/", {"points_shortfall": "x", "used_issued_coupon": "keep"})
    assert bad.context["form"].errors["points_shortfall"]


def test_another_stores_orders_are_not_found_shown_or_returned(
    client, sell, stocked, make_operator, other_store
):
    order = sell([("COLA", 2)])
    own = grant(make_operator("cashier"), "add_salesreturn", "view_salesreturn")
    client.force_login(own)
    url = f"/returns/order/{order.order_no}/"
    body = {"request_ref": "r1", "refund_method": "original", "qty_1": "1", "confirm": "1"}
    slip = client.post(url, body)["Location"]
    elsewhere = grant(
        make_operator("cashier", stores=[other_store]), "add_salesreturn", "view_salesreturn"
    )
    client.force_login(elsewhere)
    scanned = client.get("/returns/", {"order_no": order.order_no})
    assert scanned.status_code == 200
    assert "找不到这张销售单" in scanned.content.decode()
    assert client.get("/returns/", {"q": order.order_no}).context["orders"] == []
    assert client.get(url).status_code == 404
    assert client.post(url, {**body, "request_ref": "r2"}).status_code == 404
    assert SalesReturn.objects.count() == 1
    assert client.get(slip).status_code == 404
