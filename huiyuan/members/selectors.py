"""Finding members: by any number a customer offers, or by name, pinyin and initials."""

import re

from django.db.models import Q, QuerySet

from huiyuan.cards import ecard
from huiyuan.cards.models import Card
from huiyuan.cards.services import check_usable
from huiyuan.core import pii
from huiyuan.core.errors import DomainError
from huiyuan.members import validation
from huiyuan.members.models import Member
from huiyuan.tiers.selectors import members_in_tier

ID_LIKE = re.compile(r"[0-9]{17}[0-9Xx]")


def search_members(
    q: str = "",
    *,
    status: str = "",
    store=None,
    tag=None,
    tier=None,
    date_from=None,
    date_to=None,
) -> QuerySet:
    """The list behind the one search box: card number, phone, member number, ID number (exact,
    by HMAC), name, pinyin or initials (`zs` finds 张三).

    Members belong to the whole chain (a member shops in any store), so every operator who may
    see members searches them all; `store` narrows to where they registered, the dates to when.
    """
    members = Member.objects.select_related("store")
    q = q.strip()
    if q:
        members = members.filter(_matching(q))
    if status:
        members = members.filter(status=status)
    if store is not None:
        members = members.filter(store=store)
    if tag is not None:
        members = members.filter(tags=tag)
    if tier is not None:
        members = members_in_tier(members, tier)
    if date_from:
        members = members.filter(created_at__date__gte=date_from)
    if date_to:
        members = members.filter(created_at__date__lte=date_to)
    return members.distinct() if tag is not None else members


def search_filters(form) -> dict:
    """The valid filters of a member search form (a bad field is dropped, the rest kept), as
    keyword arguments for `search_members`; the page and its export share them."""
    form.is_valid()
    names = ("q", "status", "store", "tag", "tier", "date_from", "date_to")
    return {name: form.cleaned_data[name] for name in names if form.cleaned_data.get(name)}


def _matching(q: str) -> Q:
    text = q.lower().replace(" ", "")
    match = (
        Q(member_no=q)
        # The member a merged record's number now stands for (members/merging.py).
        | Q(pk__in=Member.objects.filter(member_no=q).values("merged_into_id"))
        | Q(phone=q)
        # A subquery, not a join: a member with several cards must come back once.
        | Q(pk__in=Card.objects.filter(number=q).values("member_id"))
        | Q(name__icontains=q)
        | Q(name_pinyin__startswith=text)
        | Q(name_initials__startswith=text)
    )
    if ID_LIKE.fullmatch(q):
        match |= Q(id_number_hash=pii.lookup_hash(q.upper()))
    return match


def lookup_member(q: str) -> tuple[Member, Card | None]:
    """One member for the till: by card number, e-card token, phone or member number (card
    checked usable).

    A card that is lost, frozen, replaced, cancelled or expired is refused with its own code. A
    merged record's member number gives the member it was merged into (its phone doesn't: it
    counts no more, only the kept member's own phone finds them).
    """
    q = q.strip()
    if ecard.looks_like_token(q):  # the e-card's QR code: a signed token, never the number
        card = ecard.verify_token(q)
    else:
        card = Card.objects.select_related("member", "card_type").filter(number=q).first()
    if card is not None:
        check_usable(card)
        member = card.member
    else:
        member = (
            Member.objects.filter(Q(member_no=q) | Q(phone=_phone_or_none(q)))
            .filter(status=Member.Status.ACTIVE)
            .first()
        ) or member_by_no(q, status=Member.Status.MERGED)
        if member is None:
            raise DomainError("MEMBER_NOT_FOUND", field="q")
        card = member.cards.filter(status__in=Card.LIVE).select_related("card_type").first()
        if card is not None:
            check_usable(card)
    member.check_active()
    return member, card


def with_absorbed(member: Member) -> list[int]:
    """The member's id and those of every record merged into it, directly or through others
    (what a per-member limit counts: a merge doesn't renew it)."""
    ids, frontier = [member.pk], [member.pk]
    while frontier:
        frontier = list(
            Member.objects.filter(merged_into__in=frontier).values_list("pk", flat=True)
        )
        ids += frontier
    return ids


def kept_member(member: Member) -> Member:
    """The member a merged record now stands for (itself when it was never merged)."""
    while member.status == Member.Status.MERGED:
        member = Member.objects.select_related("store").get(pk=member.merged_into_id)
    return member


def member_by_no(member_no: str, **filters) -> Member | None:
    """The member with this number; a merged record's number gives the kept member."""
    member = Member.objects.select_related("store").filter(member_no=member_no, **filters).first()
    return kept_member(member) if member is not None else None


def may_see_id_numbers(operator) -> bool:
    return operator.has_perm("members.view_id_number")


def _phone_or_none(q: str) -> str | None:
    try:
        return validation.normalize_phone(q)
    except DomainError:
        return None
