"""Back-office page for POS terminals' API keys."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyuan.api import services
from huiyuan.api.forms import ApiKeyForm
from huiyuan.api.models import ApiKey
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import show_domain_error


@permission_required("api.view_apikey", raise_exception=True)
def api_key_list(request):
    form = ApiKeyForm(request.POST or None)
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
                form = ApiKeyForm()
                messages.success(request, _("已为“%(name)s”创建 API 密钥") % {"name": api_key.name})
    keys = ApiKey.objects.select_related("store", "created_by")
    return render(
        request, "api/api_key_list.html", {"keys": keys, "form": form, "new_key": new_key}
    )


@require_POST
@permission_required("api.change_apikey", raise_exception=True)
def api_key_revoke(request, pk):
    api_key = services.revoke_api_key(
        actor=Actor.from_request(request), api_key=get_object_or_404(ApiKey, pk=pk)
    )
    messages.success(request, _("API 密钥“%(name)s”已停用") % {"name": api_key.name})
    return redirect("api_keys:list")
