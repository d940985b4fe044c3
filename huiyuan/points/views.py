"""Points on the member page (panel, ledger with xlsx export) and the desk's adjustment."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import paginate, permission_page, show_domain_error
from huiyuan.members.models import Member
from huiyuan.points import selectors, services
from huiyuan.points.exports import ledger_workbook
from huiyuan.points.forms import AdjustForm, LedgerFilterForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _member(member_no: str) -> Member:
    return get_object_or_404(Member, member_no=member_no)


@permission_page("points.view_pointsentry")
def member_panel(request, member_no):
    member = _member(member_no)
    context = {
        "member": member,
        "balance": selectors.points_balance(member),
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
        response = HttpResponse(ledger_workbook(member, entries), content_type=XLSX)
        stamp = timezone.localdate().strftime("%Y%m%d")
        name = f"points-{member.member_no}-{stamp}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
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
    member = _member(member_no)
    form = AdjustForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.adjust_points(
                actor=Actor.from_request(request), member=member, **form.cleaned_data
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("已调整 %(delta)+d 分，当前积分 %(balance)d")
                % {"delta": entry.delta, "balance": entry.balance_after},
            )
            return redirect("points:ledger", member.member_no)
    context = {"member": member, "form": form, "balance": selectors.points_balance(member)}
    return render(request, "points/adjust.html", context)
