"""Member tags (VIP, 老顾客, 企业客户 …): kept by the desk and marketing, every change audited."""

from django.db import transaction
from django.utils.translation import gettext as _

from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.members.models import Tag


@transaction.atomic
def create_tag(*, actor: Actor, name: str) -> Tag:
    tag = Tag(name=_valid_name(name))
    tag.save()
    audit.record(actor, "member_tag.create", tag, after={"name": tag.name})
    return tag


@transaction.atomic
def rename_tag(*, actor: Actor, tag: Tag, name: str) -> Tag:
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    before, tag.name = tag.name, _valid_name(name, exclude=tag)
    if tag.name != before:
        tag.save()
        audit.record(
            actor, "member_tag.update", tag, before={"name": before}, after={"name": tag.name}
        )
    return tag


@transaction.atomic
def delete_tag(*, actor: Actor, tag: Tag) -> int:
    """Removes the tag from every member who had it; returns how many they were."""
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    members = tag.members.count()
    audit.record(actor, "member_tag.delete", tag, before={"name": tag.name, "members": members})
    tag.delete()
    return members


def _valid_name(name: str, exclude: Tag | None = None) -> str:
    name = name.strip()
    if not name or len(name) > Tag._meta.get_field("name").max_length:
        raise DomainError("VALIDATION_ERROR", fields={"name": _("标签名须为 1 至 30 个字")})
    clash = Tag.objects.filter(name=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise DomainError("VALIDATION_ERROR", fields={"name": _("已有同名标签")})
    return name
