"""批量发券 pages: choose the template and the members (tier, tag or any member search), see how
many, start the job; its page polls the progress (htmx) until it is done."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import permission_page, show_domain_error
from huiyuan.coupons import bulk
from huiyuan.coupons.forms import BulkForm
from huiyuan.coupons.models import IssueJob


@permission_page("coupons.add_issuejob")
def bulk_issue(request):
    """GET with filters: the form and how many members they select; POST: start the job."""
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = BulkForm(data)
    count = None
    if form.is_bound and form.is_valid():
        criteria = bulk.criteria_of(form.data)  # the raw values: ids, dates as typed
        count = bulk.selected_members(criteria).count() if criteria else 0
        if request.method == "POST":
            try:
                job = bulk.start_job(
                    actor=Actor.from_request(request),
                    template=form.cleaned_data["template"],
                    criteria=criteria,
                    description=_describe(form),
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                return redirect("coupons:job", job.pk)
    jobs = IssueJob.objects.select_related("template", "operator")[:10]
    return render(request, "coupons/bulk.html", {"form": form, "count": count, "jobs": jobs})


def _describe(form) -> str:
    """The selection in words, for the job list: 等级 金卡 · 标签 VIP · 查找 张."""
    parts = []
    for name in ("tier", "tag", "store", "q", "date_from", "date_to"):
        value = form.cleaned_data.get(name)
        if value:
            parts.append(f"{form.fields[name].label} {value}")
    return " · ".join(parts)


@permission_page("coupons.view_issuejob")
def job(request, pk):
    job = get_object_or_404(IssueJob.objects.select_related("template", "operator", "store"), pk=pk)
    return render(request, "coupons/job.html", {"job": job})


@permission_page("coupons.view_issuejob")
def job_progress(request, pk):
    """The progress bar, polled while the job runs; a finished job reloads the page."""
    job = get_object_or_404(IssueJob, pk=pk)
    if job.status in (IssueJob.Status.DONE, IssueJob.Status.FAILED):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    progress_url = reverse("coupons:job_progress", args=[job.pk])
    return render(request, "coupons/_job_progress.html", {"job": job, "progress_url": progress_url})
