"""退货 pages: scan the receipt's order barcode (or search for the order), choose lines and
quantities, see the refund plan (`return_plans.plan_return`, the same the return runs),
confirm, print the return slip. The rules are the service's (sales/returns.py)."""

import uuid
from decimal import Decimal

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import permission_page, show_domain_error
from huiyuan.sales.models import Order, ReturnSettings, SalesReturn
from huiyuan.sales.return_plans import describe, plan_return
from huiyuan.sales.returns import return_lines, save_settings
from huiyuan.sales.returns_forms import ReturnForm, ScanForm, SearchForm, SettingsForm
from huiyuan.staff.scope import scope_to_stores

SEARCH_LIMIT = 30


@permission_page("sales.add_salesreturn")
def start(request):
    """The scan box (a receipt's barcode is its order number) and the search without a
    receipt."""
    scan = ScanForm(request.GET if "order_no" in request.GET else None)
    if scan.is_bound and scan.is_valid():
        order_no = scan.cleaned_data["order_no"]
        if _orders(request).filter(order_no=order_no).exists():
            return redirect("returns:new", order_no)
        scan.add_error("order_no", _("找不到这张销售单，请核对单号或按会员、日期查找"))
    search = SearchForm(request.GET if "q" in request.GET or "day" in request.GET else None)
    searched = search.is_bound and search.searched()
    orders = _search(_orders(request), search) if searched else None
    return render(request, "returns/start.html", {"scan": scan, "search": search, "orders": orders})


def _orders(request):
    """The orders of the operator's stores: only those are found, shown and returned here."""
    return scope_to_stores(Order.objects.all(), request.user)


def _search(orders, search: SearchForm):
    q, day = search.cleaned_data["q"].strip(), search.cleaned_data["day"]
    orders = orders.select_related("member", "store")
    if q:
        orders = orders.filter(
            Q(order_no__icontains=q) | Q(member__member_no=q) | Q(member__phone=q)
        )
    if day:
        orders = orders.filter(created_at__date=day)
    return list(orders.order_by("-created_at", "-id")[:SEARCH_LIMIT])


@permission_page("sales.add_salesreturn")
def new(request, order_no):
    """Lines of the order with what is left to return; 计算退款 shows the plan, 确认退货 makes
    the return. `?receipt=0`: found by a search, without the receipt."""
    order = get_object_or_404(_orders(request).select_related("member", "store"), order_no=order_no)
    with_receipt = request.GET.get("receipt") != "0"
    lines = _returnable(order)
    data = request.POST if request.method == "POST" else None
    form = ReturnForm(
        data,
        lines=lines,
        with_receipt=with_receipt,
        user=request.user,
        initial={"request_ref": uuid.uuid4().hex},
    )
    plan = None
    if data is not None and form.is_valid():
        try:
            plan = plan_return(
                order, form.chosen(), refund_method=form.cleaned_data["refund_method"]
            )
            if "confirm" in request.POST:
                store = request.store or order.store
                approver = form.approver(request, store)
                if not form.errors:
                    done = return_lines(
                        actor=Actor.from_request(request),
                        order=order,
                        lines=form.chosen(),
                        store=store,
                        with_receipt=with_receipt,
                        approved_by=approver,
                        reason=form.cleaned_data["reason"],
                        refund_method=form.cleaned_data["refund_method"],
                        request_key=form.cleaned_data["request_ref"],
                    )
                    return redirect("returns:slip", done.return_no)
        except DomainError as error:
            plan = None
            show_domain_error(form, _placed(error, form.chosen()))
    return render(
        request,
        "returns/new.html",
        {
            "order": order,
            "form": form,
            "rows": form.rows(),
            "with_receipt": with_receipt,
            "plan": plan,
            "notes": describe(plan) if plan else [],
            "all_returned": all(left == 0 for _line, left in lines),
            "focus": _focus(form, lines, plan),
        },
    )


def _focus(form: ReturnForm, lines: list, plan) -> str:
    """The id the page focuses, so the whole return runs on the keyboard: the confirm button
    once the plan is shown (the manager's password first when one must approve), else the first
    quantity with an error, else the first line still returnable."""
    if plan:
        return "id_manager_password" if form.needs_approval else "confirm"
    names = [f"qty_{line.line_no}" for line, left in lines if left]
    wrong = [name for name in names if name in form.errors]
    return f"id_{(wrong or names or [''])[0]}"


def _returnable(order: Order) -> list:
    """(line, quantity still returnable) for each line of the order."""
    lines = list(order.lines.select_related("product").prefetch_related("returned"))
    return [
        (line, line.qty - sum((r.qty for r in line.returned.all()), Decimal(0))) for line in lines
    ]


def _placed(error: DomainError, chosen: list) -> DomainError:
    """The service names inputs `lines.<index>.qty`; the page's field is `qty_<line no>`."""
    fields = {}
    for name, message in error.fields.items():
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit():
            name = f"qty_{chosen[int(parts[1])][0].line_no}"
        fields[name] = message
    return DomainError(error.code, error.custom_message, fields)


@permission_page("sales.view_salesreturn")
def slip(request, return_no):
    """The printable return slip (退货单)."""
    sales_return = get_object_or_404(
        scope_to_stores(SalesReturn.objects.all(), request.user)
        .select_related("order", "order__member", "store", "cashier", "approved_by")
        .prefetch_related("lines__order_line", "refunds"),
        return_no=return_no,
    )
    lines_fen = sum(row.refund_fen for row in sales_return.lines.all())
    return render(
        request,
        "returns/slip.html",
        {
            "sales_return": sales_return,
            "deducted_fen": lines_fen - sales_return.refund_fen,
            "now": timezone.now(),
        },
    )


@permission_page("sales.view_returnsettings")
def settings_page(request):
    """退货设置: what a return does with points the member already spent and with coupons the
    sale issued that are already used."""
    may_change = request.user.has_perm("sales.change_returnsettings")
    data = request.POST if request.method == "POST" and may_change else None
    form = SettingsForm(data, instance=ReturnSettings.current())
    if data is not None and form.is_valid():
        try:
            save_settings(actor=Actor.from_request(request), **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("退货设置已保存"))
            return redirect("returns:settings")
    return render(request, "returns/settings.html", {"form": form, "may_change": may_change})
