"""Desk pages: the member page's coupon panel and manual issue, the coupon search, a coupon's
page (events, printable barcode and QR) and revoking it. Thin: every write is a service call."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyuan.cards.ecard import barcode_svg, qr_svg
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import paginate, permission_page
from huiyuan.coupons import codes, selectors, services
from huiyuan.coupons.forms import CouponSearchForm, IssueForm, RevokeForm
from huiyuan.coupons.models import Coupon
from huiyuan.members.models import Member

RECENT = 10


def _member(member_no: str) -> Member:
    return get_object_or_404(Member.objects.select_related("store"), member_no=member_no)


def _coupon(code: str) -> Coupon:
    coupons = Coupon.objects.select_related("template", "member")
    return get_object_or_404(coupons, code=codes.normalize(code))


@permission_page("coupons.view_coupon")
def member_panel(request, member_no):
    """The member page's 优惠券 panel (loaded by htmx)."""
    member = _member(member_no)
    today = timezone.localdate()
    usable = selectors.member_coupons(member, usable_on=today)
    context = {
        "member": member,
        "usable": usable,
        "recent": selectors.member_coupons(member).exclude(pk__in=usable)[:RECENT],
        "form": IssueForm(auto_id="coupon_issue_%s"),
    }
    return render(request, "coupons/_member_panel.html", context)


@require_POST
@permission_page("coupons.add_coupon")
def issue(request, member_no):
    """手工发券 from the member page."""
    member = _member(member_no)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要发放的优惠券"))
    else:
        try:
            coupon = services.issue_by_hand(
                form.cleaned_data["template"],
                member,
                actor=Actor.from_request(request),
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("已发放“%(name)s”，券号 %(code)s")
                % {"name": coupon.template.name, "code": codes.grouped(coupon.code)},
            )
    return redirect(f"{reverse('members:detail', args=[member.member_no])}#coupons-panel")


@permission_page("coupons.view_coupon")
def coupon_list(request):
    """优惠券查询: by code, member number or phone, state, template and issue dates."""
    form = CouponSearchForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    coupons = selectors.search(**filters)
    if set(filters) == {"q"}:  # a scanned or typed code opens its coupon
        exact = coupons.filter(code=codes.normalize(filters["q"])).first()
        if exact is not None:
            return redirect("coupons:detail", exact.code)
    return render(request, "coupons/list.html", {"form": form, "page": paginate(request, coupons)})


@permission_page("coupons.view_coupon")
def coupon_detail(request, code):
    coupon = _coupon(code)
    context = {
        "coupon": coupon,
        "grouped": codes.grouped(coupon.code),
        "events": coupon.events.select_related("store", "operator"),
        "barcode_svg": barcode_svg(coupon.code),
        "qr_svg": qr_svg(coupon.code),
        "revoke_form": RevokeForm(),
    }
    return render(request, "coupons/detail.html", context)


@require_POST
@permission_page("coupons.revoke_coupon")
def revoke(request, code):
    coupon = _coupon(code)
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.revoke(coupon, actor=Actor.from_request(request), reason=reason)
    except DomainError as error:
        messages.error(request, error.fields.get("reason") or error.message)
    else:
        messages.success(
            request, _("优惠券 %(code)s 已作废") % {"code": codes.grouped(coupon.code)}
        )
    return redirect("coupons:detail", coupon.code)
