"""The category tree page: add, rename, (de)activate, move, reorder, and each category's
extension attributes. Every change posts to its own address and comes back to the tree."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyuan.catalog import categories
from huiyuan.catalog.forms import (
    AttributeForm,
    CategoryEditForm,
    MoveForm,
    NewCategoryForm,
)
from huiyuan.catalog.models import Attribute, Category
from huiyuan.catalog.selectors import attributes_for
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import permission_page


def _back(category=None):
    url = reverse("catalog:categories")
    return redirect(f"{url}?selected={category.pk}" if category else url)


def _refused(request, error: DomainError):
    messages.error(request, "；".join(m for m in error.fields.values() if m) or error.message)


def _submit(request, form, act, *, back_to, done: str):
    """The shape of every edit on the tree page: a valid form runs `act(actor, cleaned_data)`,
    then `done` (formatted with the form's data) or the refusal is shown, back on the tree."""
    if not form.is_valid():
        _form_errors(request, form)
        return _back(back_to)
    try:
        act(Actor.from_request(request), form.cleaned_data)
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, done % form.cleaned_data)
    return _back(back_to)


def _form_errors(request, form):
    messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))


@permission_page("catalog.view_category")
def category_tree(request):
    selected = request.GET.get("selected")
    category = Category.objects.filter(pk=selected).first() if str(selected).isdigit() else None
    context = {
        "categories": Category.objects.order_by("path"),
        "selected": category,
        "new_form": NewCategoryForm(
            initial={"parent": category.pk if category else None}, auto_id="new_%s"
        ),
        "attribute_form": AttributeForm(auto_id="attr_%s"),
    }
    if category:
        own = [a for a in attributes_for(category) if a.category_id == category.pk]
        context.update(
            edit_form=CategoryEditForm(
                initial={
                    "name": category.name,
                    "code": category.code,
                    "is_active": category.is_active,
                },
                auto_id="edit_%s",
            ),
            move_form=MoveForm(
                category=category,
                initial={"parent": getattr(Category.objects.get_parent(category), "pk", None)},
                auto_id="move_%s",
            ),
            inherited=[a for a in attributes_for(category) if a.category_id != category.pk],
            own_attributes=[
                (a, AttributeForm(initial=_attribute_initial(a), auto_id=f"a{a.pk}_%s"))
                for a in own
            ],
        )
    return render(request, "catalog/categories.html", context)


def _attribute_initial(attribute):
    return {
        "name": attribute.name,
        "kind": attribute.kind,
        "required": attribute.required,
        "choices": "、".join(attribute.choices),
        "unit": attribute.unit,
    }


@require_POST
@permission_page("catalog.add_category")
def category_add(request):
    form = NewCategoryForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back()
    try:
        category = categories.create_category(
            actor=Actor.from_request(request), **form.cleaned_data
        )
    except DomainError as error:
        _refused(request, error)
        return _back(form.cleaned_data["parent"])
    messages.success(request, _("已添加类别“%(name)s”") % {"name": category.name})
    return _back(category)


@require_POST
@permission_page("catalog.change_category")
def category_edit(request, pk):
    category = get_object_or_404(Category, pk=pk)
    return _submit(
        request,
        CategoryEditForm(request.POST),
        lambda actor, data: categories.update_category(actor=actor, category=category, **data),
        back_to=category,
        done=_("类别已保存"),
    )


@require_POST
@permission_page("catalog.change_category")
def category_move(request, pk):
    category = get_object_or_404(Category, pk=pk)
    return _submit(
        request,
        MoveForm(request.POST, category=category),
        lambda actor, data: categories.move_category(
            actor=actor, category=category, parent=data["parent"]
        ),
        back_to=category,
        done=_("类别已移动"),
    )


@require_POST
@permission_page("catalog.change_category")
def category_shift(request, pk):
    category = get_object_or_404(Category, pk=pk)
    categories.shift_category(
        actor=Actor.from_request(request), category=category, up=request.POST.get("up") == "1"
    )
    return _back(category)


@require_POST
@permission_page("catalog.change_category")
def attribute_add(request, pk):
    category = get_object_or_404(Category, pk=pk)
    return _submit(
        request,
        AttributeForm(request.POST),
        lambda actor, data: categories.add_attribute(actor=actor, category=category, **data),
        back_to=category,
        done=_("已添加属性“%(name)s”"),
    )


@require_POST
@permission_page("catalog.change_category")
def attribute_edit(request, pk):
    attribute = get_object_or_404(Attribute, pk=pk)
    return _submit(
        request,
        AttributeForm(request.POST),
        lambda actor, data: categories.update_attribute(actor=actor, attribute=attribute, **data),
        back_to=attribute.category,
        done=_("属性已保存"),
    )


@require_POST
@permission_page("catalog.change_category")
def attribute_delete(request, pk):
    attribute = get_object_or_404(Attribute, pk=pk)
    categories.delete_attribute(actor=Actor.from_request(request), attribute=attribute)
    messages.success(request, _("已删除属性“%(name)s”") % {"name": attribute.name})
    return _back(attribute.category)
