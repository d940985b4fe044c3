"""积分商城 pages: the gift catalogue (list, create, edit with its tier-price and stock preview),
the desk's redemption (find the member, choose gifts, confirm), the redemption list with its xlsx
export, and the printable bill. Thin: every write is a `gifts.services` call."""

import uuid

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.cards.models import Card
from huiyuan.catalog.models import Product
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import paginate, permission_page, show_domain_error
from huiyuan.core.xlsx import download_rows
from huiyuan.gifts import selectors, services
from huiyuan.gifts.exports import COLUMNS
from huiyuan.gifts.forms import GiftForm, RedeemForm, RedemptionFilterForm
from huiyuan.gifts.models import Gift, GiftRedemptionLine
from huiyuan.inventory.models import Location, StockLevel
from huiyuan.members.models import Member
from huiyuan.members.summary import member_summary
from huiyuan.members.views import desk_lookup
from huiyuan.staff.scope import scope_to_stores, stores_for


@permission_page("gifts.view_gift")
def gift_list(request):
    gifts = selectors.with_details(Gift.objects.all()).annotate(
        redeemed=Sum("redemption_lines__qty")
    )
    gifts = gifts.order_by(*Gift._meta.ordering)  # an aggregate drops the default ordering
    return render(request, "gifts/gift_list.html", {"gifts": gifts, "today": timezone.localdate()})


@permission_page("gifts.add_gift")
def gift_create(request):
    return _gift_form(request, None)


@permission_page("gifts.change_gift")
def gift_edit(request, pk):
    return _gift_form(request, get_object_or_404(selectors.with_details(Gift.objects), pk=pk))


def _gift_form(request, gift):
    form = GiftForm(request.POST or None, instance=gift)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_gift(
                actor=Actor.from_request(request), gift=gift, **form.service_fields()
            )
        except DomainError as error:
            form.show_error(error)
        else:
            messages.success(request, _("礼品“%(name)s”已保存") % {"name": saved.name})
            return redirect("gifts:list")
    product = gift.product if gift else None
    if form.is_bound and "product_code" in form.cleaned_data:
        product = form.cleaned_data["product_code"]
    return render(
        request,
        "gifts/gift_form.html",
        {"form": form, "gift": gift, "stock_rows": _stock_by_store(request, product)},
    )


@permission_page("gifts.view_gift")
def stock_preview(request):
    """The gift form's live preview of a product's stock in each store (htmx fragment)."""
    code = request.GET.get("product_code", "").strip()[:30]
    typed = code and "\x00" not in code  # PostgreSQL refuses NUL in a lookup (a 500)
    product = Product.objects.filter(code=code).first() if typed else None
    return render(
        request,
        "gifts/_stock_preview.html",
        {"stock_rows": _stock_by_store(request, product), "code": code},
    )


def _stock_by_store(request, product) -> dict | None:
    if product is None:
        return None
    levels = StockLevel.objects.filter(product=product, location__kind=Location.Kind.FLOOR)
    available = {
        level.location.store_id: level.available for level in levels.select_related("location")
    }
    return {
        "product": product,
        "stores": [(store, available.get(store.pk, 0)) for store in stores_for(request.user)],
    }


@permission_page("gifts.add_giftredemption")
def desk(request):
    """礼品兑换: find the member (card, phone, member number, e-card) and go to their gifts."""
    return desk_lookup(request, "gifts:redeem", "gifts/desk.html")


@permission_page("gifts.add_giftredemption")
def redeem(request, member_no):
    """The member's points, the gifts they can take here (price, stock, limits), the chosen
    quantities and 确认兑换."""
    member = get_object_or_404(Member.objects.select_related("store"), member_no=member_no)
    offers = selectors.offers(member, request.store)
    data = request.POST if request.method == "POST" else None
    form = RedeemForm(data, offers=offers, initial={"request_ref": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        try:
            bill = services.redeem_gifts(
                actor=Actor.from_request(request),
                member=member,
                lines=form.wanted(),
                store=request.store,
                request_ref=form.cleaned_data["request_ref"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:  # the bill is the confirmation, ready to print
            return redirect("gifts:bill", bill.number)
    card = member.cards.filter(status=Card.Status.ACTIVE).select_related("card_type").first()
    summary = member_summary(member, card)
    return render(
        request,
        "gifts/redeem.html",
        {
            "member": member,
            "card": card,
            "summary": summary,
            "form": form,
            "rows": [
                (offer, field, offer.affordable(summary.points)) for offer, field in form.rows()
            ],
        },
    )


@permission_page("gifts.view_giftredemption")
def redemption_list(request):
    form = RedemptionFilterForm(request.GET or None, stores=stores_for(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    bills = _filtered(scope_to_stores(selectors.redemptions(), request.user), filters)
    if request.GET.get("export") == "xlsx":
        lines = GiftRedemptionLine.objects.filter(redemption__in=bills).select_related(
            "redemption__member", "redemption__store", "redemption__operator", "redemption__api_key"
        )
        return download_rows(
            _("礼品兑换记录"), COLUMNS, lines.order_by("redemption_id", "id"), "gift-redemptions"
        )
    totals = bills.aggregate(points=Sum("total_points"), count=Count("id"))
    return render(
        request,
        "gifts/redemption_list.html",
        {
            "form": form,
            "title": _("礼品兑换记录"),
            "page": paginate(request, bills.prefetch_related("lines")),
            "totals": totals,
        },
    )


def _filtered(bills, filters: dict):
    if filters.get("date_from"):
        bills = bills.filter(created_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        bills = bills.filter(created_at__date__lte=filters["date_to"])
    if filters.get("store"):
        bills = bills.filter(store=filters["store"])
    if filters.get("gift"):
        bills = bills.filter(lines__gift=filters["gift"]).distinct()
    if q := (filters.get("q") or "").strip():
        bills = bills.filter(Q(number=q) | Q(member__member_no=q) | Q(member__phone=q))
    return bills


@permission_page("gifts.view_giftredemption")
def bill(request, number):
    """The redemption bill (兑换礼品单据), printable."""
    bills = scope_to_stores(selectors.redemptions(), request.user)
    redemption = get_object_or_404(bills, number=number)
    return render(
        request,
        "gifts/bill.html",
        {"bill": redemption, "lines": redemption.lines.select_related("product")},
    )
