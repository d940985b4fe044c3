"""Member import pages (upload → preview → commit, with an htmx-polled progress bar) and the
member export. The work itself runs as Huey tasks (members/imports/)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyuan.core.actors import Actor
from huiyuan.core.pages import permission_page
from huiyuan.core.xlsx import XLSX
from huiyuan.members import exports, imports, selectors
from huiyuan.members.forms import SearchForm
from huiyuan.members.import_forms import UploadForm
from huiyuan.members.models import ImportJob
from huiyuan.staff.scope import scope_to_stores

ERRORS_PER_PAGE = 100


def _jobs(request):
    return scope_to_stores(ImportJob.objects.select_related("store", "operator"), request.user)


@permission_page("members.add_member")
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if request.store is None:
            form.add_error(None, _("请先在顶部选择门店"))
        else:
            try:
                job = imports.start_job(
                    upload=form.cleaned_data["file"],
                    actor=Actor.from_request(request),
                    store=request.store,
                )
            except imports.FileError as error:
                form.add_error("file", str(error))
            else:
                return redirect("member_import:job", job.pk)
    recent = _jobs(request)[:10]
    return render(
        request,
        "member_import/upload.html",
        {"form": form, "recent": recent, "max_rows": imports.MAX_ROWS},
        status=422 if form.errors else 200,
    )


@permission_page("members.add_member")
def template(request):
    response = HttpResponse(imports.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="member-import-template.xlsx"'
    return response


@permission_page("members.add_member")
def job(request, pk):
    job = get_object_or_404(_jobs(request), pk=pk)
    errors = Paginator(job.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "member_import/job.html", {"job": job, "page": errors})


@permission_page("members.add_member")
def progress(request, pk):
    """The progress bar, polled by htmx while the job runs; a finished job reloads the page."""
    job = get_object_or_404(_jobs(request), pk=pk)
    if job.status not in (ImportJob.Status.CHECKING, ImportJob.Status.IMPORTING):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "member_import/progress.html", {"job": job})


@require_POST
@permission_page("members.add_member")
def commit(request, pk):
    job = get_object_or_404(_jobs(request), pk=pk)
    if not imports.commit_job(job, Actor.from_request(request)):
        messages.error(request, _("该导入不在待确认状态，不能再次导入"))
    return redirect("member_import:job", job.pk)


@require_POST
@permission_page("members.add_member")
def discard(request, pk):
    job = get_object_or_404(_jobs(request), pk=pk)
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED).update(
        status=ImportJob.Status.FAILED,
        message=_("已放弃，未导入任何会员"),
        finished_at=timezone.now(),
    )
    if updated:
        imports.discard_file(job)
        messages.success(request, _("已放弃导入“%(name)s”") % {"name": job.file_name})
    return redirect("member_import:upload")


@permission_page("members.view_member")
def export(request):
    """The search page's list, with the same filters, as xlsx."""
    members = selectors.search_members(**selectors.search_filters(SearchForm(request.GET)))
    content = exports.export_workbook(
        members, show_id_numbers=selectors.may_see_id_numbers(request.user)
    )
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="members-{stamp}.xlsx"'
    return response
