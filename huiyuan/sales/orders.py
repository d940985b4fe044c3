"""The sale: `place_order` reprices a cart with the quote, checks the payments and writes the
order with everything it moves in one transaction.

What one order writes, in this order (locks as core/ledgers.py says: the points account first,
then stored value; stock levels by product id, so two tills never wait on each other in a
circle):

    the points account and the shift locked (closing the shift waits for the sale) → the order
    row (its sale key unique per store: a retry, even a concurrent one, finds it)
    → lines with their discount snapshots, gifts as free lines → points paid → stored value paid
    (principal/bonus split kept on the payment) → the other tenders (through the gateway) →
    stock out → coupons used → promotion uses → points earned (each line's share kept on the
    line for returns; the points app's signal upgrades the tier) → coupons issued → audit.

Decisions:
- The order number is the store code, the day (yyyymmdd, Asia/Shanghai) and a daily sequence of
  at least four digits (core.sequences, gaps allowed): SH01202611240001, printable as Code 128.
- Payments add up to the payable amount exactly, except cash, which may exceed what is left for
  it (the change is given back); the other tenders together must not exceed the payable amount.
  One stored-value and one points payment at most; the points payment equals what
  `points_to_use` is worth (the quote's rule), else PAYMENT_MISMATCH.
- `expected_payable_fen` is the payable amount before the points payment (the quote's
  `payable_fen`); a difference is PRICE_CHANGED and nothing is written.
- A coupon sent with the sale that the coupons app or the cart refuses fails the sale with its
  code (the cashier sees it on the quote first).
- Gifts with purchase and gift coupons become free lines (`is_gift`, a `gift` discount equal to
  their list price) so the receipt shows them and their stock leaves through the sale.
- Points earned on the order leave out what stored value and points paid when the program says
  so; each earning line's share is `allocate(points, line totals)`.
- The same sale key at the same store returns the first order when the sale asks for the same
  (`sale_fingerprint`: lines, member, coupons, points, payments, the payable seen; not the
  stored-value password, which the till doesn't keep for a retry), else IDEMPOTENCY_KEY_REUSED:
  another till or API key of the store that happens to send the key never gets that order as
  its own.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.catalog.models import Product
from huiyuan.catalog.selectors import category_code_paths
from huiyuan.core import audit, sequences
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.money import allocate, format_fen
from huiyuan.coupons import triggers
from huiyuan.coupons.models import Coupon
from huiyuan.coupons.services import mark_used
from huiyuan.inventory.models import MoveKind
from huiyuan.inventory.services import location_for, post_move
from huiyuan.points import services as points_services
from huiyuan.points.earning import PointsQuote, PurchaseLine, points_for_purchase
from huiyuan.points.models import PointsProgram
from huiyuan.promotions.services import record_use
from huiyuan.sales import shifts
from huiyuan.sales import tenders as tendering
from huiyuan.sales.models import (
    LineDiscount,
    Order,
    OrderCoupon,
    OrderLine,
    Payment,
    Tender,
)
from huiyuan.sales.quote import LineIn, Quote, quote
from huiyuan.sales.sale_keys import checked_key, existing_order, sale_fingerprint
from huiyuan.sales.tenders import EXTERNAL, PaymentIn, Tenders, checked_payments
from huiyuan.wallet.services import spend_stored_value

REF_TYPE = "order"


@dataclass(frozen=True)
class SaleLine(LineIn):
    """A line of a sale: the quote's line plus the salesperson (导购) credited with it."""

    salesperson: object = None  # staff.Operator


def order_number(store, day: datetime.date) -> str:
    stamp = day.strftime("%Y%m%d")
    [number] = sequences.take(f"order:{store.code}:{stamp}")
    return f"{store.code}{stamp}{number:04d}"


def place_order(
    *,
    actor: Actor,
    store,
    sale_key: str,
    lines: list[LineIn],
    payments: list[PaymentIn],
    expected_payable_fen: int,
    member_no: str = "",
    card_no: str = "",
    coupon_codes=(),
    points_to_use: int = 0,
    cashier=None,
    shift=None,
    stored_value_password: str = "",
) -> Order:
    """The sale (see the module's docstring), now."""
    sale_key = checked_key(sale_key)
    fingerprint = sale_fingerprint(
        lines=lines,
        member_no=member_no,
        card_no=card_no,
        coupon_codes=coupon_codes,
        points_to_use=points_to_use,
        payments=payments,
        expected_payable_fen=expected_payable_fen,
    )
    if existing := existing_order(store, sale_key, fingerprint):
        return existing
    at = timezone.now()
    result = quote(
        store=store,
        lines=lines,
        member_no=member_no,
        card_no=card_no,
        coupon_codes=coupon_codes,
        points_to_use=points_to_use,
        at=at,
    )
    _check_coupons(result)
    if expected_payable_fen != result.cart.payable_fen:
        message = _("应付金额已变为 %(amount)s，请重新计价") % {
            "amount": format_fen(result.cart.payable_fen)
        }
        raise DomainError("PRICE_CHANGED", message, fields={"expected_payable_fen": message})
    tenders = checked_payments(payments, result)
    points = _points_earned(result, store, at, tenders)
    try:
        with transaction.atomic():
            return _write(
                actor=actor,
                store=store,
                sale_key=sale_key,
                sale_hash=fingerprint,
                result=result,
                lines=lines,
                tenders=tenders,
                points=points,
                cashier=cashier or actor.operator,
                shift=shift,
                password=stored_value_password,
                at=at,
            )
    except _AlreadyPlaced:
        return existing_order(store, sale_key, fingerprint)


class _AlreadyPlaced(Exception):
    pass


def _check_coupons(result: Quote) -> None:
    if result.refused_coupons:
        refused = result.refused_coupons[0]
        message = f"{refused.coupon_code}：{refused.message}"
        raise DomainError(refused.code, message, fields={"coupon_codes": message})


def _points_earned(result: Quote, store, at, tenders: Tenders) -> tuple[int, list[int]]:
    """The points the order earns and each line's share (0 for lines that earn none). The
    quote's points stand unless a stored-value payment that the program excludes changes them."""
    if result.member is None:
        return 0, [0] * len(result.lines)
    earning = [line for line in result.lines if line.product.earns_points]
    if not earning:
        return 0, [0] * len(result.lines)
    paid = [line.priced.total_fen for line in earning]
    points = result.points.points
    if tenders.stored_value_fen and not PointsProgram.current().earn_on_stored_value:
        points = _points_without_stored_value(result, store, at, tenders, earning).points
    shares = iter(allocate(points, paid) if sum(paid) else [0] * len(paid))
    return points, [next(shares) if line.product.earns_points else 0 for line in result.lines]


def _points_without_stored_value(result: Quote, store, at, tenders, earning) -> PointsQuote:
    """The points again, with the stored-value and points payments shared over the earning and
    the other lines by what they cost (as the quote shares the points payment)."""
    paid = sum(line.priced.total_fen for line in earning)
    weights = [paid, result.cart.payable_fen - paid]
    paths = category_code_paths({line.product.category.path for line in earning})
    return points_for_purchase(
        result.member,
        [
            PurchaseLine(
                line.product.code, line.priced.total_fen, paths[line.product.category.path]
            )
            for line in earning
        ],
        store,
        at,
        paid_by_stored_value_fen=allocate(tenders.stored_value_fen, weights)[0],
        paid_by_points_fen=allocate(tenders.points_fen, weights)[0],
    )


def _write(
    *,
    actor,
    store,
    sale_key,
    sale_hash,
    result: Quote,
    lines,
    tenders: Tenders,
    points,
    cashier,
    shift,
    password,
    at,
) -> Order:
    cart = result.cart
    member = result.member
    points_earned, line_points = points
    order_no = order_number(store, timezone.localdate(at))
    if member is not None:
        points_services.locked_account(member)  # lock order: points, the shift, stored value
    # Closing the shift waits for this sale; one closed meanwhile doesn't get it.
    shift = shifts.hold_open(shift)
    try:
        with transaction.atomic():
            order = Order.objects.create(
                order_no=order_no,
                sale_key=sale_key,
                sale_hash=sale_hash,
                store=store,
                cashier=cashier,
                api_key=actor.api_key,
                shift=shift,
                member=member,
                card=result.card,
                list_total_fen=cart.list_total_fen,
                discount_fen=cart.discount_fen,
                payable_fen=cart.payable_fen,
                tendered_fen=tenders.tendered_fen,
                change_fen=tenders.change_fen,
                points_earned=points_earned,
                points_used=result.points_used,
            )
    except IntegrityError:
        if not Order.objects.filter(store=store, sale_key=sale_key).exists():
            raise
        raise _AlreadyPlaced from None
    order_lines = _write_lines(order, result, lines, line_points)
    _write_payments(actor, order, member, tenders, result, password)
    _move_stock(actor, store, order, order_lines)
    _use_coupons(actor, store, order, result, at)
    _record_promotion_uses(order, result, at)
    issued = []
    if member is not None:
        if points_earned:
            points_services.earn_points(
                actor=actor,
                member=member,
                points=points_earned,
                ref_type=REF_TYPE,
                ref_no=order_no,
                earned_at=at,
            )
        issued = _issue_coupons(actor, order, result, at)
    audit.record(
        actor,
        "order.create",
        order,
        after={
            "member_no": member.member_no if member else "",
            "payable_fen": order.payable_fen,
            "payments": [
                {"method": p.method, "amount_fen": p.amount_fen} for p in tenders.payments
            ],
            "points_earned": points_earned,
            "points_used": order.points_used,
            "coupons_issued": [coupon.code for coupon in issued],
        },
        store=store,
    )
    return order


def _write_lines(order: Order, result: Quote, lines, line_points) -> list[OrderLine]:
    made = []
    for line, sent, points in zip(result.lines, lines, line_points, strict=True):
        priced = line.priced
        made.append(
            OrderLine(
                order=order,
                line_no=priced.line_no,
                product=line.product,
                product_code=line.product.code,
                product_name=line.product.name,
                barcode=line.barcode,
                qty=priced.qty,
                list_price_fen=priced.list_price_fen,
                unit_price_fen=priced.unit_price_fen,
                list_total_fen=priced.list_total_fen,
                discount_fen=priced.discount_fen,
                total_fen=priced.total_fen,
                points_earned=points,
                salesperson=getattr(sent, "salesperson", None),
                add_price_offer_id=line.add_price_offer_id,
            )
        )
    gifts = result.cart.gifts
    products = Product.objects.in_bulk({g.product_code for g in gifts}, field_name="code")
    for number, gift in enumerate(gifts, len(made) + 1):
        product = products[gift.product_code]
        total = product.retail_price_fen * gift.qty
        made.append(
            OrderLine(
                order=order,
                line_no=number,
                product=product,
                product_code=product.code,
                product_name=product.name,
                qty=Decimal(gift.qty),
                list_price_fen=product.retail_price_fen,
                unit_price_fen=product.retail_price_fen,
                list_total_fen=total,
                discount_fen=total,
                total_fen=0,
                is_gift=True,
            )
        )
    made = OrderLine.objects.bulk_create(made)
    discounts = [
        LineDiscount(
            line=row,
            kind=a.kind,
            source_id=a.source_id,
            source_name=a.source_name[:100],
            amount_fen=a.amount_fen,
        )
        for row, line in zip(made, result.lines, strict=False)
        for a in line.priced.adjustments
    ]
    discounts += [
        LineDiscount(
            line=row,
            kind="gift",
            source_id=gift.source_id,
            source_name=gift.source_name[:100],
            amount_fen=row.list_total_fen,
        )
        for row, gift in zip(made[len(result.lines) :], gifts, strict=True)
    ]
    LineDiscount.objects.bulk_create(discounts)
    return made


def _write_payments(actor, order, member, tenders: Tenders, result: Quote, password) -> None:
    rows = []
    for payment in tenders.payments:
        row = Payment(order=order, method=payment.method, amount_fen=payment.amount_fen)
        if payment.method == Tender.POINTS:
            points_services.spend_points(
                actor=actor,
                member=member,
                points=result.points_used,
                ref_type=REF_TYPE,
                ref_no=order.order_no,
                order_total_fen=order.payable_fen,
            )
            row.points = result.points_used
        elif payment.method == Tender.STORED_VALUE:
            try:
                split = spend_stored_value(
                    actor=actor,
                    member=member,
                    amount_fen=payment.amount_fen,
                    ref_type=REF_TYPE,
                    ref_no=order.order_no,
                    password=password or None,
                )
            except DomainError as error:
                raise DomainError(
                    error.code,
                    error.custom_message,
                    field="stored_value_password"
                    if error.code.startswith("PAYMENT_PASSWORD")
                    else "payments",
                ) from None
            row.principal_fen, row.bonus_fen = split.principal_fen, split.bonus_fen
        elif payment.method in EXTERNAL:
            row.external_ref = tendering.gateway.capture(
                order_no=order.order_no,
                method=payment.method,
                amount_fen=payment.amount_fen,
                external_ref=payment.external_ref.strip()[:64],
            )
        rows.append(row)
    Payment.objects.bulk_create(rows)


def _move_stock(actor, store, order, order_lines) -> None:
    floor = location_for(store)
    floor.store = store  # post_move reads the store's negative-stock setting: no query a line
    for line in sorted(order_lines, key=lambda row: (row.product_id, row.line_no)):
        post_move(
            actor=actor,
            location=floor,
            product=line.product,
            kind=MoveKind.SALE,
            qty=-line.qty,
            ref_type=REF_TYPE,
            ref_no=order.order_no,
        )


def _use_coupons(actor, store, order, result: Quote, at) -> None:
    ids = result.cart.applied_coupon_ids
    if not ids:
        return
    amounts = {a.source_id: a.amount_fen for a in result.cart.coupon_adjustments}
    coupons = Coupon.objects.in_bulk(ids)
    rows = []
    for coupon_id in sorted(set(ids)):
        mark_used(coupons[coupon_id], order_ref=order.order_no, store=store, actor=actor, at=at)
        rows.append(
            OrderCoupon(
                order=order,
                coupon_id=coupon_id,
                role=OrderCoupon.Role.USED,
                amount_fen=amounts.get(coupon_id, 0),
            )
        )
    OrderCoupon.objects.bulk_create(rows)


def _record_promotion_uses(order, result: Quote, at) -> None:
    """Every promotion that gave the order something: its discount (gifts and coupons: 0)."""
    given: dict[int, int] = defaultdict(int)
    for line in result.lines:
        for adjustment in line.priced.adjustments:
            if adjustment.kind in ("promotion", "add_price"):
                given[adjustment.source_id] += adjustment.amount_fen
    for gift in result.cart.gifts:
        if gift.kind == "promotion":
            given[gift.source_id] += 0
    for issue in result.coupons_to_issue:
        given[issue.offer.promotion_id] += 0
    for promotion_id in sorted(given):
        record_use(promotion_id, order.member, given[promotion_id], order.order_no, at)


def _issue_coupons(actor, order, result: Quote, at) -> list[Coupon]:
    member = order.member
    first = not Order.objects.filter(member=member).exclude(pk=order.pk).exists()
    issued = triggers.on_purchase(
        member=member,
        order_ref=order.order_no,
        at=at,
        coupons_to_issue=[issue.offer for issue in result.coupons_to_issue],
        actor=actor,
        first_purchase=first,
        amount_fen=order.payable_fen,
    )
    OrderCoupon.objects.bulk_create(
        [OrderCoupon(order=order, coupon=c, role=OrderCoupon.Role.ISSUED) for c in issued]
    )
    return issued
