"""记账单: every bill kind in one list, filters, totals per kind, detail links, store scope, the
xlsx export, and a fixed number of queries whatever the rows."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from huiyuan.core.actors import Actor
from huiyuan.gifts.models import GiftRedemption
from huiyuan.sales import bills
from huiyuan.wallet import count_cards
from huiyuan.wallet.services import top_up
from tests.sales.bills_fixtures import make_order, make_return, manager_of


@pytest.fixture
def manager(make_operator):
    return manager_of(make_operator)


@pytest.fixture
def customer(register, stored_value_card_type):
    return register(card_type=stored_value_card_type)


def every_kind(*, store, operator, member, package):
    """One bill of each kind at `store` by `operator` (the top-up also earns no points)."""
    actor = Actor(operator=operator, store=store)
    top_up(actor=actor, member=member, amount_fen=10000, payment_method="cash")
    holding = count_cards.sell_count_card(
        actor=actor, member=member, package=package, payment_method="wechat"
    )
    count_cards.use_count_card(actor=actor, member=member, holding_id=holding.pk)
    from huiyuan.points.services import earn_points

    earn_points(actor=actor, member=member, points=300)
    sale = make_order(
        store=store,
        cashier=operator,
        member=member,
        payments=[("cash", 5000), ("stored_value", 2000)],
        change_fen=500,
    )
    GiftRedemption.objects.create(
        number=f"LP{GiftRedemption.objects.count() + 1:010d}",
        member=member,
        store=store,
        operator=operator,
        total_points=100,
        points_after=200,
    )
    make_return(sale, cashier=operator, refunds=[("cash", 1000)])
    return sale


def total_of(rows, code):
    return next(total for total in rows if total.kind.code == code)


def test_every_kind_is_listed_with_its_totals(manager, store, customer, car_wash):
    sale = every_kind(store=store, operator=manager, member=customer, package=car_wash)

    rows = bills.hydrate(bills.bills(bills.Filters(), manager))
    kinds = {row.kind.code for row in rows}
    assert kinds == {kind.code for kind in bills.KINDS}
    totals = bills.totals(bills.Filters(), manager)
    assert (total_of(totals, "topup").count, total_of(totals, "topup").amount_fen) == (1, 10000)
    assert total_of(totals, "count_card_sale").amount_fen == 30000
    assert total_of(totals, "count_card_sale").uses == 10
    assert total_of(totals, "count_card_use").uses == 1
    # Cash covered ¥45 of the ¥50 handed over; stored value ¥20.
    assert total_of(totals, "cash").amount_fen == 4500
    assert total_of(totals, "stored_value").amount_fen == 2000
    assert total_of(totals, "gift").points == 100
    assert total_of(totals, "return").amount_fen == 1000
    assert total_of(totals, "points").points == 300  # the sale wrote no points: a model fixture
    cash = next(row for row in rows if row.kind.code == "cash")
    assert (cash.number, cash.member, cash.who) == (sale.order_no, customer, str(manager))


def test_filter_by_kind_and_member(manager, store, customer, car_wash, register):
    every_kind(store=store, operator=manager, member=customer, package=car_wash)
    stranger = register(name="李四", phone="13900139000")
    make_order(store=store, cashier=manager, member=stranger, payments=[("cash", 100)])

    cash = bills.bills(bills.Filters(kind="cash"), manager)
    assert [row["b_kind"] for row in cash] == ["cash", "cash"]
    mine = bills.bills(bills.Filters(kind="cash", q=customer.phone), manager)
    assert len(mine) == 1
    by_number = bills.bills(bills.Filters(q=mine[0]["b_number"]), manager)
    assert {row["b_kind"] for row in by_number} == {"cash", "stored_value"}
    assert [total.kind.code for total in bills.totals(bills.Filters(kind="gift"), manager)] == [
        "gift"
    ]


def test_filter_by_date_and_operator(manager, make_operator, store, customer, car_wash):
    every_kind(store=store, operator=manager, member=customer, package=car_wash)
    other = make_operator("cashier", username="other")
    make_order(store=store, cashier=other, payments=[("cash", 700)])

    theirs = bills.bills(bills.Filters(operator=other), manager)
    assert [(row["b_kind"], row["b_amount"]) for row in theirs] == [("cash", 700)]
    today = theirs[0]["b_at"].date()
    assert len(bills.bills(bills.Filters(date_to=today.replace(year=2000)), manager)) == 0


def test_an_operator_sees_only_their_stores(
    manager, make_operator, store, other_store, customer, car_wash
):
    every_kind(store=store, operator=manager, member=customer, package=car_wash)
    elsewhere = make_operator("store_manager", username="elsewhere", stores=[other_store])
    make_order(store=other_store, cashier=elsewhere, payments=[("cash", 300)])

    seen = bills.bills(bills.Filters(), elsewhere)
    assert [(row["b_kind"], row["b_store"]) for row in seen] == [("cash", other_store.pk)]
    assert len(bills.bills(bills.Filters(), manager)) > 1
    admin = make_operator("admin", username="boss")
    assert (
        len(bills.bills(bills.Filters(), admin)) == len(bills.bills(bills.Filters(), manager)) + 1
    )


def test_rows_link_to_their_detail_pages(manager, store, customer, car_wash):
    every_kind(store=store, operator=manager, member=customer, package=car_wash)
    urls = {row.kind.code: row.url for row in bills.hydrate(bills.bills(bills.Filters(), manager))}
    assert urls["topup"].startswith("/wallet/topups/")
    assert urls["points"] == reverse("points:ledger", args=[customer.member_no])
    assert urls["count_card_use"] == reverse("wallet:count_card_ledger", args=[customer.member_no])
    assert urls["gift"].startswith("/gifts/redemptions/LP")
    assert urls["cash"].startswith("/orders/")


# The page


def test_page_lists_filters_and_totals(client, manager, store, customer, car_wash):
    every_kind(store=store, operator=manager, member=customer, package=car_wash)
    client.force_login(manager)
    page = client.get(reverse("bills:list"), {"kind": "topup"}).content.decode()
    assert 'data-kind="topup"' in page
    assert "<td>储值记录</td>" in page
    assert "<td>现金支付记录</td>" not in page


def test_page_needs_the_permission(client, make_operator):
    client.force_login(make_operator("marketing"))
    assert client.get(reverse("bills:list")).status_code == 403


def test_bad_filters_are_shown_not_failed(client, manager):
    client.force_login(manager)
    page = client.get(reverse("bills:list"), {"date_from": "1900-01-01", "kind": "nope"})
    assert page.status_code == 200
    assert "2000" in page.content.decode()


def test_queries_per_page_do_not_grow_with_rows(client, manager, store, customer, car_wash):
    client.force_login(manager)
    every_kind(store=store, operator=manager, member=customer, package=car_wash)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("bills:list"))
    for _ in range(3):
        every_kind(store=store, operator=manager, member=customer, package=car_wash)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("bills:list"))
    assert len(many) == len(few)


def test_xlsx_export(client, manager, store, customer, car_wash):
    every_kind(store=store, operator=manager, member=customer, package=car_wash)
    client.force_login(manager)
    answer = client.get(reverse("bills:list"), {"export": "xlsx", "kind": "cash"})
    assert answer["Content-Disposition"].startswith('attachment; filename="bills-')
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.values)
    assert rows[0][:2] == ("类型", "单号")
    assert [(row[0], row[6]) for row in rows[1:]] == [("现金支付记录", 45)]
