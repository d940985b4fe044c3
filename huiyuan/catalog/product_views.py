"""Product pages: the list with search and filters, the form (with the category's attributes,
reloaded by htmx when the category changes), and the product's barcodes."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyuan.catalog import services
from huiyuan.catalog.attribute_values import display
from huiyuan.catalog.forms import BarcodeForm, ProductFilterForm, ProductForm
from huiyuan.catalog.models import Product
from huiyuan.catalog.selectors import filter_products
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import paginate, permission_page, show_domain_error

FILTERS = ("q", "category", "supplier", "status", "attribute_values")


def filtered_products(request):
    """(filter form, products) for the list and its export."""
    form = ProductFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        products = filter_products(**{name: form.cleaned_data.get(name) for name in FILTERS})
    else:
        products = filter_products()
    return form, products


@permission_page("catalog.view_product")
def product_list(request):
    form, products = filtered_products(request)
    page = paginate(request, products.prefetch_related("barcodes"))
    return render(request, "catalog/product_list.html", {"form": form, "page": page})


@permission_page("catalog.add_product")
def product_create(request):
    return _form(request, None)


@permission_page("catalog.change_product")
def product_edit(request, pk):
    return _form(request, get_object_or_404(Product, pk=pk))


def _form(request, product):
    form = ProductForm(request.POST or None, product=product)
    if request.method == "POST" and form.is_valid():
        actor = Actor.from_request(request)
        try:
            if product is None:
                saved = services.create_product(actor=actor, **form.service_fields())
            else:
                saved = services.update_product(
                    actor=actor, product=product, **form.service_fields()
                )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("商品“%(name)s”已保存") % {"name": saved.name})
            return redirect("catalog:product_edit", saved.pk)
    context = {"form": form, "product": product, "barcode_form": BarcodeForm()}
    if product is not None:
        context["attributes"] = display(product)
    return render(request, "catalog/product_form.html", context)


@permission_page("catalog.view_product")
def attribute_fields(request):
    """The attribute inputs of the chosen category (htmx, when the category select changes)."""
    form = ProductForm(request.GET)
    return render(request, "catalog/_attribute_fields.html", {"form": form})


@require_POST
@permission_page("catalog.change_product")
def barcode_add(request, pk):
    product = get_object_or_404(Product, pk=pk)
    form = BarcodeForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("BARCODE_INVALID")
        services.add_barcode(
            actor=Actor.from_request(request), product=product, code=form.cleaned_data["code"]
        )
    except DomainError as error:
        messages.error(request, "；".join(error.fields.values()) or error.message)
    return redirect("catalog:product_edit", product.pk)


@require_POST
@permission_page("catalog.change_product")
def barcode_remove(request, pk):
    product = get_object_or_404(Product, pk=pk)
    services.remove_barcode(
        actor=Actor.from_request(request), product=product, code=request.POST.get("code", "")
    )
    return redirect("catalog:product_edit", product.pk)
