"""记账单: the one list of every bill kind, with its filters, totals per kind and xlsx export.
Thin: the reads are `sales.bills`."""

from dataclasses import replace
from itertools import islice

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from huiyuan.core.forms import DateRangeMixin
from huiyuan.core.pages import PAGE_SIZE, permission_page
from huiyuan.core.xlsx import download_rows
from huiyuan.inventory.forms import SmallInputs
from huiyuan.sales import bills
from huiyuan.staff.models import Operator
from huiyuan.staff.scope import scope_operators, stores_for

EXPORT_CHUNK = 2_000
DATE = forms.DateInput({"type": "date"}, format="%Y-%m-%d")


class BillFilterForm(SmallInputs, DateRangeMixin, forms.Form):
    kind = forms.ChoiceField(label=_("单据类型"), required=False)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=DATE)
    store = forms.ModelChoiceField(label=_("门店"), queryset=None, required=False)
    operator = forms.ModelChoiceField(label=_("经办人"), queryset=None, required=False)
    q = forms.CharField(label=_("会员号/手机号/卡号/单号"), max_length=40, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("全部类型"))] + [
            (kind.code, kind.label) for kind in bills.KINDS
        ]
        self.fields["store"].queryset = stores_for(user)
        self.fields["store"].empty_label = _("全部门店")
        self.fields["operator"].queryset = scope_operators(
            Operator.objects.order_by("username"), user
        )
        self.fields["operator"].empty_label = _("全部")
        self.style()

    def filters(self) -> bills.Filters:
        data = self.cleaned_data if self.is_valid() else {}
        return bills.Filters(
            kind=data.get("kind") or "",
            store=data.get("store"),
            operator=data.get("operator"),
            q=data.get("q") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


@permission_page("sales.view_order")
def bill_list(request):
    form = BillFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    rows = bills.bills(filters, request.user)
    if request.GET.get("export") == "xlsx":
        return download_rows(_("记账单"), bills.EXPORT_COLUMNS, _exported(rows), "bills")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "bills/list.html",
        {
            "form": form,
            "title": _("记账单"),
            "page": page,
            "rows": bills.hydrate(page.object_list),
            # Every kind's total under the other filters: the chips show the mix and switch kind.
            "totals": bills.totals(replace(filters, kind=""), request.user),
            "kind": filters.kind,
        },
    )


def _exported(rows):
    """Every row, hydrated a chunk at a time (a few queries per chunk, flat memory)."""
    stream = rows.iterator(chunk_size=EXPORT_CHUNK)
    while chunk := list(islice(stream, EXPORT_CHUNK)):
        yield from bills.hydrate(chunk)
