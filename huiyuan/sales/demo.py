"""Demo orders, after every other demo: twelve months of till sales across the demo stores, about
two in three by members (some paying part with stored value or points, some with a coupon a
previous purchase earned), the rest walk-in customers paying cash, WeChat, Alipay or bank card.

Each sale goes through `place_order`, the till's own path, at its moment in the past: the clock
(`django.utils.timezone.now`) is set to the sale's time while it runs, so the order, its ledger
rows, points lots, coupons and stock moves all carry that time, promotions and member days apply
as they would have, and `verify_ledgers` passes. A sale the data refuses (a product out of stock,
a card lost since) is skipped, as a till would refuse it. About one sale in twenty-five comes back
within the hour: one piece (or the weighed goods) of its last line, through `return_lines`.

`load()` is idempotent: it writes only while no demo order exists (sale keys start "demo-").
"""

import datetime
import random
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from django.utils import timezone

from huiyuan.cards.models import Card
from huiyuan.catalog.models import Product
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import Store
from huiyuan.coupons.models import Coupon, CouponState
from huiyuan.inventory.models import StockLevel
from huiyuan.members.models import Member
from huiyuan.points.models import PointsProgram
from huiyuan.points.payment import max_points_payable
from huiyuan.points.selectors import points_balance
from huiyuan.sales.models import Order, Tender
from huiyuan.sales.orders import SaleLine, place_order
from huiyuan.sales.quote import quote
from huiyuan.sales.returns import return_lines
from huiyuan.sales.tenders import EXTERNAL, PaymentIn
from huiyuan.staff.models import Operator
from huiyuan.wallet.models import StoredValueAccount, WalletSettings

KEY_PREFIX = "demo-"
SALES = 240  # over twelve months: most days one
RECENT_SALES = 120  # and a busier last month, while the demo promotions run (from the 1st)
DAYS = 365
RECENT_DAYS = 30
MEMBER_SHARE = 0.65
REGULARS = 40  # members who shop often (half of them hold stored value): most member sales
REGULAR_SHARE = 0.7
MEMBER_DAY_SHARE = 0.4  # of the last month's sales, on its Tuesdays (周二会员日)
OPENING_HOURS = (9, 21)
RETURN_SHARE = 0.04


@contextmanager
def _clock(moment: datetime.datetime):
    """`timezone.now()` answers `moment` meanwhile (auto_now_add fields included)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def load() -> int:
    """Returns the number of demo orders written (0 when already loaded)."""
    if Order.objects.filter(sale_key__startswith=KEY_PREFIX).exists():
        return 0
    stores = list(Store.objects.filter(is_active=True).order_by("code"))
    if not stores:
        return 0
    rng = random.Random(8)
    shelves = {store.pk: _shelf(store) for store in stores}
    members = list(
        Member.objects.filter(status=Member.Status.ACTIVE, cards__status__in=Card.LIVE)
        .distinct()
        .order_by("member_no")
    )
    regulars = _regulars(rng, members)
    cashiers = _cashiers(stores)
    now = timezone.now()
    moments = sorted(
        [_moment(rng, now, DAYS) for _ in range(SALES)]
        + [
            _moment(rng, now, RECENT_DAYS, tuesday=rng.random() < MEMBER_DAY_SHARE)
            for _ in range(RECENT_SALES)
        ]
    )
    written = 0
    for number, moment in enumerate(moments, 1):
        store = rng.choice(stores)
        member = None
        if members and rng.random() < MEMBER_SHARE:
            member = rng.choice(regulars if rng.random() < REGULAR_SHARE else members)
        items = _items(rng, shelves[store.pk])
        if not items:
            continue
        with _clock(moment):
            order = _sell(rng, f"{KEY_PREFIX}{number:05d}", store, member, items, cashiers)
        if order is None:
            continue
        written += 1
        for line in order.lines.all():
            shelves[store.pk][line.product_id] -= line.qty
        if rng.random() < RETURN_SHARE:
            with _clock(moment + datetime.timedelta(minutes=rng.randint(10, 60))):
                product_id, qty = _return_last_line(order)
            shelves[store.pk][product_id] += qty
    return written


def _moment(rng, now: datetime.datetime, days: int, tuesday=False) -> datetime.datetime:
    day = timezone.localdate(now) - datetime.timedelta(days=rng.randint(1, days))
    if tuesday:
        day -= datetime.timedelta(days=(day.weekday() - 1) % 7)
    hour = rng.randint(*OPENING_HOURS)
    local = datetime.datetime.combine(day, datetime.time(hour, rng.randint(0, 59)))
    return timezone.make_aware(local)


def _regulars(rng: random.Random, members: list) -> list:
    holders = set(
        StoredValueAccount.objects.filter(principal_fen__gt=0, payment_password="").values_list(
            "member_id", flat=True
        )
    )
    with_value = [m for m in members if m.pk in holders]
    others = [m for m in members if m.pk not in holders]
    half = REGULARS // 2
    picked = rng.sample(with_value, min(half, len(with_value)))
    return picked + rng.sample(others, min(REGULARS - len(picked), len(others))) or members


def _shelf(store) -> dict[int, Decimal]:
    """product id → what the shop floor holds (available), for sellable goods."""
    levels = StockLevel.objects.filter(
        location__store=store,
        location__kind="floor",
        product__status=Product.Status.ACTIVE,
        product__is_service=False,
    )
    return {level.product_id: level.available for level in levels if level.available > 0}


def _items(rng: random.Random, shelf: dict[int, Decimal]) -> list[tuple[Product, Decimal]]:
    choices = [pk for pk, qty in shelf.items() if qty >= 1]
    if not choices:
        return []
    picked = rng.sample(choices, min(len(choices), rng.randint(1, 5)))
    products = Product.objects.in_bulk(picked)
    items = []
    for pk in picked:
        product = products[pk]
        if product.is_weighed:
            qty = Decimal(rng.randint(200, 1500)) / 1000
        else:
            qty = Decimal(rng.choice((1, 1, 1, 2, 3)))
        items.append((product, min(qty, shelf[pk])))
    return items


def _cashiers(stores) -> dict[int, list]:
    return {
        store.pk: list(Operator.objects.filter(stores=store, is_active=True).order_by("pk")[:3])
        for store in stores
    }


def _sell(rng, sale_key, store, member, items, cashiers) -> Order | None:
    lines = [SaleLine(product_code=product.code, qty=qty) for product, qty in items]
    member_no = member.member_no if member else ""
    codes = _coupon(member) if member and rng.random() < 0.7 else []
    try:
        priced = quote(store=store, lines=lines, member_no=member_no, coupon_codes=codes)
        if priced.refused_coupons:
            codes = []
            priced = quote(store=store, lines=lines, member_no=member_no)
        points = _points(rng, member, priced.cart.payable_fen)
        if points:
            priced = quote(
                store=store, lines=lines, member_no=member_no, coupon_codes=codes,
                points_to_use=points,
            )  # fmt: skip
        payments = _payments(rng, member, priced)
        staff = cashiers.get(store.pk) or [None]
        return place_order(
            actor=Actor(operator=staff[0], store=store),
            store=store,
            sale_key=sale_key,
            lines=lines,
            member_no=member_no,
            coupon_codes=codes,
            points_to_use=points,
            payments=payments,
            expected_payable_fen=priced.cart.payable_fen,
            cashier=rng.choice(staff),
        )
    except DomainError:
        return None


def _return_last_line(order: Order) -> tuple[int, Decimal]:
    """The customer brings back one piece (or the weighed goods) of the order's last line;
    returns the product and quantity back on the shelf (none when the return is refused)."""
    line = order.lines.order_by("-line_no").first()
    qty = line.qty if line.qty < 1 or line.qty % 1 else Decimal(1)
    try:
        return_lines(
            actor=Actor(operator=order.cashier, store=order.store),
            order=order,
            lines=[(line, qty)],
            reason="演示退货",
            request_key=f"{order.sale_key}-return",
        )
    except DomainError:
        return line.product_id, Decimal(0)
    return line.product_id, qty


def _coupon(member) -> list[str]:
    """An issued coupon of the member's valid today (one an earlier purchase earned)."""
    today = timezone.localdate()
    coupon = (
        Coupon.objects.filter(
            member=member,
            state=CouponState.ISSUED,
            valid_from__lte=today,
            valid_until__gte=today,
        )
        .order_by("valid_until")
        .first()
    )
    return [coupon.code] if coupon else []


def _points(rng, member, payable_fen: int) -> int:
    if member is None or rng.random() > 0.15:
        return 0
    return max_points_payable(PointsProgram.current(), payable_fen, points_balance(member))


def _payments(rng, member, priced) -> list[PaymentIn]:
    payments = []
    if priced.points_payment_fen:
        payments.append(PaymentIn(Tender.POINTS, priced.points_payment_fen))
    left = priced.to_pay_fen
    stored_value = _stored_value(member) if rng.random() < 0.7 else 0
    if left and stored_value:
        paid = min(left, stored_value)
        payments.append(PaymentIn(Tender.STORED_VALUE, paid))
        left -= paid
    if left:
        if rng.random() < 0.5:
            given = -(-left // 1000) * 1000 if rng.random() < 0.6 else left  # rounded up to ¥10
            payments.append(PaymentIn(Tender.CASH, given))
        else:
            method = rng.choice(EXTERNAL)
            payments.append(PaymentIn(method, left, f"{rng.randrange(10**15, 10**16)}"))
    return payments


def _stored_value(member) -> int:
    """What the member may pay from stored value without a password (0: none)."""
    if member is None or WalletSettings.current().password_required:
        return 0
    account = StoredValueAccount.objects.filter(member=member, payment_password="").first()
    return account.total_fen if account else 0
