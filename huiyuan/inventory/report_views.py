"""库存统计 (levels with the low-stock alert and minimums), 库存明细 (moves) and 库存估值, each
with `?export=xlsx`."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import paginate, permission_page
from huiyuan.inventory import reports
from huiyuan.inventory.forms import MinimumForm, MoveFilterForm, StockFilterForm
from huiyuan.inventory.models import Location, StockLevel
from huiyuan.inventory.services import open_back_room, set_minimum
from huiyuan.staff.scope import scope_to_stores, stores_for


def _filters(request, form_class):
    form = form_class(request.GET or None, stores=stores_for(request.user))
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    return form, filters


def _report(request, *, template, title, slug, columns, rows, form, **extra):
    if request.GET.get("export") == "xlsx":
        return reports.xlsx_download(title, columns, rows, slug)
    return render(request, template, {"form": form, "title": title, "rows": rows, **extra})


@permission_page("inventory.view_stocklevel")
def levels(request):
    form, filters = _filters(request, StockFilterForm)
    rows = reports.stock_levels(request.user, **filters)
    return _report(
        request,
        template="inventory/levels.html",
        title=_("库存统计"),
        slug="stock",
        columns=reports.LEVEL_COLUMNS,
        rows=rows,
        form=form,
        page=paginate(request, rows),
        alerts=reports.low_stock(request.user).count(),
        without_back_room=stores_for(request.user).exclude(locations__kind=Location.Kind.BACK_ROOM),
    )


@permission_page("inventory.view_stocklevel")
def movements(request):
    form, filters = _filters(request, MoveFilterForm)
    rows = reports.moves(request.user, **filters)
    return _report(
        request,
        template="inventory/movements.html",
        title=_("库存明细"),
        slug="stock-moves",
        columns=reports.MOVE_COLUMNS,
        rows=rows,
        form=form,
        page=paginate(request, rows),
    )


@permission_page("inventory.view_stock_valuation")
def valuation(request):
    form, filters = _filters(request, StockFilterForm)
    filters.pop("low", None)
    rows = [
        {**row, "value_fen": round(row["value"])}
        for row in reports.valuation(request.user, **filters)
    ]
    return _report(
        request,
        template="inventory/valuation.html",
        title=_("库存估值"),
        slug="stock-value",
        columns=reports.VALUATION_COLUMNS,
        rows=rows,
        form=form,
        total_fen=sum(row["value_fen"] for row in rows),
    )


@require_POST
@permission_page("inventory.change_stocklevel")
def back_room(request):
    store = get_object_or_404(stores_for(request.user), pk=request.POST.get("store"))
    try:
        open_back_room(store, actor=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(store)s 的后仓已开设") % {"store": store.name})
    return redirect("inventory:levels")


@require_POST
@permission_page("inventory.change_stocklevel")
def minimum(request, pk):
    levels_ = scope_to_stores(StockLevel.objects.all(), request.user, "location__store")
    level = get_object_or_404(levels_, pk=pk)
    form = MinimumForm(request.POST)
    if form.is_valid():
        set_minimum(level, actor=Actor.from_request(request), min_qty=form.cleaned_data["min_qty"])
        messages.success(request, _("已设置 %(level)s 的库存下限") % {"level": level})
    else:
        messages.error(request, _("库存下限须为不小于 0 的数量"))
    return redirect(request.POST.get("next") or "inventory:levels")
