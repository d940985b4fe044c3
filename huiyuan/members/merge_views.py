"""合并重复会员: the page's member is kept, the other record (typed at the desk) is absorbed.

Two steps: find the other record (GET), then a confirmation with both members side by side and
what will move, which posts the merge with a reason (members.merging).
"""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import permission_page, show_domain_error
from huiyuan.members import merging
from huiyuan.members.models import Member


class FindForm(forms.Form):
    other = forms.CharField(
        label=gettext_lazy("重复的会员"),
        max_length=40,
        help_text=gettext_lazy("输入要并入本会员的另一条记录的会员号、卡号或手机号"),
    )


class MergeForm(forms.Form):
    absorbed = forms.CharField(widget=forms.HiddenInput, max_length=20)
    reason = forms.CharField(
        label=gettext_lazy("合并原因"),
        max_length=merging.REASON_MAX,
        initial=gettext_lazy("同一人重复登记"),
    )


@permission_page("members.merge_member")
def merge(request, member_no):
    kept = get_object_or_404(Member.objects.select_related("store"), member_no=member_no)
    if request.method == "POST":
        return _merge(request, kept)
    find_form = FindForm(request.GET or None)
    if find_form.is_valid():
        absorbed = _mergeable(find_form, find_form.cleaned_data["other"], kept)
        if absorbed is not None:
            form = MergeForm(initial={"absorbed": absorbed.member_no})
            return _confirmation(request, kept, absorbed, form)
    return render(request, "members/merge.html", {"member": kept, "find_form": find_form})


def _merge(request, kept: Member):
    form = MergeForm(request.POST)
    find_form = FindForm({"other": request.POST.get("absorbed", "")})
    absorbed = _mergeable(find_form, request.POST.get("absorbed", ""), kept)
    if absorbed is None:
        return render(request, "members/merge.html", {"member": kept, "find_form": find_form})
    if form.is_valid():
        try:
            merging.merge_members(
                actor=Actor.from_request(request),
                absorbed=absorbed,
                kept=kept,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("会员 %(absorbed)s 已合并到本会员，积分、储值与会员卡已转入")
                % {"absorbed": absorbed.member_no},
            )
            return redirect("members:detail", member_no=kept.member_no)
    return _confirmation(request, kept, absorbed, form)


def _mergeable(find_form: FindForm, q: str, kept: Member) -> Member | None:
    """The other record if the two may be merged; else None, the refusal on `find_form`."""
    try:
        absorbed = merging.find_duplicate(q)
        merging.check_mergeable(absorbed, kept)
    except DomainError as error:
        find_form.add_error("other", error.message)
        return None
    return absorbed


def _confirmation(request, kept: Member, absorbed: Member, form: MergeForm):
    return render(
        request,
        "members/merge.html",
        {
            "member": kept,
            "absorbed": absorbed,
            "preview": merging.preview(absorbed, kept),
            "form": form,
        },
    )
