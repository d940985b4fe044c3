"""Promotion and member-day pages: thin, every write a service call."""

import datetime

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import paginate, permission_page, show_domain_error
from huiyuan.promotions import selectors, services
from huiyuan.promotions.engine_values import Draft
from huiyuan.promotions.forms import FilterForm, MemberDayForm, PromotionForm
from huiyuan.promotions.models import MemberDay, Promotion
from huiyuan.promotions.preview import default_sample, price_sample

Kind = Promotion.Kind


@permission_page("promotions.view_promotion")
def promotion_list(request):
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    tab = request.GET.get("tab")
    tab = tab if tab in dict(FilterForm.TABS) else "current"
    today = timezone.localdate()
    kind, store = data.get("kind", ""), request.store
    if tab in ("current", "upcoming"):
        current, upcoming = selectors.current_and_upcoming(today, kind=kind, store=store)
        found = current if tab == "current" else upcoming
    elif tab == "ended":
        found = selectors.ended(today, kind=kind, store=store)
    else:
        found = selectors.drafts(kind=kind)
    if data.get("q"):
        found = [p for p in found if data["q"] in p.name]
    now = timezone.now()
    context = {
        "form": form,
        "tab": tab,
        "tabs": FilterForm.TABS,
        "kinds": Kind.choices,
        "page": paginate(request, list(found)),
        "running_now": {p.pk for p in selectors.running_promotions(store, now)},
    }
    return render(request, "promotions/list.html", context)


@permission_page("promotions.view_promotion")
def promotion_detail(request, pk):
    promotion = get_object_or_404(selectors.with_details(), pk=pk)
    draft = Draft.of(promotion)
    uses = promotion.uses.aggregate(
        count=Count("id"), total=Sum("discount_fen"), members=Count("member", distinct=True)
    )
    context = {
        "promotion": promotion,
        "draft": draft,
        "uses": uses,
        "recent_uses": promotion.uses.select_related("member")[:20],
        "preview": price_sample(draft, default_sample(draft)),
        "running_now": promotion in selectors.running_promotions(request.store, timezone.now()),
    }
    return render(request, "promotions/detail.html", context)


@permission_page("promotions.add_promotion")
def promotion_create(request, kind):
    if kind not in Kind.values:
        raise Http404
    return _promotion_form(request, Promotion(kind=kind))


@permission_page("promotions.change_promotion")
def promotion_edit(request, pk):
    return _promotion_form(request, get_object_or_404(selectors.with_details(), pk=pk))


def _promotion_form(request, promotion):
    form = PromotionForm(request.POST or None, instance=promotion, kind=promotion.kind)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_promotion(actor=Actor.from_request(request), draft=form.draft())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("促销活动“%(name)s”已保存") % {"name": saved.name})
            return redirect("promotions:detail", saved.pk)
    sample = request.POST.get("sample") or default_sample(
        Draft.of(promotion) if promotion.pk else Draft(promotion)
    )
    context = {
        "form": form,
        "promotion": promotion,
        "kind_label": Kind(promotion.kind).label,
        "sample": sample,
        "preview": _preview_of(form, sample, _as_member(request)),
    }
    return render(request, "promotions/form.html", context)


def _as_member(request) -> bool:
    """Preview as a member unless the form says otherwise (the box is ticked at first)."""
    return request.method != "POST" or request.POST.get("as_member") == "1"


def _preview_of(form, sample: str, as_member: bool):
    """The preview of what the form holds: nothing to price until its fields are valid."""
    if not form.is_bound:
        draft = Draft.of(form.instance) if form.instance.pk else None
        return price_sample(draft, sample, as_member) if draft else None
    if not form.is_valid():
        return None
    draft = form.draft()
    try:
        services.check(draft)
    except DomainError as error:
        return {"errors": list(error.fields.values())}
    return price_sample(draft, sample, as_member)


@require_POST
@permission_page("promotions.view_promotion")
def promotion_preview(request, kind):
    """The sample cart priced with the promotion as typed so far (htmx, nothing saved)."""
    if kind not in Kind.values:
        raise Http404
    pk = request.POST.get("pk", "")
    instance = get_object_or_404(Promotion, pk=pk) if pk.isdigit() else Promotion(kind=kind)
    form = PromotionForm(request.POST, instance=instance, kind=kind)
    sample = request.POST.get("sample", "")
    if not sample.strip():
        sample = default_sample(form.draft() if form.is_valid() else Draft(instance))
    context = {
        "preview": _preview_of(form, sample, _as_member(request)),
        "form": form,
        "kind": kind,
    }
    return render(request, "promotions/_preview.html", context)


@require_POST
@permission_page("promotions.change_promotion")
def promotion_status(request, pk):
    promotion = get_object_or_404(Promotion, pk=pk)
    status = request.POST.get("status", "")
    try:
        services.set_status(actor=Actor.from_request(request), promotion=promotion, status=status)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        started = status == Promotion.Status.ACTIVE
        message = _("已启用“%(name)s”") if started else _("已停止“%(name)s”")
        messages.success(request, message % {"name": promotion.name})
    return redirect("promotions:detail", promotion.pk)


# Member days ---------------------------------------------------------------------------------


@permission_page("promotions.view_memberday")
def member_day_list(request):
    today = timezone.localdate()
    days = MemberDay.objects.prefetch_related("stores").annotate(
        promotion_count=Count("promotions", filter=~Q(promotions__status="stopped"))
    )
    rows = [(day, selectors.next_occurrences(day, today, 3)) for day in days]
    return render(request, "promotions/member_days.html", {"rows": rows})


@permission_page("promotions.add_memberday")
def member_day_create(request):
    return _member_day_form(request, MemberDay())


@permission_page("promotions.change_memberday")
def member_day_edit(request, pk):
    return _member_day_form(request, get_object_or_404(MemberDay, pk=pk))


def _member_day_form(request, day):
    form = MemberDayForm(request.POST or None, instance=day)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_member_day(
                actor=Actor.from_request(request),
                day=form.instance,
                stores=form.cleaned_data["stores"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("会员日“%(name)s”已保存") % {"name": saved.name})
            return redirect("promotions:member_days")
    context = {"form": form, "day": day, "occurrences": _occurrences(form)}
    return render(request, "promotions/member_day_form.html", context)


@require_POST
@permission_page("promotions.view_memberday")
def member_day_preview(request):
    """The next dates of the member day as typed (htmx)."""
    form = MemberDayForm(request.POST)
    return render(request, "promotions/_occurrences.html", {"occurrences": _occurrences(form)})


def _occurrences(form) -> list[datetime.date]:
    if form.is_bound:
        fields = ("weekdays", "days_of_month", "dates")
        if any(name in form.errors for name in fields):
            return []
        schedule = {name: form.cleaned_data.get(name) or [] for name in fields}
        day = MemberDay(**schedule)
    else:
        day = form.instance
    return selectors.next_occurrences(day, timezone.localdate(), 6)
