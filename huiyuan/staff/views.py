from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import paginate, permission_page, show_domain_error
from huiyuan.staff import services
from huiyuan.staff.forms import (
    ChangePasswordForm,
    LoginForm,
    NewOperatorForm,
    OperatorForm,
    OperatorSearchForm,
    PasswordResetForm,
    RoleForm,
)
from huiyuan.staff.middleware import SESSION_KEY
from huiyuan.staff.models import Operator, Role
from huiyuan.staff.scope import scope_operators


class LoginView(auth_views.LoginView):
    template_name = "staff/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes calls this when an account is locked: the login page with the reason."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "登录失败次数过多，该账户已锁定 %(minutes)s 分钟。请稍后再试，或联系管理员解锁。"
    ) % {"minutes": minutes}
    return render(
        request,
        "staff/login.html",
        {"form": LoginForm(request), "lockout_message": message},
        status=403,
    )


@login_required
def change_password(request):
    form = ChangePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # authenticate() rather than check_password(), so wrong guesses count towards the lockout.
        username, old_password = request.user.get_username(), form.cleaned_data["old_password"]
        if authenticate(request, username=username, password=old_password) is None:
            form.add_error("old_password", _("原密码不正确"))
        else:
            try:
                services.change_own_password(
                    actor=Actor.from_request(request),
                    new_password=form.cleaned_data["new_password"],
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                request.user.refresh_from_db()
                update_session_auth_hash(request, request.user)
                messages.success(request, _("密码已修改"))
                return redirect("core:dashboard")
    return render(request, "staff/change_password.html", {"form": form})


@require_POST
@login_required
def switch_store(request):
    """The store selector: work in another of one's stores."""
    store = next(
        (s for s in request.operator_stores if str(s.pk) == request.POST.get("store")), None
    )
    if store is None:
        return render(request, "errors/403.html", status=403)
    request.session[SESSION_KEY] = store.pk
    back = request.POST.get("next", "")
    safe = back.startswith("/") and url_has_allowed_host_and_scheme(
        back, {request.get_host()}, require_https=request.is_secure()
    )
    return HttpResponseRedirect(back if safe else reverse("core:dashboard"))


@permission_page("staff.view_operator")
def operator_list(request):
    search = OperatorSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    operators = scope_operators(Operator.objects.all(), request.user)
    if query:
        operators = operators.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    operators = operators.prefetch_related("stores", "groups").order_by("username")
    return render(
        request, "staff/operator_list.html", {"page": paginate(request, operators), "q": query}
    )


@permission_page("staff.add_operator")
def operator_create(request):
    form = NewOperatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            operator = services.create_operator(
                actor=Actor.from_request(request), **form.cleaned_data
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("操作员“%(name)s”已创建") % {"name": operator})
            return redirect("staff:operator_list")
    return render(request, "staff/operator_form.html", {"form": form})


@permission_page("staff.change_operator")
def operator_edit(request, pk):
    operator = get_object_or_404(scope_operators(Operator.objects.all(), request.user), pk=pk)
    form = OperatorForm(request.POST or None, instance=operator)
    reset_form = PasswordResetForm()
    if request.method == "POST" and form.is_valid():
        changes = {name: value for name, value in form.cleaned_data.items() if name != "username"}
        try:
            services.update_operator(
                actor=Actor.from_request(request), operator=operator, **changes
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("操作员“%(name)s”已保存") % {"name": operator})
            return redirect("staff:operator_list")
    return render(
        request,
        "staff/operator_form.html",
        {"form": form, "operator": operator, "reset_form": reset_form},
    )


@require_POST
@permission_page("staff.change_operator")
def operator_reset_password(request, pk):
    operator = get_object_or_404(scope_operators(Operator.objects.all(), request.user), pk=pk)
    reset_form = PasswordResetForm(request.POST)
    if reset_form.is_valid():
        try:
            services.reset_password(
                actor=Actor.from_request(request),
                operator=operator,
                new_password=reset_form.cleaned_data["new_password"],
            )
        except DomainError as error:
            show_domain_error(reset_form, error)
        else:
            messages.success(request, _("已重置“%(name)s”的密码") % {"name": operator})
            return redirect("staff:operator_edit", pk=operator.pk)
    form = OperatorForm(instance=operator)
    return render(
        request,
        "staff/operator_form.html",
        {"form": form, "operator": operator, "reset_form": reset_form},
    )


@permission_page("staff.view_role")
def role_list(request):
    roles = Role.objects.prefetch_related("permissions").order_by("id")
    return render(request, "staff/role_list.html", {"roles": roles})


@permission_page("staff.add_role")
def role_create(request):
    return _role_form(request, None)


@permission_page("staff.change_role")
def role_edit(request, pk):
    return _role_form(request, get_object_or_404(Role, pk=pk))


def _role_form(request, role):
    form = RoleForm(request.POST or None, instance=role)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actor = Actor.from_request(request)
        try:
            if role is None:
                services.create_role(actor=actor, **data)
            else:
                services.update_role(actor=actor, role=role, **data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("角色“%(name)s”已保存") % {"name": data["name"]})
            return redirect("staff:role_list")
    return render(request, "staff/role_form.html", {"form": form, "role": role})


@require_POST
@permission_page("staff.delete_role")
def role_delete(request, pk):
    role = get_object_or_404(Role, pk=pk)
    try:
        services.delete_role(actor=Actor.from_request(request), role=role)
    except DomainError as error:
        # Translators: joins several error messages into one line.
        messages.error(request, _("；").join(error.fields.values()) or error.message)
    else:
        messages.success(request, _("角色“%(name)s”已删除") % {"name": role.name})
    return redirect("staff:role_list")
