"""Back-office member pages: search and identify, counter registration, the member page.

Thin: every write is a service call (members.services, cards.services); refusals come back as
DomainError and are shown next to their field.
"""

import base64

import barcode
from barcode.writer import SVGWriter
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from huiyuan.cards.forms import IssueForm
from huiyuan.cards.models import Card, CardEvent
from huiyuan.cards.views import actions_for, ecard_url
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import AuditEvent
from huiyuan.core.pages import paginate, permission_page, show_domain_error
from huiyuan.members import photos, selectors, services, validation
from huiyuan.members.forms import (
    CancelMemberForm,
    LookupForm,
    MemberEditForm,
    PhotoForm,
    RegisterForm,
    SearchForm,
)
from huiyuan.members.models import Member

# A refusal that names the member already holding the phone or ID (`fields["holder"]`).
HELD_BY = ("MEMBER_EXISTS", "ID_NUMBER_ALREADY_HAS_CARD")


@permission_page("members.view_member")
def search(request):
    form = SearchForm(request.GET or None)
    filters = selectors.search_filters(form) if form.is_bound else {}
    q = filters.get("q", "")
    members = selectors.search_members(**filters).prefetch_related(
        Prefetch("cards", queryset=Card.objects.order_by("-issued_at", "-id"))
    )
    page = paginate(request, members)
    show_ids = selectors.may_see_id_numbers(request.user)
    photo_stores = photos.photo_stores(request.user)
    for member in page:
        # The live card, and the card typed in the box (so a lost or replaced number shows why).
        member.shown_cards = [
            c for c in member.cards.all() if c.status in Card.LIVE or c.number == q
        ]
        member.shown_id = member.id_number if show_ids else member.id_number_masked
        member.shows_photo = bool(member.photo) and (
            photo_stores is None or member.store_id in photo_stores
        )
    lookup_form, lookup = _lookup(request)
    return render(
        request,
        "members/search.html",
        {
            "form": form,
            "page": page,
            "q": q,
            "searched": bool(set(request.GET) - {"lookup"}),
            "lookup_form": lookup_form,
            "lookup": lookup,
        },
    )


def _lookup(request):
    """The 识别会员 box: the till's lookup (lookup_member), refusing unusable cards."""
    form = LookupForm(request.GET if "lookup" in request.GET else None)
    if not form.is_valid():
        return form, None
    try:
        member, card = selectors.lookup_member(form.cleaned_data["lookup"])
    except DomainError as error:
        return form, {"error": error.message, "code": error.code}
    photo = bool(member.photo) and photos.may_see_photo(request.user, member)
    return form, {"member": member, "card": card, "photo": photo}


def desk_lookup(request, then: str, template: str):
    """A desk's first step (会员充值, 礼品兑换): find the member by card, phone, member number
    or e-card, as the till does, and go to `then` (a URL name taking the member number); a
    refusal (lost card, cancelled member…) shows on the box."""
    form = LookupForm(request.GET if "lookup" in request.GET else None)
    if form.is_valid():
        try:
            member, _card = selectors.lookup_member(form.cleaned_data["lookup"])
        except DomainError as error:
            form.add_error("lookup", error.message)
        else:
            return redirect(then, member.member_no)
    return render(request, template, {"form": form})


@permission_page("members.add_member")
def register(request):
    form = RegisterForm(request.POST or None, request.FILES or None)
    holder = holder_field = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.register_member(
                actor=Actor.from_request(request),
                store=request.store,
                channel=Member.Channel.COUNTER,
                **data,
            )
        except DomainError as error:
            show_domain_error(form, error)
            holder = _holder(request, error)
            holder_field = "phone" if error.code == "MEMBER_EXISTS" else "id_number"
        else:
            card = member.cards.first()
            messages.success(
                request,
                _("会员 %(name)s 登记成功，会员号 %(no)s，卡号 %(card)s")
                % {
                    "name": member.name,
                    "no": member.member_no,
                    "card": card.number if card else "—",
                },
            )
            return redirect(f"{reverse('members:detail', args=[member.member_no])}?registered=1")
    return render(
        request,
        "members/register.html",
        {"form": form, "holder": holder, "holder_field": holder_field},
    )


def _holder(request, error: DomainError) -> Member | None:
    """The member named by a MEMBER_EXISTS / ID_NUMBER_ALREADY_HAS_CARD refusal, for roles that
    may see members (the page links to them)."""
    if error.code not in HELD_BY or not request.user.has_perm("members.view_member"):
        return None
    return Member.objects.filter(member_no=error.fields.get("holder")).first()


@require_GET
@permission_page("members.add_member")
def check_phone(request):
    """htmx, as the phone is typed: invalid, or already a member (with a link)."""
    raw = request.GET.get("phone", "")[:40]
    context = {}
    if len("".join(ch for ch in raw if ch.isdigit())) >= 11:
        try:
            holder = services.phone_holder(raw)
        except DomainError as error:
            context["error"] = error.message
        else:
            if holder is not None:
                context["error"] = _("该手机号已是会员")
                context["holder"] = _visible(request, holder)
            else:
                context["ok"] = _("手机号可以登记")
    return render(request, "members/_check.html", context)


@require_GET
@permission_page("members.add_member")
def check_id(request):
    """htmx, as the ID number is typed: checksum / format, or already holding a card."""
    id_type = request.GET.get("id_type", "")
    raw = request.GET.get("id_number", "").strip()[:40]
    context = {}
    if id_type and raw and (id_type != validation.RESIDENT_ID or len(raw) >= 18):
        try:
            holder = services.id_holder(id_type, raw)
        except DomainError:
            context["error"] = _("证件号码校验不通过")
        else:
            if holder is not None:
                context["error"] = _("该证件已办理会员卡（一证一卡）")
                context["holder"] = _visible(request, holder)
            else:
                context["ok"] = _("证件号码校验通过")
    return render(request, "members/_check.html", context)


def _visible(request, member: Member) -> Member | None:
    return member if request.user.has_perm("members.view_member") else None


def _member_or_404(member_no: str) -> Member:
    return get_object_or_404(
        Member.objects.select_related("store", "registered_by"), member_no=member_no
    )


@permission_page("members.view_member")
def detail(request, member_no):
    member = _member_or_404(member_no)
    return detail_page(request, member)


def detail_page(request, member, *, edit_form=None, cancel_form=None, photo_form=None, status=200):
    user = request.user
    cards = member.cards.select_related("card_type", "store", "issued_by").prefetch_related(
        Prefetch(
            "events",
            queryset=CardEvent.objects.select_related("operator", "store", "new_card"),
        )
    )
    history = (
        AuditEvent.objects.filter(target_type="members.member", target_id=str(member.pk))
        .select_related("operator", "store", "api_key")
        .order_by("-created_at", "-id")
    )
    active = member.status == Member.Status.ACTIVE
    if edit_form is None and active and user.has_perm("members.change_member"):
        edit_form = MemberEditForm(instance=member)
    if cancel_form is None and active and user.has_perm("members.change_member"):
        cancel_form = CancelMemberForm(auto_id="id_cancel_%s")
    may_see_photo = photos.may_see_photo(user, member)
    if photo_form is None and active and may_see_photo and user.has_perm("members.change_member"):
        photo_form = PhotoForm()
    cards = list(cards)
    may_act = active and user.has_perm("cards.change_card")
    may_see_cards = user.has_perm("cards.view_card")
    for card in cards:
        card.actions = actions_for(card) if may_act else []
        card.ecard_url = ecard_url(card) if may_see_cards else None
    has_live_card = any(card.status in Card.LIVE for card in cards)
    may_issue = active and not has_live_card and user.has_perm("cards.add_card")
    return render(
        request,
        "members/detail.html",
        {
            "member": member,
            "id_number": member.id_number if selectors.may_see_id_numbers(user) else None,
            "cards": cards,
            "history": paginate(request, history),
            "edit_form": edit_form,
            "cancel_form": cancel_form,
            "registered": request.GET.get("registered") == "1",
            "issue_form": IssueForm() if may_issue else None,
            "may_see_photo": may_see_photo,
            "photo_form": photo_form,
            # A merged record's page points to the member it now stands for (members/merging.py).
            "kept": selectors.kept_member(member) if member.merged_into_id else None,
        },
        status=status,
    )


@require_POST
@permission_page("members.change_member")
def edit(request, member_no):
    member = _member_or_404(member_no)
    form = MemberEditForm(request.POST, instance=Member.objects.get(pk=member.pk))
    if form.is_valid():
        try:
            services.update_member(
                actor=Actor.from_request(request), member=member, **form.changes()
            )
        except DomainError as error:
            show_domain_error(form, error)
            if error.code in HELD_BY:
                holder = _holder(request, error)
                if holder is not None:
                    form.holder = holder
        else:
            messages.success(request, _("会员资料已保存"))
            return redirect("members:detail", member_no=member.member_no)
    member.refresh_from_db()
    return detail_page(request, member, edit_form=form)


@require_POST
@permission_page("members.change_member")
def cancel(request, member_no):
    member = _member_or_404(member_no)
    form = CancelMemberForm(request.POST, auto_id="id_cancel_%s")
    if form.is_valid():
        try:
            services.cancel_member(
                actor=Actor.from_request(request), member=member, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("会员 %(no)s 已注销") % {"no": member.member_no})
            return redirect("members:detail", member_no=member.member_no)
    return detail_page(request, member, cancel_form=form)


@permission_page("members.view_member")
def welcome_slip(request, member_no):
    """A printable welcome slip: member number, name, card number and its Code 128 barcode."""
    member = _member_or_404(member_no)
    card = member.cards.filter(status__in=Card.LIVE).select_related("card_type").first()
    if member.status != Member.Status.ACTIVE:
        raise Http404
    return render(
        request,
        "members/welcome_slip.html",
        {"member": member, "card": card, "barcode": _barcode(card.number) if card else None},
    )


def _barcode(number: str) -> str:
    """A Code 128 barcode as an SVG data URI (no text under it: the slip prints the number)."""
    code = barcode.get("code128", number, writer=SVGWriter())
    svg = code.render({"module_height": 12, "module_width": 0.3, "write_text": False})
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
