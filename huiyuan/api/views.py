"""Back-office page for POS terminals' API keys (scoped to the operator's stores)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from huiyuan.api import services
from huiyuan.api.forms import ApiKeyForm
from huiyuan.api.models import ApiKey
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import permission_page, show_domain_error
from huiyuan.staff.scope import scope_to_stores, stores_for


@never_cache  # the page shows a new key once; no cache may keep it
@permission_page("api.view_apikey")
def api_key_list(request):
    stores = stores_for(request.user)
    form = ApiKeyForm(request.POST or None, stores=stores)
    new_key = None
    if request.method == "POST":
        if not request.user.has_perm("api.add_apikey"):
            return render(request, "errors/403.html", status=403)
        if form.is_valid():
            try:
                api_key, new_key = services.create_api_key(
                    actor=Actor.from_request(request), **form.cleaned_data
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                form = ApiKeyForm(stores=stores)
                messages.success(request, _("已为“%(name)s”创建 API 密钥") % {"name": api_key.name})
    keys = scope_to_stores(ApiKey.objects.all(), request.user).select_related("store", "created_by")
    return render(
        request, "api/api_key_list.html", {"keys": keys, "form": form, "new_key": new_key}
    )


@require_POST
@permission_page("api.change_apikey")
def api_key_revoke(request, pk):
    api_key = get_object_or_404(scope_to_stores(ApiKey.objects.all(), request.user), pk=pk)
    services.revoke_api_key(actor=Actor.from_request(request), api_key=api_key)
    messages.success(request, _("API 密钥“%(name)s”已停用") % {"name": api_key.name})
    return redirect("api_keys:list")
