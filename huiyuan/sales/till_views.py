"""收银台 pages: the till and the JSON calls of its script (static/till/till.js).

Thin: the cart is read and priced by `sales.till`, the member found by `lookup_member`, the sale
paid by `sales.orders.place_order`. Every call answers JSON; a refusal is
`{"error": {code, message, fields}}` with the code's HTTP status, so the page puts the message
next to its field. Priced parts of the page come back as HTML rendered here (`html`), so every
word on the till is translated like the rest of the back office.
"""

import json
from functools import wraps

from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.jsonbody import storable
from huiyuan.core.pages import permission_page
from huiyuan.coupons.selectors import usable_coupons
from huiyuan.members.selectors import lookup_member
from huiyuan.promotions.selectors import eligible_promotions
from huiyuan.sales import till
from huiyuan.sales.models import Tender
from huiyuan.sales.orders import place_order
from huiyuan.sales.shifts import current_shift

PERMISSION = "sales.add_order"
MAX_BODY = 256 * 1024


def till_call(view):
    """A JSON call of the till: the operator's store required, refusals as JSON."""

    @permission_page(PERMISSION)
    @wraps(view)
    def call(request, *args, **kwargs):
        try:
            if request.store is None:
                raise DomainError("STORE_NOT_FOUND", fields={"store": _("请先在后台顶栏选择门店")})
            return view(request, *args, **kwargs)
        except DomainError as error:
            return JsonResponse(error.as_dict(), status=error.status)

    return call


def _body(request) -> dict:
    if len(request.body) > MAX_BODY:
        raise DomainError("PAYLOAD_TOO_LARGE")
    try:
        data = json.loads(request.body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise DomainError("MALFORMED_JSON") from None
    if not isinstance(data, dict) or not storable(data):  # NUL, lone surrogates: no column
        raise DomainError("MALFORMED_JSON")
    return data


@permission_page(PERMISSION)
@require_GET
def page(request):
    shift = current_shift(request.user, request.store)
    context = {"tenders": Tender.choices, "store": request.store, "shift": shift}
    return render(request, "till/page.html", context)


@till_call
@require_POST
def price(request):
    """The cart priced: the settled cart, the sale's HTML and the amounts the pay dialog needs."""
    cart, result = till.price(store=request.store, cart=till.read_cart(_body(request)))
    return JsonResponse(_priced(request, cart, result))


def _priced(request, cart, result) -> dict:
    if result is None:  # no lines yet: the member panel only
        member, card, summary = till.member_of(cart)
        refused, lines = {}, []
        payable = to_pay = points_fen = 0
    else:
        member, card, summary = result.member, result.card, result.summary
        refused = {r.coupon_code: r.message for r in result.refused_coupons}
        lines = result.lines
        payable, to_pay = result.cart.payable_fen, result.to_pay_fen
        points_fen = result.points_payment_fen
    if refused:  # a refused coupon takes nothing off: the quote stands without it
        kept = tuple(code for code in cart.coupon_codes if code not in refused)
        cart = till.Cart(cart.lines, cart.member_no, cart.card_no, kept, cart.points_to_use)
    context = {
        "quote": result,
        "lines": [{"line": line, "index": index} for index, line in enumerate(lines)],
        "member": member,
        "card": card,
        "summary": summary,
        **(_handouts(result) if result else {}),
        **_member_context(request, member),
    }
    return {
        "cart": cart.as_json(),
        "html": render_to_string("till/_sale.html", context, request=request),
        "line_kinds": ["counted" if till.is_counted(line) else "single" for line in lines],
        "payable_fen": payable,
        "points_payment_fen": points_fen,
        "to_pay_fen": to_pay,
        "stored_value_fen": summary.stored_value_fen if summary else 0,
        "points": summary.points if summary else 0,
        "refused_coupons": refused,
    }


def _handouts(result) -> dict:
    """The add-price items on offer (one per offer: those taken are left out) and the gifts,
    with their products' names."""
    names = result.product_names
    taken = {line.add_price_offer_id for line in result.lines}
    offers = [
        {
            "offer_id": offer.offer_id,
            "offer_name": offer.offer_name,
            "price_fen": offer.price_fen,
            "code": code,
            "name": names.get(code, code),
        }
        for offer in result.cart.add_price_offers
        if offer.offer_id not in taken
        for code in offer.product_codes
    ]
    gifts = [
        {
            "name": names.get(gift.product_code, gift.product_code),
            "qty": gift.qty,
            "source_name": gift.source_name,
        }
        for gift in result.cart.gifts
    ]
    return {"offers": offers, "gifts": gifts, "not_earned": result.cart.add_price_not_earned}


def _member_context(request, member) -> dict:
    """The member panel's lists: today's promotions (for a guest too) and usable coupons."""
    now = timezone.now()
    promotions = eligible_promotions(request.store, now, member)
    if member is None:
        return {"promotions": promotions}
    coupons = usable_coupons(member, request.store, timezone.localdate(now))
    return {"promotions": promotions, "coupons": coupons}


@till_call
@require_POST
def member(request):
    """识别会员: a swiped card, a phone, a member number or an e-card QR token → the numbers
    the cart keeps (a QR token lives a minute: the cart keeps the card number instead)."""
    q = _body(request).get("q")
    if not isinstance(q, str) or not q.strip() or len(q) > till.CODE_LENGTH:
        raise DomainError("MEMBER_NOT_FOUND", field="q")
    found, card = lookup_member(q)
    return JsonResponse({"member_no": found.member_no, "card_no": card.number if card else ""})


@till_call
@require_POST
def suspend(request):
    cart = till.read_cart(_body(request))
    sale = till.suspend(actor=Actor.from_request(request), store=request.store, cart=cart)
    return JsonResponse({"id": sale.pk, "label": sale.label}, status=201)


@till_call
@require_GET
def suspended(request):
    html = render_to_string(
        "till/_suspended.html", {"sales": till.open_suspended(request.store)}, request=request
    )
    return JsonResponse({"html": html})


@till_call
@require_POST
def resume(request, pk):
    cart = till.resume(store=request.store, pk=pk)
    return JsonResponse({"cart": cart.as_json()})


@till_call
@require_POST
def pay(request):
    """结账: the sale paid through `place_order`, once per sale key (a retry gets the same
    order); a price changed since the quote comes back as PRICE_CHANGED with the new quote."""
    data = _body(request)
    cart = till.read_cart(data.get("cart"))
    payment = till.read_payment(data)
    try:
        order = place_order(
            actor=Actor.from_request(request),
            store=request.store,
            cashier=request.user,
            shift=current_shift(request.user, request.store),
            lines=cart.lines,
            member_no=cart.member_no,
            card_no=cart.card_no,
            coupon_codes=cart.coupon_codes,
            points_to_use=cart.points_to_use,
            **payment,
        )
    except DomainError as error:
        answer = error.as_dict()
        if error.code == "PRICE_CHANGED":
            fresh, result = till.price(store=request.store, cart=cart)
            answer["quote"] = _priced(request, fresh, result)
        return JsonResponse(answer, status=error.status)
    return JsonResponse(
        {
            "order_no": order.order_no,
            "change_fen": order.change_fen,
            "receipt_url": reverse("orders:receipt", args=[order.order_no]),
            "reprint_url": reverse("orders:receipt", args=[order.order_no]) + "?reprint=1",
        },
        status=201,
    )
