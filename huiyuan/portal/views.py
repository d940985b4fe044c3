"""The public self-service registration page (phone first; no login)."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyuan.core.actors import Actor, client_ip
from huiyuan.core.errors import DomainError
from huiyuan.core.models import Store
from huiyuan.core.pages import show_domain_error
from huiyuan.portal import services
from huiyuan.portal.forms import JoinForm, PhoneForm


def join(request):
    store = _store(request)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "agree"}
        try:
            member = services.join(
                actor=Actor(store=store, ip=client_ip(request)), store=store, **data
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            return render(
                request, "portal/joined.html", {"member": member, "card": member.cards.get()}
            )
    return render(request, "portal/join.html", {"form": form, "store": store})


@require_POST
def send_code(request):
    """htmx: send the SMS code and answer with a one-line status fragment."""
    form = PhoneForm(request.POST)
    message, ok = _("请输入手机号"), False
    if form.is_valid():
        try:
            services.send_join_code(phone=form.cleaned_data["phone"], ip=client_ip(request))
        except DomainError as error:
            message = next(iter(error.fields.values()), error.message)
        else:
            message, ok = _("验证码已发送，5 分钟内有效"), True
    return render(request, "portal/code_sent.html", {"message": message, "ok": ok})


def _store(request) -> Store:
    """The store whose poster QR code brought the customer here (?store=SH01), else the first."""
    stores = Store.objects.filter(is_active=True)
    return stores.filter(code=request.GET.get("store", "").upper()).first() or stores.first()
