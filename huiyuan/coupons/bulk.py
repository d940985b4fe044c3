"""批量发券: one template's coupon to every active member a tier, a tag or a member search selects
(the member search's own filters), as a Huey job whose page shows its progress.

Each member's coupon is issued in its own transaction, once per job (the job is the coupon's
reference), so a job re-queued after a crash finishes without doubling anyone's coupon; a member
the template refuses (its per-member limit) is listed as skipped with the reason.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.coupons.models import CouponSource, CouponTemplate, IssueJob
from huiyuan.coupons.services import issue_coupon
from huiyuan.members.forms import SearchForm
from huiyuan.members.models import Member
from huiyuan.members.selectors import search_filters, search_members

FILTERS = ("q", "store", "tag", "tier", "date_from", "date_to")
PROGRESS_EVERY = 50
SKIPPED_KEPT = 200


def criteria_of(data) -> dict:
    """The member search's filters from a form's (valid) data, as text: ids and dates as typed."""
    return {name: str(data[name]) for name in FILTERS if data.get(name)}


def selected_members(criteria: dict):
    """The active members the filters select, in member-number order; nobody when a filter no
    longer reads (its tag deleted, its tier switched off since the job was started): the member
    search would drop that filter, and the coupon would go to every member."""
    form = SearchForm(criteria)
    if not form.is_valid():
        return Member.objects.none()
    filters = search_filters(form)
    return search_members(**filters, status=Member.Status.ACTIVE).order_by("member_no")


def target_of(criteria: dict) -> str:
    if set(criteria) == {"tier"}:
        return IssueJob.Target.TIER
    if set(criteria) == {"tag"}:
        return IssueJob.Target.TAG
    return IssueJob.Target.SEARCH


def start_job(
    *, actor: Actor, template: CouponTemplate, criteria: dict, description: str
) -> IssueJob:
    if not template.is_active:
        raise DomainError("COUPON_TEMPLATE_NOT_FOUND", _("该优惠券模板已停用"), field="template")
    if not criteria:
        raise DomainError("VALIDATION_ERROR", _("请选择发放对象（等级、标签或查询条件）"))
    with transaction.atomic():
        job = IssueJob.objects.create(
            template=template,
            target=target_of(criteria),
            criteria=criteria,
            description=description[:200],
            store=actor.store,
            operator=actor.operator,
        )
        audit.record(
            actor,
            "coupon.bulk_issue",
            job,
            after={"template": template.name, "criteria": criteria},
            store=actor.store,
        )
    operator_pk = actor.operator.pk if actor.operator else None
    run_job(job.pk, operator_pk, actor.ip)  # Huey: in the consumer, or at once in tests
    return job


@db_task()
def run_job(job_pk: int, operator_pk: int | None, ip: str | None = None) -> None:
    from huiyuan.staff.models import Operator

    job = IssueJob.objects.select_related("template", "store").get(pk=job_pk)
    actor = Actor(operator=Operator.objects.filter(pk=operator_pk).first(), store=job.store, ip=ip)
    try:
        _issue_to_all(job, actor)
    except Exception:
        message = _("发放中断：已发出的券仍然有效，详见系统日志")
        IssueJob.objects.filter(pk=job.pk).update(
            status=IssueJob.Status.FAILED, message=message, finished_at=timezone.now()
        )
        raise


def _issue_to_all(job: IssueJob, actor: Actor) -> None:
    if not SearchForm(job.criteria).is_valid():
        IssueJob.objects.filter(pk=job.pk).update(
            status=IssueJob.Status.FAILED,
            message=_("发放对象已失效（标签已删除或等级已停用），未发券"),
            finished_at=timezone.now(),
        )
        return
    members = list(selected_members(job.criteria))
    IssueJob.objects.filter(pk=job.pk).update(status=IssueJob.Status.RUNNING, total=len(members))
    issued, skipped = 0, []
    for done, member in enumerate(members, start=1):
        try:
            issue_coupon(
                job.template,
                member,
                source=CouponSource.BULK,
                actor=actor,
                source_ref=f"bulk-{job.pk}",
                store=job.store,
                once=True,
            )
        except DomainError as error:
            skipped.append(
                {"member_no": member.member_no, "name": member.name, "reason": error.message}
            )
        else:
            issued += 1
        if done % PROGRESS_EVERY == 0:
            IssueJob.objects.filter(pk=job.pk).update(processed=done, issued=issued)
    IssueJob.objects.filter(pk=job.pk).update(
        status=IssueJob.Status.DONE,
        processed=len(members),
        issued=issued,
        skipped=skipped[:SKIPPED_KEPT],
        finished_at=timezone.now(),
    )
