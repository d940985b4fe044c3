"""Supplier pages: the list (with how many products each supplies) and the form."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from huiyuan.catalog import services
from huiyuan.catalog.forms import SupplierForm
from huiyuan.catalog.models import Supplier
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import permission_page, show_domain_error


@permission_page("catalog.view_supplier")
def supplier_list(request):
    suppliers = Supplier.objects.annotate(product_count=Count("products"))
    return render(request, "catalog/supplier_list.html", {"suppliers": suppliers})


@permission_page("catalog.add_supplier")
def supplier_create(request):
    return _form(request, None)


@permission_page("catalog.change_supplier")
def supplier_edit(request, pk):
    return _form(request, get_object_or_404(Supplier, pk=pk))


def _form(request, supplier):
    initial = (
        {name: getattr(supplier, name) for name in services.SUPPLIER_FIELDS} if supplier else None
    )
    form = SupplierForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actor = Actor.from_request(request)
        try:
            if supplier is None:
                saved = services.create_supplier(actor=actor, **form.cleaned_data)
            else:
                saved = services.update_supplier(
                    actor=actor, supplier=supplier, **form.cleaned_data
                )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("供应商“%(name)s”已保存") % {"name": saved.name})
            return redirect("catalog:suppliers")
    return render(request, "catalog/supplier_form.html", {"form": form, "supplier": supplier})
