"""Schemas shared by several routers: members and their cards as the API shows them.

The ID number never leaves in clear: only `id_number_masked`.
"""

import datetime
from typing import Annotated

from django.utils import timezone
from ninja import Field, Schema
from pydantic import PlainSerializer

# Times leave in the installation's zone (Asia/Shanghai) with their offset (API.md).
LocalDateTime = Annotated[
    datetime.datetime,
    PlainSerializer(lambda value: timezone.localtime(value).isoformat(), return_type=str),
]

# What a path parameter must look like before anything reaches the database.
MEMBER_NO_PATTERN = r"^[0-9]{8,12}$"
# Query text may not hold NUL: no database column stores it (bodies are checked by the parser).
NO_NUL = r"^[^\x00]*$"
CARD_NO_PATTERN = r"^[0-9]{8,32}$"


class CardOut(Schema):
    card_no: str = Field(..., alias="number")
    card_type_code: str = Field(..., alias="card_type.code")
    card_type_name: str = Field(..., alias="card_type.name")
    medium: str = Field(..., description="`ic`, `magnetic`, `rfid` or `e_card`")
    status: str = Field(
        ..., description="`active`, `lost`, `frozen`, `replaced`, `cancelled` or `expired`"
    )
    issued_at: LocalDateTime
    expires_on: datetime.date | None = Field(None, description="null: no expiry")
    store_code: str = Field(..., alias="store.code", description="the issuing store")
    member_no: str = Field(..., alias="member.member_no")


class MemberOut(Schema):
    member_no: str
    name: str
    gender: str = Field(..., description="`M`, `F`, or empty")
    birthday: datetime.date | None
    phone: str
    id_type: str = Field(
        ...,
        description="`resident_id`, `passport`, `hk_macao_permit`, `taiwan_permit`, or empty",
    )
    id_number_masked: str = Field(..., description="the ID number is never returned in clear")
    email: str
    address: str
    tags: list[str]
    channel: str
    store_code: str = Field(..., alias="store.code", description="the registering store")
    referrer_member_no: str | None
    consent_sms: bool
    consent_email: bool
    consent_wechat: bool
    notes: str
    status: str = Field(..., description="`active` or `cancelled`")
    created_at: LocalDateTime
    updated_at: LocalDateTime
    card: CardOut | None = Field(
        None, description="the member's live card (active, lost or frozen), if any"
    )

    @staticmethod
    def resolve_tags(member) -> list[str]:
        return [tag.name for tag in member.tags.all()]

    @staticmethod
    def resolve_referrer_member_no(member) -> str | None:
        return member.referrer.member_no if member.referrer_id else None

    @staticmethod
    def resolve_card(member):
        from huiyuan.cards.models import Card

        prefetched = getattr(member, "live_cards", None)  # see with_live_card
        if prefetched is not None:
            return prefetched[0] if prefetched else None
        return (
            member.cards.filter(status__in=Card.LIVE)
            .select_related("card_type", "store", "member")
            .first()
        )


def with_live_card(members):
    """A member list with what MemberOut shows prefetched: tags and the live card (a page of 200
    members is then a handful of queries, not three per member)."""
    from django.db.models import Prefetch

    from huiyuan.cards.models import Card

    live = Card.objects.filter(status__in=Card.LIVE).select_related("card_type", "store", "member")
    return members.select_related("store", "referrer").prefetch_related(
        "tags", Prefetch("cards", queryset=live, to_attr="live_cards")
    )
