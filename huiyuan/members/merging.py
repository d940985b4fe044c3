"""Merging two records of one person (issue 5, item 12): the absorbed member's balances, cards,
tags and referrals move to the kept member, in one transaction, audited on both.

- Balances move through the ledgers' own merge blocks (points, then stored value and count cards,
  then tier standing: the lock order of core/ledgers.py), as transfer rows: the absorbed
  member's ledgers, lots, top-ups and used count cards stay on its record, history unchanged.
- Cards: every card of the absorbed member moves to the kept one (the card row's member; its
  CardEvents keep the member they were written for), so the kept page lists every card the
  person held and an old card number, scanned, finds the kept member (with its own refusal if
  it is no longer usable). A live card moves as it is when the kept member has none; otherwise
  it is cancelled first (CardEvent "合并会员"): a member holds at most one live card.
- Referrals that named the absorbed member name the kept one; the kept member's own referrer is
  kept (a referrer that was the absorbed record itself is cleared: nobody refers themself).
- The absorbed member becomes `merged` with `merged_into`: no longer active, so its phone and ID
  no longer count for uniqueness, and its number resolves to the kept member
  (`selectors.kept_member`).
- The kept member's profile (phone, ID, birthday, consents…), own referrer and stored-value
  payment password stay as they are: nothing of the absorbed profile is copied; once merged, its
  phone and ID are free for the desk to put on the kept record.
- Coupons and orders don't exist yet: when they come, they join the merge here.
"""

from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from huiyuan.cards import services as card_services
from huiyuan.cards.models import Card
from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.coupons.merging import transfer_coupons
from huiyuan.members import validation
from huiyuan.members.models import Member
from huiyuan.members.summary import MemberSummary, member_summary
from huiyuan.points.merging import transfer_points
from huiyuan.tiers.merging import merge_tiers
from huiyuan.wallet.merging import transfer_wallet
from huiyuan.wallet.models import CountCardHolding

# The reason on the CardEvent of a live card cancelled by a merge (stored in Chinese).
CARD_CANCEL_REASON = gettext_noop("合并会员")
REASON_MAX = 200  # the ledgers' reason column


@dataclass(frozen=True)
class Merged:
    """What moved to the kept member (the audit's summary on both records)."""

    points: int
    principal_fen: int
    bonus_fen: int
    count_cards: int
    cards: list[str]
    cancelled_card: str | None


def check_mergeable(absorbed: Member, kept: Member) -> None:
    """Two different records, both active (a merged one is already someone else's part)."""
    if absorbed.pk == kept.pk:
        raise DomainError("MERGE_NOT_ALLOWED", _("不能把会员与自己合并"))
    for member in (absorbed, kept):
        if member.status == Member.Status.MERGED:
            message = _("会员 %(no)s 已合并到其他会员") % {"no": member.member_no}
            raise DomainError("MERGE_NOT_ALLOWED", message)
        member.check_active()


def find_duplicate(q: str) -> Member:
    """The other record, as the desk types it: member number, card number (any status: a
    duplicate's card may be lost) or the phone of an active member."""
    q = q.strip()
    try:
        phone = validation.normalize_phone(q)
    except DomainError:
        phone = None
    member = (
        Member.objects.filter(member_no=q).first()
        or Member.objects.filter(cards__number=q).first()
        or Member.objects.filter(phone=phone, status=Member.Status.ACTIVE).first()
    )
    if member is None:
        raise DomainError("MEMBER_NOT_FOUND", _("没有找到该会员（请输入会员号、卡号或手机号）"))
    return member


@dataclass(frozen=True)
class Preview:
    """What the confirmation shows: both members' balances and what will move."""

    absorbed: MemberSummary
    kept: MemberSummary
    count_cards: int
    cards: list[Card]
    moving_live_card: Card | None
    cancelled_live_card: Card | None
    new_tags: list
    referrals: int


def preview(absorbed: Member, kept: Member) -> Preview:
    theirs, ours = live_card(absorbed), live_card(kept)
    return Preview(
        absorbed=member_summary(absorbed, theirs),
        kept=member_summary(kept, ours),
        count_cards=absorbed.count_cards.filter(status=CountCardHolding.Status.ACTIVE).count(),
        cards=list(absorbed.cards.select_related("card_type")),
        moving_live_card=theirs if ours is None else None,
        cancelled_live_card=theirs if ours is not None else None,
        new_tags=list(absorbed.tags.exclude(pk__in=kept.tags.values("pk"))),
        referrals=Member.objects.filter(referrer=absorbed).count(),
    )


def live_card(member: Member) -> Card | None:
    return member.cards.filter(status__in=Card.LIVE).select_related("card_type").first()


@transaction.atomic
def merge_members(*, actor: Actor, absorbed: Member, kept: Member, reason: str) -> Member:
    """Merge `absorbed` into `kept` and return the kept member; on any refusal nothing is
    written. Both member rows are locked in id order before any account."""
    reason = reason.strip()
    if not reason:
        raise DomainError("VALIDATION_ERROR", fields={"reason": _("请填写合并原因")})
    if len(reason) > REASON_MAX:
        message = _("原因不能超过 %(n)s 个字") % {"n": REASON_MAX}
        raise DomainError("VALIDATION_ERROR", fields={"reason": message})
    if absorbed.pk == kept.pk:
        raise DomainError("MERGE_NOT_ALLOWED")
    locked = {
        pk: Member.objects.select_for_update().get(pk=pk) for pk in sorted((absorbed.pk, kept.pk))
    }
    absorbed, kept = locked[absorbed.pk], locked[kept.pk]
    check_mergeable(absorbed, kept)

    points = transfer_points(actor=actor, source=absorbed, target=kept, reason=reason)
    wallet = transfer_wallet(actor=actor, source=absorbed, target=kept, reason=reason)
    merge_tiers(actor=actor, source=absorbed, target=kept)
    transfer_coupons(actor=actor, source=absorbed, target=kept, reason=reason)
    cards, cancelled = _move_cards(actor, absorbed, kept)
    merged = Merged(
        points, wallet.principal_fen, wallet.bonus_fen, wallet.count_cards, cards, cancelled
    )
    new_tags = list(absorbed.tags.exclude(pk__in=kept.tags.values("pk")))
    kept.tags.add(*new_tags)
    referrals, referrer_cleared = _move_referrals(absorbed, kept)

    absorbed.status, absorbed.merged_into = Member.Status.MERGED, kept
    absorbed.save(update_fields=["status", "merged_into", "updated_at"])
    summary = {**asdict(merged), "reason": reason}
    audit.record(
        actor,
        "member.merge",
        absorbed,
        before={"status": Member.Status.ACTIVE},
        after={"status": Member.Status.MERGED, "merged_into": kept.member_no, **summary},
        store=absorbed.store,
    )
    audit.record(
        actor,
        "member.merge",
        kept,
        before={"referrer": absorbed.member_no} if referrer_cleared else None,
        after={
            "absorbed": absorbed.member_no,
            **summary,
            "tags": [tag.name for tag in new_tags],
            "referrals": referrals,
            **({"referrer": None} if referrer_cleared else {}),
        },
        store=kept.store,
    )
    return kept


def _move_cards(actor: Actor, absorbed: Member, kept: Member) -> tuple[list[str], str | None]:
    """Every card of `absorbed` to `kept`; its live card cancelled first if `kept` has one."""
    cancelled = None
    moving = live_card(absorbed)
    if moving is not None and live_card(kept) is not None:
        card_services.cancel_card(actor=actor, card=moving, reason=CARD_CANCEL_REASON)
        cancelled = moving.number
    cards = Card.objects.filter(member=absorbed).order_by("pk")
    numbers = list(cards.values_list("number", flat=True))
    cards.update(member=kept)
    return numbers, cancelled


def _move_referrals(absorbed: Member, kept: Member) -> tuple[list[str], bool]:
    """Members referred by `absorbed` are now referred by `kept`: their member numbers, and
    whether `kept`'s own referrer (the absorbed record) was cleared."""
    cleared = kept.referrer_id == absorbed.pk
    if cleared:
        kept.referrer = None
        kept.save(update_fields=["referrer", "updated_at"])
    referees = Member.objects.filter(referrer=absorbed)
    numbers = sorted(referees.values_list("member_no", flat=True))
    referees.update(referrer=kept)
    return numbers, cleared
