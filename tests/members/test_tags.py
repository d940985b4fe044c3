import pytest
from django.urls import reverse

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import AuditEvent
from huiyuan.members import tags
from huiyuan.members.models import Tag
from huiyuan.members.services import update_member

pytestmark = pytest.mark.django_db


def test_create_rename_and_delete_a_tag_are_audited(admin, register):
    actor = Actor(operator=admin)
    tag = tags.create_tag(actor=actor, name=" 老顾客 ")
    assert tag.name == "老顾客"
    member = register()
    update_member(actor=actor, member=member, tags=[tag])
    tags.rename_tag(actor=actor, tag=tag, name="常客")
    assert tags.delete_tag(actor=actor, tag=tag) == 1
    assert not member.tags.exists()
    assert list(
        AuditEvent.objects.filter(target_type="members.tag")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["member_tag.create", "member_tag.update", "member_tag.delete"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 31, "VIP"])
def test_bad_or_duplicate_names_are_refused(admin, name):
    tags.create_tag(actor=Actor(operator=admin), name="VIP")
    with pytest.raises(DomainError) as refused:
        tags.create_tag(actor=Actor(operator=admin), name=name)
    assert "name" in refused.value.fields
    assert Tag.objects.count() == 1


def test_tag_page_for_the_desk_and_not_for_cashiers(client, make_operator, register):
    desk = make_operator("member_service")
    client.force_login(desk)
    assert client.post(reverse("member_tags:list"), {"name": "企业客户"}).status_code == 302
    tag = Tag.objects.get(name="企业客户")
    update_member(actor=Actor(operator=desk), member=register(), tags=[tag])
    page = client.get(reverse("member_tags:list"))
    assert "企业客户" in page.text
    assert page.context["tags"][0].member_count == 1
    refused = client.post(reverse("member_tags:list"), {"name": "企业客户"})
    assert "已有同名标签" in refused.text
    client.post(reverse("member_tags:rename", args=[tag.pk]), {"name": ""})
    tag.refresh_from_db()
    assert tag.name == "企业客户"
    client.force_login(make_operator("cashier"))
    assert client.get(reverse("member_tags:list")).status_code == 403
    assert client.post(reverse("member_tags:delete", args=[tag.pk])).status_code == 403
    assert Tag.objects.filter(pk=tag.pk).exists()
