import pytest

from huiyuan.catalog import categories
from huiyuan.catalog.models import Category
from huiyuan.catalog.selectors import attributes_for, category_subtree
from huiyuan.core.errors import DomainError
from huiyuan.core.models import AuditEvent

from .conftest import SYSTEM


def names(queryset):
    return [c.name for c in queryset]


def test_sub_categories_inherit_the_attributes_of_their_ancestors(tree):
    assert [a.name for a in attributes_for(tree["baby"])] == ["产地", "颜色"]
    assert [a.name for a in attributes_for(tree["clothes"])] == ["产地", "颜色", "尺码"]


def test_a_subtree_is_the_category_and_everything_under_it(tree):
    shoes = categories.create_category(
        actor=SYSTEM, name="童鞋", code="050101", parent=tree["clothes"]
    )
    assert names(category_subtree(tree["baby"])) == ["母婴", "童装", "童鞋"]
    assert names(category_subtree(shoes)) == ["童鞋"]


def test_codes_are_unique_and_names_required(tree):
    for name, code, field in (("母婴2", "05", "code"), ("", "09", "name")):
        with pytest.raises(DomainError) as exc:
            categories.create_category(actor=SYSTEM, name=name, code=code)
        assert exc.value.code == "VALIDATION_ERROR"
        assert field in exc.value.fields


def test_siblings_move_up_and_down(db):
    a, b, c = (categories.create_category(actor=SYSTEM, name=n, code=n) for n in "ABC")
    categories.shift_category(actor=SYSTEM, category=c, up=True)
    assert names(Category.objects.get_root_nodes()) == ["A", "C", "B"]
    categories.shift_category(actor=SYSTEM, category=a, up=False)
    assert names(Category.objects.get_root_nodes()) == ["C", "A", "B"]
    categories.shift_category(actor=SYSTEM, category=c, up=True)  # already first
    assert names(Category.objects.get_root_nodes()) == ["C", "A", "B"]
    assert AuditEvent.objects.filter(action="category.move").count() == 2


def test_moving_a_category_takes_its_subtree_and_inherits_the_new_attributes(tree):
    food = categories.create_category(actor=SYSTEM, name="食品", code="02")
    categories.add_attribute(actor=SYSTEM, category=food, name="保质期", kind="number")
    categories.move_category(actor=SYSTEM, category=tree["clothes"], parent=food)
    clothes = Category.objects.get(pk=tree["clothes"].pk)
    assert Category.objects.get_parent(clothes) == food
    assert [a.name for a in attributes_for(clothes)] == ["保质期", "尺码"]
    categories.move_category(actor=SYSTEM, category=clothes, parent=None)
    assert names(Category.objects.get_root_nodes()) == ["母婴", "食品", "童装"]


def test_a_category_cannot_move_under_itself(tree):
    with pytest.raises(DomainError) as exc:
        categories.move_category(actor=SYSTEM, category=tree["baby"], parent=tree["clothes"])
    assert "parent" in exc.value.fields


def test_a_move_that_would_give_two_attributes_one_name_is_refused(tree):
    other = categories.create_category(actor=SYSTEM, name="服饰", code="03")
    categories.add_attribute(actor=SYSTEM, category=other, name="尺码")
    with pytest.raises(DomainError):
        categories.move_category(actor=SYSTEM, category=tree["clothes"], parent=other)
    assert Category.objects.get_parent(Category.objects.get(pk=tree["clothes"].pk)) == tree["baby"]


def test_attribute_names_may_not_repeat_along_a_branch(tree):
    with pytest.raises(DomainError) as exc:
        categories.add_attribute(actor=SYSTEM, category=tree["clothes"], name="产地")
    assert "产地" in exc.value.fields["name"]
    with pytest.raises(DomainError):
        categories.add_attribute(actor=SYSTEM, category=tree["baby"], name="尺码")


def test_a_choice_attribute_needs_choices(tree):
    with pytest.raises(DomainError) as exc:
        categories.add_attribute(actor=SYSTEM, category=tree["baby"], name="材质", kind="choice")
    assert "choices" in exc.value.fields


def test_renaming_and_deactivating_are_audited(tree):
    categories.update_category(actor=SYSTEM, category=tree["baby"], name="母婴用品")
    categories.update_category(actor=SYSTEM, category=tree["baby"], is_active=False)
    events = AuditEvent.objects.filter(action="category.update").order_by("id")
    assert [e.after for e in events] == [{"name": "母婴用品"}, {"is_active": False}]
    categories.update_attribute(actor=SYSTEM, attribute=tree["origin"], required=False)
    assert AuditEvent.objects.get(action="attribute.update").after == {"required": False}
