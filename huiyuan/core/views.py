from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.translation import gettext as _

from huiyuan.api.conventions import error_response
from huiyuan.core import services
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.forms import AuditFilterForm, StoreForm
from huiyuan.core.models import Store
from huiyuan.core.pages import paginate, permission_page, show_domain_error
from huiyuan.core.selectors import audit_events
from huiyuan.staff.scope import stores_for


@login_required
def dashboard(request):
    stores = stores_for(request.user).annotate(operator_count=Count("operators")).order_by("code")
    return render(request, "core/dashboard.html", {"stores": stores})


@permission_page("core.view_auditevent")
def audit_list(request):
    form = AuditFilterForm(request.GET or None, stores=stores_for(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events(
        request.user,
        action=filters.get("action", ""),
        operator_name=filters.get("operator", ""),
        store=filters.get("store"),
        target=filters.get("target", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    return render(
        request,
        "core/audit_list.html",
        {"form": form, "page": paginate(request, events)},
    )


@permission_page("core.view_store")
def store_list(request):
    stores = Store.objects.annotate(operator_count=Count("operators")).order_by("code")
    return render(request, "core/store_list.html", {"stores": stores})


@permission_page("core.add_store")
def store_create(request):
    return _store_form(request, None)


@permission_page("core.change_store")
def store_edit(request, pk):
    return _store_form(request, get_object_or_404(Store, pk=pk))


def _store_form(request, store):
    form = StoreForm(request.POST or None, instance=store)
    if request.method == "POST" and form.is_valid():
        actor = Actor.from_request(request)
        try:
            if store is None:
                saved = services.create_store(actor=actor, **form.cleaned_data)
            else:
                saved = services.update_store(actor=actor, store=store, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("门店“%(store)s”已保存") % {"store": saved})
            return redirect("core:store_list")
    return render(request, "core/store_form.html", {"form": form, "store": store})


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    if request.path_info.startswith("/api/"):
        return error_response(DomainError("NOT_FOUND"))
    return render(request, "errors/404.html", status=404)


def error_500(request):
    if request.path_info.startswith("/api/"):
        return error_response(DomainError("INTERNAL_ERROR"))
    # No request context: whatever broke (even the database) must not break this page too.
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
