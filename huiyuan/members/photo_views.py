"""The member photo: upload or remove it on the member page, and stream it to those who may see
it (members.photos.may_see_photo). Never a public file: `Cache-Control: private`."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import permission_page, show_domain_error
from huiyuan.members import photos
from huiyuan.members.forms import PhotoForm
from huiyuan.members.models import Member
from huiyuan.members.views import detail_page

# The address changes with the photo (?v=<file name>), so a browser may keep it for a while.
CACHE_CONTROL = "private, max-age=3600"


def _member(request, member_no) -> Member:
    """The member, or 404 when the operator may not see their photo (nothing revealed)."""
    member = get_object_or_404(Member.objects.select_related("store"), member_no=member_no)
    if not photos.may_see_photo(request.user, member):
        raise Http404
    return member


@require_GET
@permission_page("members.view_member")
def photo(request, member_no, size="photo"):
    member = _member(request, member_no)
    if not member.photo:
        raise Http404
    path = photos.file_path(member.photo, thumb=size == "thumb")
    try:
        stream = photos.storage().open(path)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(stream, content_type="image/jpeg")
    response["Cache-Control"] = CACHE_CONTROL
    return response


@require_POST
@permission_page("members.change_member")
def upload(request, member_no):
    member = _member(request, member_no)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            photos.set_photo(
                actor=Actor.from_request(request), member=member, upload=form.cleaned_data["photo"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("会员照片已更新"))
            return redirect("members:detail", member_no=member.member_no)
    return detail_page(request, member, photo_form=form, status=422)


@require_POST
@permission_page("members.change_member")
def remove(request, member_no):
    member = _member(request, member_no)
    try:
        photos.remove_photo(actor=Actor.from_request(request), member=member)
    except DomainError as error:
        messages.error(request, error.fields.get("photo") or error.message)
    else:
        messages.success(request, _("会员照片已删除"))
    return redirect("members:detail", member_no=member.member_no)
