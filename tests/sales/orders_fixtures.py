"""Fixtures for orders (tests/sales/test_orders*, tests/api/test_orders*, and returns): stock on
the shelf, a member with stored value, and `sell(...)` — a sale through `place_order` priced by
the quote first, as a till does."""

import datetime
import itertools
from decimal import Decimal

import pytest

from huiyuan.inventory.models import MoveKind
from huiyuan.inventory.services import location_for, post_move
from huiyuan.sales.orders import SaleLine, place_order
from huiyuan.sales.quote import quote
from huiyuan.sales.tenders import PaymentIn
from tests.sales.fixtures import SYSTEM


@pytest.fixture
def stocked(store, goods):
    """100 of each of the goods on the store's shop floor."""
    floor = location_for(store)
    for product in goods.values():
        post_move(
            actor=SYSTEM,
            location=floor,
            product=product,
            kind=MoveKind.RECEIPT,
            qty=Decimal(100),
            unit_cost_fen=product.retail_price_fen // 2,
        )
    return goods


@pytest.fixture
def with_stored_value(card_type):
    """with_stored_value(member, amount_fen, bonus_fen=0) → topped up (the bonus by a rule)."""
    from huiyuan.wallet.models import TopUpBonusRule
    from huiyuan.wallet.services import top_up

    card_type.has_stored_value = True
    card_type.save(update_fields=["has_stored_value"])

    def make(member, amount_fen, bonus_fen=0):
        rule = None
        if bonus_fen:
            rule = TopUpBonusRule.objects.create(
                name="充值送", threshold_fen=amount_fen, bonus_fen=bonus_fen
            )
        top_up(actor=SYSTEM, member=member, amount_fen=amount_fen, payment_method="cash")
        if rule:
            TopUpBonusRule.objects.filter(pk=rule.pk).update(ends_on=datetime.date(2000, 1, 1))
        return member

    return make


@pytest.fixture
def clerk(make_operator):
    """A cashier who may see orders (sales.view_order, until the built-in roles grant it)."""
    from django.contrib.auth.models import Permission

    operator = make_operator("cashier")
    operator.user_permissions.add(Permission.objects.get(codename="view_order"))
    return operator


@pytest.fixture
def sell(store):
    """sell([("RICE", 1), …], member=…, pay=[("cash", fen), …] or None (all cash), **more)
    → the order. The expected payable is the quote's unless given."""
    keys = itertools.count(1)

    def make(items, member=None, pay=None, sale_key=None, expected=None, **more):
        lines = [
            SaleLine(product_code=code, qty=Decimal(str(qty)), **extra)
            for code, qty, *rest in items
            for extra in [rest[0] if rest else {}]
        ]
        member_no = member.member_no if member else ""
        priced = quote(
            store=store,
            lines=lines,
            member_no=member_no,
            coupon_codes=more.get("coupon_codes", ()),
            points_to_use=more.get("points_to_use", 0),
        )
        if pay is None:
            pay = [("cash", priced.to_pay_fen)] if priced.to_pay_fen else []
            if priced.points_payment_fen:
                pay.append(("points", priced.points_payment_fen))
        return place_order(
            actor=more.pop("actor", SYSTEM),
            store=store,
            sale_key=sale_key or f"test-{next(keys)}",
            lines=lines,
            member_no=member_no,
            payments=[PaymentIn(*p) for p in pay],
            expected_payable_fen=priced.cart.payable_fen if expected is None else expected,
            **more,
        )

    return make
