"""The member tag list: add, rename, delete (with how many members carry each tag)."""

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import permission_page, show_domain_error
from huiyuan.members import tags
from huiyuan.members.models import Tag


class TagForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("标签名"), max_length=30)


@permission_page("members.view_tag")
def tag_list(request):
    form = TagForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("members.add_tag"):
            return render(request, "errors/403.html", status=403)
        if form.is_valid():
            try:
                tag = tags.create_tag(actor=Actor.from_request(request), **form.cleaned_data)
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, _("已添加标签“%(name)s”") % {"name": tag.name})
                return redirect("member_tags:list")
    listed = Tag.objects.annotate(member_count=Count("members")).order_by("name")
    return render(request, "member_tags/list.html", {"tags": listed, "form": form})


@require_POST
@permission_page("members.change_tag")
def tag_rename(request, pk):
    form = TagForm(request.POST)
    tag = get_object_or_404(Tag, pk=pk)
    try:
        if not form.is_valid():
            raise DomainError("VALIDATION_ERROR", fields={"name": _("标签名须为 1 至 30 个字")})
        tags.rename_tag(actor=Actor.from_request(request), tag=tag, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, "；".join(error.fields.values()) or error.message)
    return redirect("member_tags:list")


@require_POST
@permission_page("members.delete_tag")
def tag_delete(request, pk):
    tag = get_object_or_404(Tag, pk=pk)
    count = tags.delete_tag(actor=Actor.from_request(request), tag=tag)
    messages.success(
        request, _("已删除标签“%(name)s”（%(count)s 位会员）") % {"name": tag.name, "count": count}
    )
    return redirect("member_tags:list")
