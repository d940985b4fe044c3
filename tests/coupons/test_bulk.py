import pytest

from huiyuan.coupons import bulk
from huiyuan.coupons.models import Coupon, IssueJob

pytestmark = pytest.mark.django_db


def test_bulk_to_a_tag_with_progress_and_skips(register, make_template, make_operator, system):
    from huiyuan.core.actors import Actor
    from huiyuan.members.models import Tag

    vip = Tag.objects.create(name="VIP")
    members = [register(name=f"会员{i}", phone=f"1380013800{i}") for i in range(3)]
    for member in members[:2]:
        member.tags.add(vip)
    cancelled = register(name="注销", phone="13800138009")
    cancelled.tags.add(vip)
    cancelled.status = "cancelled"
    cancelled.save()
    template = make_template("VIP券", per_member_limit=1)
    Coupon.objects.create(
        code="1000000000000001", template=template, member=members[1], face_fen=1000,
        valid_from="2026-01-01", valid_until="2026-12-31", source="manual",
    )  # fmt: skip
    operator = make_operator("admin")
    job = bulk.start_job(
        actor=Actor(operator=operator),
        template=template,
        criteria=bulk.criteria_of({"tag": vip.pk}),
        description="标签 VIP",
    )
    job.refresh_from_db()
    assert (job.target, job.status, job.total, job.processed, job.issued) == (
        "tag",
        "done",
        2,
        2,
        1,
    )
    assert job.skipped == [
        {"member_no": members[1].member_no, "name": "会员1", "reason": "该会员已达此券的领取上限"}
    ]
    coupon = Coupon.objects.get(source="bulk")
    assert (coupon.member, coupon.source_ref) == (members[0], f"bulk-{job.pk}")
    bulk.run_job(job.pk, operator.pk)  # queued again: nobody gets a second one
    assert Coupon.objects.filter(source="bulk").count() == 1
    assert IssueJob.objects.get().operator == operator


def test_bulk_by_search_and_tier(register, cash10, tiers, system):
    register(name="张三", phone="13800138001")
    register(name="张四", phone="13800138002")
    register(name="王五", phone="13800138003")
    job = bulk.start_job(actor=system, template=cash10, criteria={"q": "张"}, description="张")
    assert (job.target, Coupon.objects.count()) == ("search", 2)
    criteria = bulk.criteria_of({"tier": tiers["普通"].pk})
    assert bulk.target_of(criteria) == "tier"


def test_a_tag_deleted_before_the_job_runs_issues_to_nobody(register, cash10, system):
    from huiyuan.members.models import Tag
    from huiyuan.members.tags import delete_tag

    vip = Tag.objects.create(name="VIP")
    register().tags.add(vip)
    register(name="李四", phone="13900139000")  # not a VIP
    job = IssueJob.objects.create(
        template=cash10, target="tag", criteria=bulk.criteria_of({"tag": vip.pk})
    )  # started, still queued
    delete_tag(actor=system, tag=vip)
    bulk.run_job(job.pk, None)
    job.refresh_from_db()
    assert not Coupon.objects.exists()  # the search without its tag is every member
    assert (job.status, job.issued) == ("failed", 0)
    assert "发放对象已失效" in job.message
