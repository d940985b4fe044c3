"""交班 pages: the shift list (with opening a shift), a shift's report with closing it, and the
printable report (80 mm or A4). Thin: the rules are in `sales.shifts`."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.forms import DateRangeMixin, YuanField
from huiyuan.core.pages import paginate, show_domain_error
from huiyuan.inventory.forms import SmallInputs
from huiyuan.sales import shifts
from huiyuan.staff.models import Operator
from huiyuan.staff.scope import scope_operators, stores_for

PAPERS = ("80mm", "a4")
DATE = forms.DateInput({"type": "date"}, format="%Y-%m-%d")


class OpenShiftForm(forms.Form):
    float_fen = YuanField(label=_("备用金（元）"), required=False)

    def clean_float_fen(self):
        return self.cleaned_data["float_fen"] or 0


class CloseShiftForm(forms.Form):
    counted_cash_fen = YuanField(label=_("实点现金（元）"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class ShiftFilterForm(SmallInputs, DateRangeMixin, forms.Form):
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=DATE)
    store = forms.ModelChoiceField(label=_("门店"), queryset=None, required=False)
    cashier = forms.ModelChoiceField(label=_("收银员"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = stores_for(user)
        self.fields["store"].empty_label = _("全部门店")
        self.fields["cashier"].queryset = scope_operators(
            Operator.objects.order_by("username"), user
        )
        self.fields["cashier"].empty_label = _("全部")
        self.style()

    def filter(self, shifts):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("store"):
            shifts = shifts.filter(store=data["store"])
        if data.get("cashier"):
            shifts = shifts.filter(cashier=data["cashier"])
        return self.within_dates(shifts, "opened_at")


def shift_page(view):
    """Cashiers (`sales.add_shift`) see their own shifts, managers (`sales.view_shift`) all of
    their stores'."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not (
            request.user.has_perm("sales.add_shift") or request.user.has_perm("sales.view_shift")
        ):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _visible(request):
    return shifts.shifts_for(request.user, stores_for(request.user))


@shift_page
def shift_list(request, open_form=None):
    mine = shifts.current_shift(request.user, request.store)
    if mine is None and open_form is None and request.user.has_perm("sales.add_shift"):
        open_form = OpenShiftForm()
    # A manager looks for shifts by store, cashier and day; a cashier's list is their own.
    sees_all = request.user.has_perm("sales.view_shift")
    form = ShiftFilterForm(request.GET or None, user=request.user) if sees_all else None
    listed = form.filter(_visible(request)) if form else _visible(request)
    context = {"mine": mine, "open_form": open_form, "form": form}
    return render(request, "shifts/list.html", {**context, "page": paginate(request, listed)})


@require_POST
@shift_page
def open_shift(request):
    if not request.user.has_perm("sales.add_shift"):
        raise PermissionDenied
    form = OpenShiftForm(request.POST)
    if form.is_valid():
        try:
            shift = shifts.open_shift(
                actor=Actor.from_request(request),
                store=request.store,
                float_fen=form.cleaned_data["float_fen"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            return redirect("shifts:detail", shift.pk)
    return shift_list(request, open_form=form)


@shift_page
def detail(request, pk, close_form=None):
    shift = get_object_or_404(_visible(request), pk=pk)
    may_close = shifts.may_close(request.user, shift)
    if may_close and close_form is None:
        close_form = CloseShiftForm()
    return render(
        request,
        "shifts/detail.html",
        {
            "shift": shift,
            "report": shifts.shift_report(shift),
            "close_form": close_form if may_close else None,
        },
    )


@require_POST
@shift_page
def close(request, pk):
    shift = get_object_or_404(_visible(request), pk=pk)
    if not shifts.may_close(request.user, shift):
        if shift.closed_at is not None:
            return redirect("shifts:detail", shift.pk)
        raise PermissionDenied
    form = CloseShiftForm(request.POST)
    if form.is_valid():
        try:
            shifts.close_shift(
                actor=Actor.from_request(request),
                shift=shift,
                counted_cash_fen=form.cleaned_data["counted_cash_fen"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            return redirect("shifts:detail", shift.pk)
    return detail(request, pk, close_form=form)


@shift_page
def print_report(request, pk):
    shift = get_object_or_404(_visible(request), pk=pk)
    paper = request.GET.get("paper") if request.GET.get("paper") in PAPERS else PAPERS[0]
    return render(
        request,
        "shifts/print.html",
        {"shift": shift, "report": shifts.shift_report(shift), "paper": paper},
    )
