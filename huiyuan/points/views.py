"""Points on the member page (panel, ledger with xlsx export) and the desk's adjustment."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from huiyuan.core import xlsx
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import paginate, permission_page, show_domain_error
from huiyuan.members.models import Member
from huiyuan.points import selectors, services
from huiyuan.points.exports import COLUMNS
from huiyuan.points.forms import AdjustForm, LedgerFilterForm, RedeemForm


def _member(member_no: str) -> Member:
    return get_object_or_404(Member, member_no=member_no)


@permission_page("points.view_pointsentry")
def member_panel(request, member_no):
    member = _member(member_no)
    context = {
        "member": member,
        "balance": selectors.points_balance(member),
        "debt": selectors.points_debt(member),
        "lots": selectors.live_lots(member),
        "entries": selectors.ledger(member)[:10],
    }
    return render(request, "points/_member_panel.html", context)


@permission_page("points.view_pointsentry")
def ledger(request, member_no):
    member = _member(member_no)
    form = LedgerFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"kind": data["kind"], "since": data["date_from"], "until": data["date_to"]}
    entries = selectors.ledger(member, **filters)
    if request.GET.get("export") == "xlsx":
        content = xlsx.member_workbook(member, _("积分流水"), COLUMNS, entries)
        return xlsx.download(content, "points", member)
    context = {
        "member": member,
        "form": form,
        "balance": selectors.points_balance(member),
        "lots": selectors.live_lots(member),
        "page": paginate(request, entries),
    }
    return render(request, "points/ledger.html", context)


@permission_page("points.adjust_points")
def adjust(request, member_no):
    return _desk_form(
        request, member_no, AdjustForm, services.adjust_points, _("调整积分"), _("确认调整")
    )


@permission_page("points.redeem_points")
def redeem(request, member_no):
    def points_redeem(*, actor, member, points, ref_no, reason):
        return services.redeem_points(
            actor=actor, member=member, points=points, ref_type="gift", ref_no=ref_no,
            reason=reason or _("积分兑换礼品"), typed_reference=True,
        )  # fmt: skip

    return _desk_form(request, member_no, RedeemForm, points_redeem, _("积分兑换"), _("确认兑换"))


def _desk_form(request, member_no, form_class, action, title, button):
    """A desk form that moves a member's points through one service, then shows the ledger."""
    member = _member(member_no)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = action(actor=Actor.from_request(request), member=member, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(title)s %(delta)+d 分，当前积分 %(balance)d")
                % {"title": title, "delta": entry.delta, "balance": entry.balance_after},
            )
            return redirect("points:ledger", member.member_no)
    context = {
        "member": member,
        "form": form,
        "title": title,
        "button": button,
        "balance": selectors.points_balance(member),
    }
    return render(request, "points/desk_form.html", context)
