"""Tier pages: marketing configures levels and the program and runs a re-evaluation; the member
page shows a member's tier panel, where managers override a tier by hand. Thin: every write is a
service call."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyuan.core import xlsx
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import paginate, permission_page, show_domain_error
from huiyuan.members.models import Member
from huiyuan.tiers import metrics, review, selectors, services
from huiyuan.tiers.exports import COLUMNS
from huiyuan.tiers.forms import (
    EndOverrideForm,
    HistoryFilterForm,
    OverrideForm,
    ProgramForm,
    TierForm,
)
from huiyuan.tiers.models import Tier

HISTORY_ROWS = 20
REVIEW_KEYS = ("upgrade", "keep", "downgrade", "start", "overrides_ended")


@permission_page("tiers.view_tier")
def tier_list(request):
    program = selectors.current_program()
    tiers = Tier.objects.annotate(members=Count("standings"))
    examples = [
        {"tier": tier, "entry": metrics.describe(program, tier.entry_threshold)}
        for tier in tiers
        if tier.is_active
    ]
    context = {
        "tiers": tiers,
        "program": program,
        "examples": examples,
        "next_review_on": selectors.next_review_on(program, timezone.localdate()),
    }
    return render(request, "tiers/list.html", context)


@permission_page("tiers.add_tier")
def tier_create(request):
    return _tier_form(request, None)


@permission_page("tiers.change_tier")
def tier_edit(request, pk):
    return _tier_form(request, get_object_or_404(Tier, pk=pk))


def _tier_form(request, tier):
    form = TierForm(request.POST or None, instance=tier)
    if request.method == "POST" and form.is_valid():
        actor = Actor.from_request(request)
        try:
            if tier is None:
                saved = services.create_tier(actor=actor, **form.cleaned_data)
            else:
                saved = services.update_tier(actor=actor, tier=tier, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("会员等级“%(name)s”已保存") % {"name": saved.name})
            return redirect("tiers:list")
    return render(request, "tiers/form.html", {"form": form, "tier": tier})


@permission_page("tiers.change_tierprogram")
def program_edit(request):
    form = ProgramForm(request.POST or None, instance=selectors.current_program())
    if request.method == "POST" and form.is_valid():
        try:
            services.update_program(actor=Actor.from_request(request), **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("等级规则已保存"))
            return redirect("tiers:list")
    return render(request, "tiers/program.html", {"form": form})


@require_POST
@permission_page("tiers.change_tierprogram")
def run_review(request):
    summary = review.reevaluate_tiers(today=timezone.localdate(), actor=Actor.from_request(request))
    messages.success(request, review_message(summary))
    return redirect("tiers:list")


def review_message(summary: dict) -> str:
    return _(
        "评定完成：升级 %(upgrade)d 人，保级 %(keep)d 人，降级 %(downgrade)d 人，"
        "新定级 %(start)d 人，手动指定到期 %(overrides_ended)d 人"
    ) % {key: summary.get(key, 0) for key in REVIEW_KEYS}


@permission_page("tiers.view_tier")
def member_panel(request, member_no):
    member = get_object_or_404(Member, member_no=member_no)
    return _panel(request, member)


@permission_page("tiers.view_tierchange")
def history(request, member_no):
    """The whole tier history of a member, filterable, exportable to xlsx."""
    member = get_object_or_404(Member, member_no=member_no)
    form = HistoryFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"kind": data["kind"], "since": data["date_from"], "until": data["date_to"]}
    changes = selectors.history_of(member, **filters)
    if request.GET.get("export") == "xlsx":
        content = xlsx.member_workbook(member, _("等级变动"), COLUMNS, changes)
        return xlsx.download(content, "tiers", member)
    context = {"member": member, "form": form, "page": paginate(request, changes)}
    return render(request, "tiers/history.html", context)


@require_POST
@permission_page("tiers.override_tierstanding")
def override(request, member_no):
    notice = _("已手动指定会员等级")
    return _act(request, member_no, OverrideForm, services.override_tier, notice, "override_form")


@require_POST
@permission_page("tiers.override_tierstanding")
def end_override(request, member_no):
    notice = _("已结束手动指定，恢复评定等级")
    return _act(request, member_no, EndOverrideForm, services.end_override, notice, "end_form")


def _act(request, member_no, form_class, action, notice, form_name):
    """Run `action` with the panel form's input; answer with the panel (htmx swaps it in)."""
    member = get_object_or_404(Member, member_no=member_no)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(actor=Actor.from_request(request), member=member, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            return _panel(request, member, notice=notice)
    return _panel(request, member, **{form_name: form})


def _panel(request, member, *, notice="", override_form=None, end_form=None):
    summary = selectors.member_tier(member)
    may_override = request.user.has_perm("tiers.override_tierstanding")
    context = {
        "member": member,
        "summary": summary,
        "history": selectors.history_of(member)[:HISTORY_ROWS],
        "notice": notice,
        "override_form": (override_form or OverrideForm()) if may_override else None,
        "end_form": (end_form or EndOverrideForm())
        if may_override and summary.overriding
        else None,
    }
    return render(request, "tiers/_member_panel.html", context)
