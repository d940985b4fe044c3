"""Marketing pages: 发券规则 (triggers), 积分返利 settings, preview (xlsx too) and runs."""

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.money import format_fen
from huiyuan.core.pages import permission_page, show_domain_error
from huiyuan.coupons import exports, rebate, triggers
from huiyuan.coupons.forms import RebateForm, TriggerForm
from huiyuan.coupons.models import CouponTrigger, RebateProgram, RebateRun


@permission_page("coupons.view_coupontrigger")
def trigger_list(request):
    triggers = CouponTrigger.objects.select_related("template", "tier")
    return render(request, "coupons/trigger_list.html", {"triggers": triggers})


@permission_page("coupons.add_coupontrigger")
def trigger_create(request):
    return _trigger_form(request, None)


@permission_page("coupons.change_coupontrigger")
def trigger_edit(request, pk):
    return _trigger_form(request, get_object_or_404(CouponTrigger, pk=pk))


def _trigger_form(request, trigger):
    form = TriggerForm(request.POST or None, instance=trigger)
    if request.method == "POST" and form.is_valid():
        try:
            saved = triggers.save_trigger(actor=Actor.from_request(request), trigger=form.instance)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("发券规则已保存：%(rule)s") % {"rule": saved})
            return redirect("coupons:triggers")
    return render(request, "coupons/trigger_form.html", {"form": form, "trigger": trigger})


@permission_page("coupons.view_rebateprogram")
def rebate_settings(request):
    program = RebateProgram.current()
    may_change = request.user.has_perm("coupons.change_rebateprogram")
    bound = request.method == "POST" and may_change
    form = RebateForm(request.POST if bound else None, instance=program)
    if bound and form.is_valid():
        try:
            rebate.save_program(
                actor=Actor.from_request(request),
                program=form.instance,
                bands=form.cleaned_data["bands"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("积分返利设置已保存"))
            return redirect("coupons:rebate")
    today = timezone.localdate()
    periods = rebate.last_ended_periods(program, today)
    runs = {run.period_start: run for run in RebateRun.objects.all()[:20]}
    context = {
        "form": form,
        "may_change": may_change,
        "periods": [
            (period, runs.get(period.start), rebate.payout_month(program, period))
            for period in periods
        ],
        "runs": runs.values(),
        "example": format_fen(
            rebate.rebate_fen(45_000, rebate.bands_of(program), program.point_value_fen)
        ),
    }
    return render(request, "coupons/rebate.html", context)


def _period(start: str) -> rebate.Period:
    try:
        day = datetime.date.fromisoformat(start)
    except ValueError:
        raise Http404 from None
    program = RebateProgram.current()
    if day.day != 1 or (day.month - program.start_month) % 6 or not 2000 <= day.year < 2100:
        raise Http404
    return rebate.period_starting(program, day)


@permission_page("coupons.view_rebateprogram")
def rebate_preview(request, start):
    """Who gets what for one period, with totals; `?export=xlsx` downloads it."""
    program = RebateProgram.current()
    period = _period(start)
    rows = rebate.preview(program, period)
    if request.GET.get("export") == "xlsx":
        return exports.rebate_workbook(period, rows)
    context = {
        "program": program,
        "period": period,
        "rows": rows,
        "total_fen": sum(row.value_fen for row in rows),
        "total_points": sum(row.points for row in rows),
        "run": RebateRun.objects.filter(period_start=period.start).first(),
        "ended": period.end < timezone.localdate(),
        "bands": rebate.bands_of(program),
    }
    return render(request, "coupons/rebate_preview.html", context)


@require_POST
@permission_page("coupons.run_rebate")
def rebate_run(request, start):
    period = _period(start)
    try:
        run = rebate.start_run(
            actor=Actor.from_request(request), program=RebateProgram.current(), period=period
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("coupons:rebate_preview", start)
    return redirect("coupons:rebate_run_detail", run.pk)


@permission_page("coupons.view_rebateprogram")
def rebate_run_detail(request, pk):
    run = get_object_or_404(RebateRun.objects.select_related("template", "operator"), pk=pk)
    if request.headers.get("HX-Request"):
        if run.status != RebateRun.Status.RUNNING:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "coupons/_rebate_progress.html", {"run": run})
    return render(request, "coupons/rebate_run.html", {"run": run})
