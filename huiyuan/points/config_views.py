"""Marketing's points pages: earn rules, double-points days, program settings."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.forms import YuanField
from huiyuan.core.pages import permission_page, show_domain_error
from huiyuan.points import rules
from huiyuan.points.examples import program_examples, rule_example
from huiyuan.points.forms import EarnRuleForm, PointsDayForm, ProgramForm
from huiyuan.points.models import EarnRule, PointsDay, PointsProgram, Rounding


@permission_page("points.view_earnrule")
def rule_list(request):
    earn_rules = EarnRule.objects.prefetch_related("stores", "card_types", "tiers")
    context = {
        "rules": [(rule, rule_example(rule)) for rule in earn_rules],
        "days": PointsDay.objects.prefetch_related("stores"),
    }
    return render(request, "points/rules.html", context)


@permission_page("points.add_earnrule")
def rule_create(request):
    return _rule_form(request, EarnRule())


@permission_page("points.change_earnrule")
def rule_edit(request, pk):
    return _rule_form(request, get_object_or_404(EarnRule, pk=pk))


def _rule_form(request, rule):
    form = EarnRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = rules.save_earn_rule(
                actor=Actor.from_request(request),
                rule=form.instance,
                stores=data["stores"],
                card_types=data["card_types"],
                tiers=data["tiers"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("积分规则“%(name)s”已保存") % {"name": saved.name})
            return redirect("points:rules")
    context = {"form": form, "rule": rule, "example": rule_example(form.instance)}
    return render(request, "points/rule_form.html", context)


@require_POST
@permission_page("points.view_earnrule")
def rule_preview(request):
    """The example line for the rule as typed so far (htmx, before saving)."""
    try:
        fen = YuanField().clean(request.POST.get("fen_per_point"))
    except ValidationError:  # not an amount yet: no example
        fen = None
    rounding = request.POST.get("rounding")
    if rounding not in Rounding.values:
        rounding = Rounding.FLOOR
    example = rule_example(EarnRule(fen_per_point=fen or 0, rounding=rounding))
    return render(request, "points/_example.html", {"example": example})


@permission_page("points.add_pointsday")
def day_create(request):
    return _day_form(request, PointsDay())


@permission_page("points.change_pointsday")
def day_edit(request, pk):
    return _day_form(request, get_object_or_404(PointsDay, pk=pk))


def _day_form(request, day):
    form = PointsDayForm(request.POST or None, instance=day)
    if request.method == "POST" and form.is_valid():
        try:
            saved = rules.save_points_day(
                actor=Actor.from_request(request),
                day=form.instance,
                stores=form.cleaned_data["stores"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("多倍积分日“%(name)s”已保存") % {"name": saved.name})
            return redirect("points:rules")
    return render(request, "points/day_form.html", {"form": form, "day": day})


@permission_page("points.view_pointsprogram")
def program(request):
    current = PointsProgram.current()
    can_change = request.user.has_perm("points.change_pointsprogram")
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    form = ProgramForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            rules.update_program(actor=Actor.from_request(request), **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("积分设置已保存"))
            return redirect("points:program")
    context = {
        "form": form,
        "can_change": can_change,
        # A refused form's instance may hold what was typed (e.g. 10²⁰ months): the examples
        # show the saved settings.
        "examples": program_examples(PointsProgram.current() if form.is_bound else current),
    }
    return render(request, "points/program.html", context)
