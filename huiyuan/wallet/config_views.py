"""Marketing pages: top-up bonus rules (with the example line), count-card packages, settings."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import permission_page, show_domain_error
from huiyuan.wallet import config, rules
from huiyuan.wallet.forms import BonusRuleForm, PackageForm, SettingsForm
from huiyuan.wallet.models import CountCardPackage, TopUpBonusRule, WalletSettings


@permission_page("wallet.view_topupbonusrule")
def rule_list(request):
    items = [
        (rule, rules.example(rule)) for rule in TopUpBonusRule.objects.prefetch_related("tiers")
    ]
    return render(request, "wallet/rule_list.html", {"rules": items})


@permission_page("wallet.add_topupbonusrule")
def rule_create(request):
    return _rule_form(request, None)


@permission_page("wallet.change_topupbonusrule")
def rule_edit(request, pk):
    return _rule_form(request, get_object_or_404(TopUpBonusRule, pk=pk))


def _rule_form(request, rule):
    form = BonusRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            saved = config.save_bonus_rule(
                actor=Actor.from_request(request), rule=rule, **form.cleaned_data
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("规则“%(name)s”已保存：%(example)s")
                % {"name": saved.name, "example": rules.example(saved)},
            )
            return redirect("wallet:rules")
    return render(request, "wallet/rule_form.html", {"form": form, "rule": rule})


@permission_page("wallet.view_countcardpackage")
def package_list(request):
    return render(request, "wallet/package_list.html", {"packages": CountCardPackage.objects.all()})


@permission_page("wallet.add_countcardpackage")
def package_create(request):
    return _package_form(request, None)


@permission_page("wallet.change_countcardpackage")
def package_edit(request, pk):
    return _package_form(request, get_object_or_404(CountCardPackage, pk=pk))


def _package_form(request, package):
    form = PackageForm(request.POST or None, instance=package)
    if request.method == "POST" and form.is_valid():
        try:
            saved = config.save_package(
                actor=Actor.from_request(request), package=package, **form.cleaned_data
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("套餐“%(name)s”已保存") % {"name": saved.name})
            return redirect("wallet:packages")
    return render(request, "wallet/package_form.html", {"form": form, "package": package})


@permission_page("wallet.view_walletsettings")
def settings_page(request):
    current = WalletSettings.current()
    may_change = request.user.has_perm("wallet.change_walletsettings")
    form = SettingsForm(request.POST if may_change else None, instance=current)
    if request.method == "POST" and may_change and form.is_valid():
        try:
            config.save_settings(actor=Actor.from_request(request), **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("储值设置已保存"))
            return redirect("wallet:settings")
    return render(request, "wallet/settings.html", {"form": form, "may_change": may_change})
