"""Order pages: the list and search, an order's detail, its receipt (58 / 80 mm thermal paper),
and the member page's orders panel. Read-only: orders are never edited (corrections are
returns)."""

from django import forms
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from huiyuan.core.forms import DateRangeMixin
from huiyuan.core.pages import paginate, permission_page
from huiyuan.members.models import Member
from huiyuan.sales.models import Order
from huiyuan.sales.receipts import Receipt, barcode_svg, order_with_details
from huiyuan.staff.scope import scope_to_stores, stores_for

RECENT = 10
WIDTHS = ("80", "58")  # paper widths in mm; the first is the default
DATE = forms.DateInput({"type": "date"})


class OrderSearchForm(DateRangeMixin, forms.Form):
    q = forms.CharField(label=_("单号 / 会员号 / 手机号"), required=False, max_length=50)
    store = forms.ModelChoiceField(
        label=_("门店"), queryset=None, required=False, empty_label=_("全部门店")
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *Order.Status.choices]
    )
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=DATE)

    def __init__(self, *args, stores, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = stores

    def filtered(self, orders):
        self.is_valid()
        data = self.cleaned_data
        if q := (data.get("q") or "").strip():
            orders = orders.filter(
                Q(order_no=q.upper()) | Q(member__member_no=q) | Q(member__phone=q)
            )
        if data.get("store"):
            orders = orders.filter(store=data["store"])
        if data.get("status"):
            orders = orders.filter(status=data["status"])
        return self.within_dates(orders, "created_at")


def _orders(request):
    orders = Order.objects.select_related("store", "member", "cashier")
    return scope_to_stores(orders, request.user)


def _order(request, order_no: str) -> Order:
    return get_object_or_404(
        scope_to_stores(order_with_details(), request.user), order_no=order_no.strip().upper()
    )


@permission_page("sales.view_order")
def order_list(request):
    """销售单查询: by number, member number or phone, store, status and dates."""
    form = OrderSearchForm(request.GET or None, stores=stores_for(request.user))
    orders = form.filtered(_orders(request)) if form.is_bound else _orders(request)
    return render(request, "orders/list.html", {"form": form, "page": paginate(request, orders)})


@permission_page("sales.view_order")
def order_detail(request, order_no):
    order = _order(request, order_no)
    context = {
        "order": order,
        "receipt": Receipt(order),
        "returns": order.returns.order_by("created_at", "id"),
    }
    return render(request, "orders/detail.html", context)


@permission_page("sales.view_order")
def receipt(request, order_no):
    """The printable receipt; `?width=58` for 58 mm paper, `?reprint=1` marks a copy."""
    order = _order(request, order_no)
    width = request.GET.get("width") if request.GET.get("width") in WIDTHS else WIDTHS[0]
    context = {
        "order": order,
        "receipt": Receipt(order),
        "width": width,
        "other_width": WIDTHS[1] if width == WIDTHS[0] else WIDTHS[0],
        "reprint": request.GET.get("reprint") == "1",
        "barcode_svg": barcode_svg(order.order_no, width),
    }
    return render(request, "orders/receipt.html", context)


@permission_page("sales.view_order")
def member_panel(request, member_no):
    """The member page's 消费记录 panel (loaded by htmx): the latest orders."""
    member = get_object_or_404(Member, member_no=member_no)
    orders = _orders(request).filter(member=member)
    context = {"member": member, "orders": orders[:RECENT], "count": orders.count()}
    return render(request, "orders/_member_panel.html", context)
