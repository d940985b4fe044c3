"""交班: opening with a float, one open shift per cashier and store, the report's sales, returns,
tenders and expected cash, closing with counted cash, and the pages."""

import pytest
from django.db import transaction
from django.urls import reverse

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import AuditEvent
from huiyuan.sales import shifts
from huiyuan.sales.models import Shift
from huiyuan.wallet.models import TopUp
from tests.sales.bills_fixtures import cashier_of, grant, make_order, make_return, manager_of


@pytest.fixture
def cashier(make_operator):
    return cashier_of(make_operator)


@pytest.fixture
def manager(make_operator):
    return manager_of(make_operator)


def actor(operator, store):
    return Actor(operator=operator, store=store)


@pytest.fixture
def shift(cashier, store):
    return shifts.open_shift(actor=actor(cashier, store), store=store, float_fen=50000)


def test_open_shift_is_current_and_audited(shift, cashier, store, other_store):
    assert shifts.current_shift(cashier, store) == shift
    assert shifts.current_shift(cashier, other_store) is None
    assert shifts.current_shift(None, store) is None
    event = AuditEvent.objects.get(action="shift.open")
    assert event.after == {"float_fen": 50000}
    assert event.store == store


def test_one_open_shift_per_cashier_and_store(shift, cashier, store):
    with pytest.raises(DomainError) as refused:
        shifts.open_shift(actor=actor(cashier, store), store=store, float_fen=0)
    assert "float_fen" in refused.value.fields
    assert Shift.objects.count() == 1


def test_negative_float_is_refused(cashier, store):
    with pytest.raises(DomainError) as refused:
        shifts.open_shift(actor=actor(cashier, store), store=store, float_fen=-1)
    assert refused.value.fields == {"float_fen": refused.value.message}


def test_report_counts_sales_returns_and_each_tender(shift, cashier, store, register):
    member = register()
    # A ¥100 note for ¥88 (the Payment is the note, ¥12 change); the rest by card.
    sale = make_order(
        store=store,
        cashier=cashier,
        shift=shift,
        member=member,
        payments=[("cash", 10000), ("bank_card", 3000)],
        change_fen=1200,
    )
    make_order(
        store=store,
        cashier=cashier,
        shift=shift,
        payments=[("wechat", 500), ("stored_value", 700), ("points", 100, {"points": 1000})],
    )
    make_order(store=store, cashier=cashier, payments=[("cash", 99999)])  # no shift: not counted
    make_return(sale, shift=shift, cashier=cashier, refunds=[("cash", 1800)])

    report = shifts.shift_report(shift)

    assert (report.order_count, report.sales_fen, report.change_fen) == (2, 13100, 1200)
    assert report.cash_received_fen == 10000
    assert (report.return_count, report.refund_fen, report.net_sales_fen) == (1, 1800, 11300)
    tenders = {line.method: (line.sales_fen, line.refunds_fen) for line in report.tenders}
    assert tenders == {
        "cash": (8800, 1800),
        "bank_card": (3000, 0),
        "wechat": (500, 0),
        "alipay": (0, 0),
        "stored_value": (700, 0),
        "points": (100, 0),
    }
    assert next(line for line in report.tenders if line.method == "points").points == 1000
    assert report.expected_cash_fen == 50000 + 8800 - 1800


def test_cash_top_ups_by_the_cashier_count_in_the_drawer(shift, cashier, store, register):
    member = register()

    def top_up(number, method, operator=cashier):
        TopUp.objects.create(
            number=number,
            member=member,
            amount_fen=10000,
            payment_method=method,
            store=store,
            operator=operator,
        )

    top_up("T1", "cash")
    top_up("T2", "wechat")
    top_up("T3", "cash", operator=None)  # not this cashier's

    report = shifts.shift_report(shift)

    assert report.topup_count == 2
    assert report.desk_cash_fen == 10000
    assert report.expected_cash_fen == 60000


def test_close_stores_expected_and_counted(shift, cashier, store):
    make_order(store=store, cashier=cashier, shift=shift, payments=[("cash", 2500)])

    closed = shifts.close_shift(
        actor=actor(cashier, store), shift=shift, counted_cash_fen=52000, note=" 少一张五元 "
    )

    assert closed.closed_at is not None
    assert (closed.expected_cash_fen, closed.counted_cash_fen) == (52500, 52000)
    assert closed.note == "少一张五元"
    assert shifts.shift_report(closed).difference_fen == -500
    assert shifts.current_shift(cashier, store) is None
    event = AuditEvent.objects.get(action="shift.close")
    assert event.after["difference_fen"] == -500
    # A later order on the closed shift (it shouldn't happen) doesn't move the stored figure.
    make_order(store=store, cashier=cashier, shift=closed, payments=[("cash", 100)])
    assert shifts.shift_report(closed).expected_cash_fen == 52500


def test_closing_twice_is_refused(shift, cashier, store):
    shifts.close_shift(actor=actor(cashier, store), shift=shift, counted_cash_fen=50000)
    with pytest.raises(DomainError):
        shifts.close_shift(actor=actor(cashier, store), shift=shift, counted_cash_fen=1)
    assert Shift.objects.get().counted_cash_fen == 50000


def test_a_new_shift_after_closing(shift, cashier, store):
    shifts.close_shift(actor=actor(cashier, store), shift=shift, counted_cash_fen=50000)
    again = shifts.open_shift(actor=actor(cashier, store), store=store, float_fen=0)
    assert shifts.current_shift(cashier, store) == again


def test_hold_open_gives_the_shift_only_while_open(shift, cashier, store):
    assert shifts.hold_open(None) is None
    with transaction.atomic():
        assert shifts.hold_open(shift) == shift
    shifts.close_shift(actor=actor(cashier, store), shift=shift, counted_cash_fen=50000)
    with transaction.atomic():
        assert shifts.hold_open(shift) is None


# Pages


def test_open_and_close_through_the_pages(client, cashier, store):
    client.force_login(cashier)
    page = client.get(reverse("shifts:list"))
    assert b'data-testid="open-form"' in page.content

    opened = client.post(reverse("shifts:open"), {"float_fen": "500"})
    shift = Shift.objects.get()
    assert opened.url == reverse("shifts:detail", args=[shift.pk])
    assert (shift.float_fen, shift.cashier) == (50000, cashier)

    detail = client.get(opened.url)
    assert b'data-testid="close-form"' in detail.content
    closed = client.post(reverse("shifts:close", args=[shift.pk]), {"counted_cash_fen": "499.5"})
    assert closed.status_code == 302
    shift.refresh_from_db()
    assert (shift.counted_cash_fen, shift.expected_cash_fen) == (49950, 50000)
    report = client.get(closed.url).content.decode()
    assert 'data-testid="difference">-¥0.50' in report
    assert "短款" in report


def test_second_open_shows_the_message_on_the_field(client, cashier, store, shift):
    client.force_login(cashier)
    page = client.post(reverse("shifts:open"), {"float_fen": "10"})
    assert page.status_code == 200
    assert "已有未交班的班次" in page.content.decode()
    assert Shift.objects.count() == 1


def test_bad_counted_cash_is_shown_on_the_field(client, cashier, shift):
    client.force_login(cashier)
    page = client.post(reverse("shifts:close", args=[shift.pk]), {"counted_cash_fen": "abc"})
    assert page.status_code == 200
    assert "is-invalid" in page.content.decode()
    shift.refresh_from_db()
    assert shift.closed_at is None


def test_a_cashier_sees_only_their_own_shifts(client, cashier, make_operator, store, shift):
    other = make_operator("cashier", username="other")
    grant(other, "add_shift")
    client.force_login(other)
    assert client.get(reverse("shifts:detail", args=[shift.pk])).status_code == 404
    assert (
        client.post(reverse("shifts:close", args=[shift.pk]), {"counted_cash_fen": "1"}).status_code
        == 404
    )


def test_a_manager_sees_and_closes_every_shift_of_the_store(client, manager, shift, store):
    client.force_login(manager)
    listing = client.get(reverse("shifts:list")).content.decode()
    assert reverse("shifts:detail", args=[shift.pk]) in listing
    closed = client.post(reverse("shifts:close", args=[shift.pk]), {"counted_cash_fen": "500"})
    assert closed.status_code == 302
    shift.refresh_from_db()
    assert shift.closed_at is not None


def test_a_manager_filters_shifts_by_cashier_and_day(client, manager, shift, make_operator, store):
    other = make_operator("cashier", username="other")
    grant(other, "add_shift")
    theirs = shifts.open_shift(actor=actor(other, store), store=store, float_fen=0)
    client.force_login(manager)

    def listed(**filters):
        page = client.get(reverse("shifts:list"), filters).context["page"]
        return [row.pk for row in page]

    assert listed() == [theirs.pk, shift.pk]
    assert listed(cashier=other.pk) == [theirs.pk]
    assert listed(date_to="2001-01-01") == []


def test_a_manager_of_another_store_does_not_see_it(client, make_operator, shift, other_store):
    elsewhere = make_operator("store_manager", username="elsewhere", stores=[other_store])
    grant(elsewhere, "view_shift", "change_shift")
    client.force_login(elsewhere)
    assert client.get(reverse("shifts:detail", args=[shift.pk])).status_code == 404


def test_without_shift_permissions_the_pages_are_refused(client, make_operator):
    client.force_login(make_operator("marketing"))
    assert client.get(reverse("shifts:list")).status_code == 403


@pytest.mark.parametrize("paper", ["", "?paper=a4"])
def test_printable_report(client, cashier, shift, store, paper):
    make_order(store=store, cashier=cashier, shift=shift, payments=[("alipay", 1234)])
    client.force_login(cashier)
    page = client.get(reverse("shifts:print", args=[shift.pk]) + paper).content.decode()
    assert "¥12.34" in page
    assert ("size: A4" in page) == bool(paper)
