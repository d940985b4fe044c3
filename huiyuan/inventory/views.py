"""Stock document pages: list, new, the document page (lines by code or barcode scan, the step
buttons, receiving a transfer, counting a stocktake) and the printable page. Every write is a
service call; a refusal is shown on the page."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyuan.catalog.selectors import find_by_barcode, product_by_code
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import Store
from huiyuan.core.pages import paginate, permission_page, show_domain_error
from huiyuan.inventory import documents, stocktakes
from huiyuan.inventory.forms import DocumentForm, LineForm, ReceiveForm
from huiyuan.inventory.kinds import KINDS
from huiyuan.inventory.models import Location, Status, Transfer
from huiyuan.inventory.services import location_for
from huiyuan.inventory.transfers import create_transfer
from huiyuan.staff.scope import sees_all_stores, stores_for

MANAGE = "inventory.manage_stock_documents"


def _kind(slug):
    if slug not in KINDS:
        raise Http404
    return KINDS[slug]


def _scoped(kind, user):
    documents_ = kind.model.objects.all()
    if sees_all_stores(user):
        return documents_
    stores = user.stores.all()
    if kind.model is Transfer:
        return documents_.filter(Q(source__store__in=stores) | Q(destination__store__in=stores))
    return documents_.filter(location__store__in=stores)


def _document(request, slug, number):
    kind = _kind(slug)
    document = _scoped(kind, request.user).filter(number=number).first()
    if document is None:
        raise Http404
    return kind, document


def _require_side(user, document, side: str = "source") -> None:
    """Only the source store's staff edit, confirm, ship or cancel a transfer, and only the
    destination's receive it (both see it)."""
    if isinstance(document, Transfer) and not sees_all_stores(user):
        store = getattr(document, side).store
        if not user.stores.filter(pk=store.pk).exists():
            raise PermissionDenied


def _locations(user):
    """The operator's stores' locations (each store's shop floor made on first use)."""
    stores = list(stores_for(user))
    for store in stores:
        location_for(store)
    return Location.objects.filter(store__in=stores).select_related("store")


@permission_page(MANAGE)
def document_list(request, slug):
    kind = _kind(slug)
    rows = _scoped(kind, request.user).select_related("created_by")
    status = request.GET.get("status")
    if status in Status.values:
        rows = rows.filter(status=status)
    return render(
        request,
        "inventory/document_list.html",
        {
            "kind": kind,
            "kinds": KINDS.values(),
            "page": paginate(request, rows),
            "statuses": Status.choices,
            "status": status,
        },
    )


@permission_page(MANAGE)
def document_create(request, slug):
    kind = _kind(slug)
    destinations = Location.objects.filter(store__in=Store.objects.filter(is_active=True))
    form = DocumentForm(
        request.POST or None,
        slug=slug,
        locations=_locations(request.user),
        destinations=destinations.select_related("store"),
    )
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if v is not None}
        actor = Actor.from_request(request)
        try:
            if kind.model is Transfer:
                document = create_transfer(
                    actor=actor,
                    source=fields["location"],
                    destination=fields["destination"],
                    note=fields.get("note", ""),
                )
            else:
                document = documents.create_document(kind.model, actor=actor, **fields)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            return redirect("inventory:document", slug, document.number)
    return render(request, "inventory/document_create.html", {"kind": kind, "form": form})


def _context(kind, document, **extra):
    lines = document.lines.select_related("product")
    context = {
        "kind": kind,
        "document": document,
        "lines": lines,
        "is_draft": document.status == Status.DRAFT,
        "total_fen": sum(line.value_fen or 0 for line in lines),
    }
    if document.status == Status.DRAFT:
        context["line_form"] = LineForm(slug=kind.slug, auto_id="line_%s")
    if kind.ships and document.status == Status.SHIPPED:
        context["receive_form"] = ReceiveForm(lines=lines, auto_id="receive_%s")
    return {**context, **extra}


@permission_page(MANAGE)
def document_detail(request, slug, number):
    kind, document = _document(request, slug, number)
    return render(request, "inventory/document_detail.html", _context(kind, document))


@permission_page(MANAGE)
def document_print(request, slug, number):
    kind, document = _document(request, slug, number)
    return render(request, "inventory/document_print.html", _context(kind, document))


def _scan(code: str, qty):
    """The product a typed code or scanned barcode names, and the quantity (a scale label's
    weight when none was typed, else 1)."""
    code = code.strip()
    try:
        product, weight = product_by_code(code), None
    except DomainError:
        item = find_by_barcode(code)
        product, weight = item.product, item.qty
    return product, next(q for q in (qty, weight, Decimal(1)) if q is not None)


@require_POST
@permission_page(MANAGE)
def add_line(request, slug, number):
    kind, document = _document(request, slug, number)
    _require_side(request.user, document)
    form = LineForm(request.POST, slug=slug, auto_id="line_%s")
    if form.is_valid():
        actor = Actor.from_request(request)
        try:
            product, qty = _scan(form.cleaned_data["code"], form.cleaned_data["qty"])
            if slug == "stocktakes":
                replace = form.cleaned_data["replace"]
                stocktakes.count(document, actor=actor, product=product, qty=qty, add=not replace)
            else:
                line = documents.Line(product, qty, form.cleaned_data.get("unit_cost_fen") or 0)
                documents.add_line(document, actor=actor, line=line)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("已添加 %(product)s × %(qty)s") % {"product": product, "qty": qty.normalize()},
            )
            return redirect("inventory:document", slug, number)
    return render(
        request,
        "inventory/document_detail.html",
        _context(kind, document, line_form=form),
        status=422,
    )


@require_POST
@permission_page(MANAGE)
def remove_line(request, slug, number, line_id):
    kind, document = _document(request, slug, number)
    _require_side(request.user, document)
    if slug == "stocktakes":
        raise Http404
    kept = [
        documents.Line(x.product, x.qty, x.unit_cost_fen)
        for x in document.lines.select_related("product").exclude(pk=line_id)
    ]
    try:
        documents.update_document(document, actor=Actor.from_request(request), lines=kept)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("inventory:document", slug, number)


@require_POST
@permission_page(MANAGE)
def step(request, slug, number, action):
    """确认 / 发货 / 作废: one service call each."""
    kind, document = _document(request, slug, number)
    run = {"confirm": kind.confirm, "ship": kind.ship, "cancel": kind.cancel}.get(action)
    if run is None:
        raise Http404
    _require_side(request.user, document)
    try:
        run(document, actor=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("单据 %(number)s 已更新") % {"number": number})
    return redirect("inventory:document", slug, number)


@require_POST
@permission_page(MANAGE)
def receive(request, slug, number):
    kind, document = _document(request, slug, number)
    if kind.receive is None:
        raise Http404
    _require_side(request.user, document, "destination")
    form = ReceiveForm(
        request.POST, lines=document.lines.select_related("product"), auto_id="receive_%s"
    )
    if form.is_valid():
        try:
            kind.receive(
                document,
                actor=Actor.from_request(request),
                received=form.received(),
                variance_note=form.cleaned_data["variance_note"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("调拨单 %(number)s 已收货") % {"number": number})
            return redirect("inventory:document", slug, number)
    return render(
        request,
        "inventory/document_detail.html",
        _context(kind, document, receive_form=form),
        status=422,
    )
