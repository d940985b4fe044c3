"""Jobs: the upload page's background work (Huey tasks `check_job` and `run_job`)."""

import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from huiyuan.core.actors import Actor
from huiyuan.members.imports import files
from huiyuan.members.imports.checks import Report
from huiyuan.members.imports.files import FileError, read_rows
from huiyuan.members.imports.pipeline import check_file, import_file
from huiyuan.members.models import ImportJob

# --- Jobs: the upload page's background work ----------------------------------------------------


def upload_folder() -> Path:
    """Where uploads wait between preview and commit (MEMBER_IMPORT_DIR, else VAR_DIR/imports)."""
    folder = Path(
        getattr(settings, "MEMBER_IMPORT_DIR", None) or Path(settings.VAR_DIR) / "imports"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def start_job(*, upload, actor: Actor, store) -> ImportJob:
    """Save the upload, check its header at once (FileError: nothing kept), and queue the
    preview check."""
    suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
    path = upload_folder() / f"{uuid.uuid4().hex}{suffix}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    try:
        _keys, rows = read_rows(path, upload.name)
        if next(rows, None) is None:
            raise FileError(_("文件里没有会员数据（只有表头）"))
    except FileError:
        path.unlink(missing_ok=True)
        raise
    job = ImportJob.objects.create(
        store=store,
        operator=actor.operator,
        file_name=Path(upload.name).name[:200],
        path=str(path),
        status=ImportJob.Status.CHECKING,
    )
    check_job(job.pk)  # a Huey task: in the consumer, or at once in immediate mode (tests)
    return job


def commit_job(job: ImportJob, actor: Actor) -> bool:
    """Queue the import of a checked job; False if it is not waiting for that."""
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED).update(
        status=ImportJob.Status.IMPORTING, processed_rows=0
    )
    if updated:
        operator_pk = actor.operator.pk if actor.operator else None
        run_job(job.pk, operator_pk, actor.ip)
    return bool(updated)


def _progress(job_pk: int):
    def write(report: Report) -> None:
        ImportJob.objects.filter(pk=job_pk).update(
            processed_rows=report.total, created_members=report.created
        )

    return write


@db_task()
def check_job(job_pk: int) -> None:
    job = ImportJob.objects.get(pk=job_pk)
    try:
        report = check_file(job.path, job.file_name, progress=_progress(job_pk))
    except FileError as error:
        _fail(job, str(error))
        return
    job.status = ImportJob.Status.CHECKED
    job.total_rows = job.processed_rows = report.total
    job.good_rows = report.good
    job.errors = report.errors[: files.MAX_ERRORS_SHOWN]
    job.save()


@db_task()
def run_job(job_pk: int, operator_pk: int | None, ip: str | None = None) -> None:
    from huiyuan.staff.models import Operator

    job = ImportJob.objects.select_related("store").get(pk=job_pk)
    operator = Operator.objects.filter(pk=operator_pk).first()
    actor = Actor(operator=operator, store=job.store, ip=ip)
    try:
        report = import_file(
            job.path,
            actor=actor,
            store=job.store,
            file_name=job.file_name,
            job=job,
            progress=_progress(job_pk),
        )
    except FileError as error:
        _fail(job, str(error))
        return
    job.refresh_from_db()
    job.status = ImportJob.Status.DONE
    job.total_rows = job.processed_rows = report.total
    job.created_members = report.created
    job.errors = report.errors[: files.MAX_ERRORS_SHOWN]
    job.finished_at = timezone.now()
    job.save()
    discard_file(job)


def _fail(job: ImportJob, message: str) -> None:
    job.status, job.message, job.finished_at = ImportJob.Status.FAILED, message, timezone.now()
    job.save(update_fields=["status", "message", "finished_at"])
    discard_file(job)


def discard_file(job: ImportJob) -> None:
    """The upload holds ID numbers in clear: it is deleted as soon as it is no longer needed."""
    if job.path:
        Path(job.path).unlink(missing_ok=True)
        ImportJob.objects.filter(pk=job.pk).update(path="")
