"""Orders and returns written straight through the sales models, for the shift report and the
bills page (which only read them): a cashier's shift, an order with its payments, a return with
its refunds."""

import itertools

from django.contrib.auth.models import Permission

from huiyuan.sales.models import Order, Payment, Refund, SalesReturn

_serial = itertools.count(1)


def grant(operator, *codenames):
    """Give `operator` the sales permissions named (`add_shift`, `view_order`, …)."""
    operator.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="sales", codename__in=codenames)
    )


def make_order(*, store, cashier=None, shift=None, member=None, payments, change_fen=0):
    """An order paid by `payments` ([(method, fen) or (method, fen, fields)]) as `place_order`
    records them (cash in full, `change_fen` given back); no lines."""
    tendered = sum(payment[1] for payment in payments)
    payable = tendered - change_fen
    order = Order.objects.create(
        order_no=f"T{next(_serial):08d}",
        store=store,
        cashier=cashier,
        shift=shift,
        member=member,
        list_total_fen=payable,
        discount_fen=0,
        payable_fen=payable,
        tendered_fen=tendered,
        change_fen=change_fen,
    )
    for method, amount, *more in payments:
        Payment.objects.create(order=order, method=method, amount_fen=amount, **(more or [{}])[0])
    return order


def make_return(order, *, refunds, shift=None, cashier=None):
    """A return of `order` refunding `refunds` ([(method, fen)]); no lines."""
    sales_return = SalesReturn.objects.create(
        return_no=f"R{next(_serial):08d}",
        order=order,
        store=order.store,
        cashier=cashier,
        shift=shift,
        refund_fen=sum(amount for _method, amount in refunds),
    )
    for method, amount in refunds:
        Refund.objects.create(sales_return=sales_return, method=method, amount_fen=amount)
    return sales_return


def cashier_of(make_operator):
    """A cashier who opens and closes their own shifts."""
    operator = make_operator("cashier", username="cashier")
    grant(operator, "add_shift")
    return operator


def manager_of(make_operator):
    """A store manager who sees and closes every shift of the store, and the bills."""
    operator = make_operator("store_manager", username="manager")
    grant(operator, "add_shift", "view_shift", "change_shift", "view_order")
    return operator
