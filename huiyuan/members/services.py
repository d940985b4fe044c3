"""Members: register (with a card in the same step), edit the profile, cancel. All audited."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from huiyuan.cards import services as card_services
from huiyuan.cards.models import Card, CardType
from huiyuan.core import audit, pii, sequences
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import Store
from huiyuan.members import photos, validation
from huiyuan.members.models import Member
from huiyuan.points.bonuses import award_registration_bonus
from huiyuan.tiers import services as tier_services
from huiyuan.wallet.accounts import locked_account

# Member numbers are 8 digits, easy to key in at a till: 10000001, 10000002, …
MEMBER_NO_START = 10_000_000
# What an audit before/after shows of a member: never the ID number in clear.
PROFILE_FIELDS = [
    "name",
    "gender",
    "birthday",
    "phone",
    "id_type",
    "id_number_masked",
    "email",
    "address",
    "tags",
    "referrer",
    "consent_sms",
    "consent_email",
    "consent_wechat",
    "notes",
]
# What a profile edit may change, in the order the edit form shows it (ID number: separately).
EDITABLE = (
    "name",
    "gender",
    "birthday",
    "phone",
    "email",
    "address",
    "tags",
    "consent_sms",
    "consent_email",
    "consent_wechat",
    "notes",
)


PINYIN_MAX = Member._meta.get_field("name_pinyin").max_length
INITIALS_MAX = Member._meta.get_field("name_initials").max_length


def name_search_keys(name: str) -> tuple[str, str]:
    """'张三' → ('zhangsan', 'zs'): what the search box matches for people who type pinyin."""
    full = "".join(lazy_pinyin(name)).lower().replace(" ", "")
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower().replace(" ", "")
    # A 50-character name can spell more than the columns hold ('庄' is 'zhuang'; 'İ' lowers to
    # two characters): search matches prefixes, so the tail is cut rather than refused.
    return full[:PINYIN_MAX], initials[:INITIALS_MAX]


def new_member_numbers(count: int = 1) -> list[str]:
    return [str(MEMBER_NO_START + n) for n in sequences.take("member_no", count)]


@transaction.atomic
def register_member(
    *,
    actor: Actor,
    name: str,
    phone: str,
    store: Store,
    channel: str = Member.Channel.COUNTER,
    gender: str = "",
    birthday: datetime.date | None = None,
    id_type: str = "",
    id_number: str = "",
    email: str = "",
    address: str = "",
    referrer: Member | None = None,
    consent_sms: bool = False,
    consent_email: bool = False,
    consent_wechat: bool = False,
    notes: str = "",
    card_type: CardType | None = None,
    card_medium: str = "e_card",
    receipt_total_fen: int | None = None,
    photo: tuple[bytes, bytes] | None = None,
) -> Member:
    """A new member (and, with `card_type`, their card; with `photo`, their photo as
    `photos.prepare` made it) — or a clear refusal, nothing written."""
    member = Member(
        name=name.strip(),
        phone=validation.normalize_phone(phone),
        store=store,
        channel=channel,
        gender=gender,
        birthday=birthday,
        email=email.strip(),
        address=address.strip(),
        referrer=referrer,
        consent_sms=consent_sms,
        consent_email=consent_email,
        consent_wechat=consent_wechat,
        notes=notes,
        registered_by=actor.operator,
    )
    _check_profile(member)
    _set_id(member, id_type, id_number)
    member.name_pinyin, member.name_initials = name_search_keys(member.name)
    (member.member_no,) = new_member_numbers()
    _save(member)
    audit.record(
        actor, "member.register", member, after=audit.snapshot(member, PROFILE_FIELDS), store=store
    )
    if card_type is not None:
        card_services.issue_card(
            actor=actor,
            member=member,
            card_type=card_type,
            medium=card_medium,
            store=store,
            receipt_total_fen=receipt_total_fen,
        )
    tier_services.start_member(actor=actor, member=member, card_type=card_type)
    # After the starting tier: a bonus large enough lifts the member from there at once. (The
    # lock order of core/ledgers.py doesn't bind a member nobody else can see yet.)
    award_registration_bonus(actor=actor, member=member)
    if photo is not None:
        photos.store_photo(actor=actor, member=member, images=photo)
    return member


@transaction.atomic
def update_member(*, actor: Actor, member: Member, **changes) -> Member:
    """Edit the profile; the audit shows exactly what changed (the ID number only masked)."""
    unknown = set(changes) - set(EDITABLE) - {"id_type", "id_number"}
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    member = Member.objects.select_for_update().get(pk=member.pk)
    member.check_active()
    before = audit.snapshot(member, PROFILE_FIELDS)
    tags = changes.pop("tags", None)
    if "phone" in changes:
        changes["phone"] = validation.normalize_phone(changes["phone"])
    if "id_number" in changes or "id_type" in changes:
        _set_id(member, changes.pop("id_type", member.id_type), changes.pop("id_number", ""))
    for name, value in changes.items():
        setattr(member, name, value.strip() if isinstance(value, str) else value)
    member.name_pinyin, member.name_initials = name_search_keys(member.name)
    _check_profile(member)
    _save(member)
    if tags is not None:
        member.tags.set(tags)
    old, new = audit.changes(before, audit.snapshot(member, PROFILE_FIELDS))
    if new:
        audit.record(actor, "member.update", member, before=old, after=new, store=member.store)
    return member


@transaction.atomic
def cancel_member(*, actor: Actor, member: Member, reason: str) -> Member:
    """注销: the member's live card is cancelled too. Refused while stored value (principal or
    bonus) remains: refund it first."""
    if not reason.strip():
        raise DomainError("VALIDATION_ERROR", fields={"reason": _("请填写注销原因")})
    member = Member.objects.select_for_update().get(pk=member.pk)
    member.check_active()
    if locked_account(member).total_fen:
        raise DomainError("STORED_VALUE_REMAINS")
    for card in member.cards.filter(status__in=Card.LIVE):
        card_services.cancel_card(actor=actor, card=card, reason=reason)
    member.status, member.cancelled_reason = Member.Status.CANCELLED, reason.strip()
    member.save(update_fields=["status", "cancelled_reason", "updated_at"])
    audit.record(actor, "member.cancel", member, after={"reason": reason}, store=member.store)
    return member


def id_holder(id_type: str, id_number: str) -> Member | None:
    """The active member registered with this ID document, found by its HMAC."""
    number = validation.normalize_id_number(id_type, id_number)
    return _active_holder(id_number_hash=pii.lookup_hash(number))


def phone_holder(phone: str) -> Member | None:
    return _active_holder(phone=validation.normalize_phone(phone))


def _active_holder(exclude: Member | None = None, **lookup) -> Member | None:
    """The active member (other than `exclude`) with this phone or ID hash."""
    holders = Member.objects.filter(status=Member.Status.ACTIVE, **lookup)
    if exclude is not None and exclude.pk is not None:
        holders = holders.exclude(pk=exclude.pk)
    return holders.first()


def _set_id(member: Member, id_type: str, id_number: str) -> None:
    """One card per ID document: an ID that an active member already holds is refused."""
    if not id_number:
        member.set_id_number(id_type if id_type else "", "")
        return
    number = validation.normalize_id_number(id_type, id_number)
    holder = _active_holder(exclude=member, id_number_hash=pii.lookup_hash(number))
    if holder is not None:
        raise _held_by("ID_NUMBER_ALREADY_HAS_CARD", "id_number", holder)
    member.set_id_number(id_type, number)


def _held_by(code: str, field: str, holder: Member) -> DomainError:
    """The refusal, naming the member who already holds the phone or ID (`fields["holder"]`):
    pages link to them for roles that may see members; the API returns it to the terminal."""
    error = DomainError(code, field=field)
    error.fields["holder"] = holder.member_no
    return error


def _check_profile(member: Member) -> None:
    if not member.name:
        raise DomainError("VALIDATION_ERROR", fields={"name": _("请填写姓名")})
    if member.birthday and member.birthday > timezone.localdate():
        raise DomainError("VALIDATION_ERROR", fields={"birthday": _("生日不能晚于今天")})
    if member.birthday and member.birthday.year < 1900:
        raise DomainError("VALIDATION_ERROR", fields={"birthday": _("生日不正确")})
    try:
        member.full_clean(
            exclude=[
                "member_no",
                "name_pinyin",
                "name_initials",
                "store",
                "registered_by",
                "referrer",
            ],
            validate_constraints=False,  # uniqueness is _save's, with its own error codes
        )
    except ValidationError as exc:
        raise DomainError.from_validation(exc) from exc


def _save(member: Member) -> None:
    holder = _active_holder(exclude=member, phone=member.phone)
    if holder is not None:
        raise _held_by("MEMBER_EXISTS", "phone", holder)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:  # a concurrent registration with the same phone or ID won the race
        raise DomainError("MEMBER_EXISTS", field="phone") from None
