"""Writes to the category tree and its extension attributes (every one audited)."""

from django.db import transaction
from django.utils.translation import gettext as _

from huiyuan.catalog.models import Attribute, Category
from huiyuan.catalog.selectors import attributes_for
from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError

CATEGORY_FIELDS = ["name", "code", "is_active"]
ATTRIBUTE_FIELDS = ["name", "kind", "required", "choices", "unit", "position"]


def _invalid(field, message):
    return DomainError("VALIDATION_ERROR", fields={field: message})


def _check_category(name, code, exclude=None):
    if not name.strip():
        raise _invalid("name", _("请填写类别名称"))
    if not code.strip():
        raise _invalid("code", _("请填写类别编码"))
    if Category.objects.filter(code=code.strip()).exclude(pk=exclude).exists():
        raise _invalid("code", _("类别编码已存在"))


@transaction.atomic
def create_category(*, actor: Actor, name: str, code: str, parent: Category | None = None):
    _check_category(name, code)
    fields = {"name": name.strip(), "code": code.strip()}
    if parent is None:
        category = Category.objects.add_root(create_kwargs=fields)
    else:
        category = Category.objects.add_child(
            Category.objects.get(pk=parent.pk), create_kwargs=fields
        )
    audit.record(
        actor, "category.create", category, after=audit.snapshot(category, CATEGORY_FIELDS)
    )
    return category


@transaction.atomic
def update_category(*, actor: Actor, category: Category, **changes) -> Category:
    """Rename, recode, (de)activate. A deactivated category takes no new products."""
    category = Category.objects.select_for_update().get(pk=category.pk)
    before = audit.snapshot(category, CATEGORY_FIELDS)
    unknown = set(changes) - set(CATEGORY_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(category, name, value.strip() if isinstance(value, str) else value)
    _check_category(category.name, category.code, exclude=category.pk)
    category.save()
    old, new = audit.changes(before, audit.snapshot(category, CATEGORY_FIELDS))
    if new:
        audit.record(actor, "category.update", category, before=old, after=new)
    return category


@transaction.atomic
def move_category(*, actor: Actor, category: Category, parent: Category | None) -> Category:
    """Put the category (with its sub-tree) last under `parent`, or last at the top level."""
    category = Category.objects.get(pk=category.pk)
    old_parent = Category.objects.get_parent(category)
    if parent is not None:
        parent = Category.objects.get(pk=parent.pk)
        if parent.path.startswith(category.path):
            raise _invalid("parent", _("不能移到自己或自己的下级类别之下"))
        Category.objects.move(category, parent, "last-child")
    elif category.is_root():
        return category
    else:
        Category.objects.move(category, Category.objects.get_first_root_node(), "last-sibling")
    _check_inherited_names(Category.objects.get(pk=category.pk))
    return _record_move(actor, category, old_parent)


@transaction.atomic
def shift_category(*, actor: Actor, category: Category, up: bool) -> Category:
    """Swap the category with its previous (up) or next sibling; at either end, nothing."""
    category = Category.objects.get(pk=category.pk)
    sibling = (
        Category.objects.get_prev_sibling(category)
        if up
        else Category.objects.get_next_sibling(category)
    )
    if sibling is None:
        return category
    Category.objects.move(category, sibling, "left" if up else "right")
    return _record_move(actor, category, Category.objects.get_parent(category))


def _record_move(actor, category, old_parent):
    category = Category.objects.get(pk=category.pk)
    parent = Category.objects.get_parent(category)
    audit.record(
        actor,
        "category.move",
        category,
        before={"parent": str(old_parent or "")},
        after={"parent": str(parent or ""), "position": category.path},
    )
    return category


def _clean_attribute(category, fields, exclude=None):
    name = (fields.get("name") or "").strip()
    if not name:
        raise _invalid("name", _("请填写属性名称"))
    kind = fields.get("kind") or Attribute.Kind.TEXT
    if kind not in Attribute.Kind.values:
        raise _invalid("kind", _("属性类型不正确"))
    choices = [str(c).strip() for c in fields.get("choices") or [] if str(c).strip()]
    if kind == Attribute.Kind.CHOICE and not choices:
        raise _invalid("choices", _("选项类型的属性至少需要一个可选值"))
    cleaned = {
        "name": name,
        "kind": kind,
        "required": bool(fields.get("required")),
        "choices": list(dict.fromkeys(choices)) if kind == Attribute.Kind.CHOICE else [],
        "unit": (fields.get("unit") or "").strip(),
        "position": int(fields.get("position") or 0),
    }
    clash = [a for a in _attributes_around(category) if a.name == name and a.pk != exclude]
    if clash:
        raise _invalid("name", _("上级或下级类别已有同名属性“%(name)s”") % {"name": name})
    return cleaned


def _attributes_around(category):
    """Attributes of the category's ancestors, itself and its descendants: names must differ."""
    below = Attribute.objects.filter(category__path__startswith=category.path)
    return attributes_for(category) + list(below.exclude(category=category))


def _check_inherited_names(category):
    """After a move, the sub-tree's attribute names must not clash with the new ancestors'."""
    names = [a.name for a in _attributes_around(category)]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise _invalid(
            "parent", _("移动后属性重名：%(names)s") % {"names": "、".join(sorted(duplicates))}
        )


@transaction.atomic
def add_attribute(*, actor: Actor, category: Category, **fields) -> Attribute:
    attribute = Attribute.objects.create(category=category, **_clean_attribute(category, fields))
    audit.record(
        actor, "attribute.create", attribute, after=audit.snapshot(attribute, ATTRIBUTE_FIELDS)
    )
    return attribute


@transaction.atomic
def update_attribute(*, actor: Actor, attribute: Attribute, **fields) -> Attribute:
    """Values already stored keep their key (`Attribute.key`), so a rename loses nothing."""
    attribute = Attribute.objects.select_for_update().get(pk=attribute.pk)
    before = audit.snapshot(attribute, ATTRIBUTE_FIELDS)
    merged = {**before, **fields}
    for name, value in _clean_attribute(attribute.category, merged, attribute.pk).items():
        setattr(attribute, name, value)
    attribute.save()
    old, new = audit.changes(before, audit.snapshot(attribute, ATTRIBUTE_FIELDS))
    if new:
        audit.record(actor, "attribute.update", attribute, before=old, after=new)
    return attribute


@transaction.atomic
def delete_attribute(*, actor: Actor, attribute: Attribute) -> None:
    """Products keep the stored value (unused): history stays readable in the audit log."""
    audit.record(
        actor, "attribute.delete", attribute, before=audit.snapshot(attribute, ATTRIBUTE_FIELDS)
    )
    attribute.delete()
