"""Members (API.md "Members and cards"): register, look up, read, edit, search, issue a card.

Thin wrappers over `members.services` / `members.selectors` / `cards.services`: the rules live
there, shared with the pages. The actor is the API key (its store); registrations are channel "api".
"""

import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from pydantic import StrictBool, StrictInt, model_validator

from huiyuan.api.conventions import Pagination, idempotent
from huiyuan.api.schemas import MEMBER_NO_PATTERN, NO_NUL, CardOut, MemberOut, with_live_card
from huiyuan.cards import services as card_services
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import Store
from huiyuan.coupons.api_schemas import CouponOut
from huiyuan.coupons.selectors import usable_coupons
from huiyuan.members import merging, selectors, services
from huiyuan.members.models import Member, Tag
from huiyuan.members.summary import member_summary
from huiyuan.tiers.models import Tier

router = Router(tags=["会员"])

MemberNo = Annotated[str, Path(pattern=MEMBER_NO_PATTERN, description="会员号")]
IdType = Literal["resident_id", "passport", "hk_macao_permit", "taiwan_permit"]
MediumCode = Literal["ic", "magnetic", "rfid", "e_card"]
ReceiptTotal = Annotated[
    StrictInt | None,
    Field(
        ge=0,
        le=2**31 - 1,
        description="顾客当日小票金额（分）：卡类型设有办卡门槛时必填，不足门槛为 "
        "`409 REGISTRATION_THRESHOLD_NOT_MET`",
    ),
]


class ConsentsIn(Schema):
    sms: StrictBool = False
    email: StrictBool = False
    wechat: StrictBool = False


class RegisterIn(Schema):
    name: str = Field(..., min_length=1, max_length=50)
    phone: str = Field(..., max_length=32, description="中国大陆手机号")
    gender: Literal["M", "F", ""] = ""
    birthday: datetime.date | None = None
    id_type: IdType | None = Field(
        None, description="证件类型；填写了 `id_number` 而未填此项时为 `resident_id`"
    )
    id_number: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=200)
    store_code: str | None = Field(
        None, max_length=16, description="注册门店；默认为 API 密钥所属门店"
    )
    card_type_code: str | None = Field(
        None, max_length=16, description="同时发卡的卡类型；不填则只登记会员、不发卡"
    )
    card_medium: MediumCode = Field("e_card", description="卡介质，须为该卡类型允许的介质")
    receipt_total_fen: ReceiptTotal = None
    referrer_member_no: str | None = Field(None, pattern=MEMBER_NO_PATTERN)
    consents: ConsentsIn = Field(default_factory=ConsentsIn)
    notes: str = Field("", max_length=2000)


class MemberUpdateIn(Schema):
    """Only the fields sent are changed. `id_number: ""` removes the ID document."""

    name: str = Field(None, min_length=1, max_length=50)
    gender: Literal["M", "F", ""] = None
    birthday: datetime.date | None = None
    phone: str = Field(None, max_length=32)
    id_type: IdType = None
    id_number: str = Field(None, max_length=40)
    email: str = Field(None, max_length=254)
    address: str = Field(None, max_length=200)
    tags: list[Annotated[str, Field(max_length=30)]] = Field(
        None, max_length=50, description="标签名称（须为已有标签），替换现有标签"
    )
    consent_sms: StrictBool = None
    consent_email: StrictBool = None
    consent_wechat: StrictBool = None
    notes: str = Field(None, max_length=2000)

    @model_validator(mode="after")
    def _id_type_with_its_number(self):
        if "id_type" in self.model_fields_set and "id_number" not in self.model_fields_set:
            raise ValueError("修改证件类型时须同时填写 id_number")
        return self


class IssueCardIn(Schema):
    card_type_code: str = Field(..., max_length=16)
    medium: MediumCode = "e_card"
    fee_fen: StrictInt | None = Field(None, ge=0, le=2**31 - 1, description="工本费；默认按卡类型")
    receipt_total_fen: ReceiptTotal = None


class SearchIn(Schema):
    q: str = Field(
        "",
        max_length=100,
        pattern=NO_NUL,
        description="姓名、拼音、首字母、手机号、卡号、会员号、证件号码（精确）",
    )
    tag: str = Field("", max_length=30, pattern=NO_NUL, description="标签名称")
    tier: str = Field("", max_length=30, pattern=NO_NUL, description="会员等级名称")
    status: Literal["active", "cancelled", "merged", ""] = ""


class BalancesOut(Schema):
    points: int
    stored_value_fen: int = Field(..., description="principal_fen + bonus_fen")
    principal_fen: int
    bonus_fen: int


class LookupOut(MemberOut):
    card: CardOut | None = Field(None, description="the member's active card")
    tier: str | None = Field(None, description="会员等级名称；未设等级时为 null")
    discount_permille: int = Field(
        ...,
        description="会员折扣：卡类型折扣与等级折扣取其优（不叠加）；950 = 95折，1000 = 不打折",
    )
    balances: BalancesOut = Field(..., description="积分与储值余额（本金、赠送金）")
    available_coupons: list[CouponOut] = Field(..., description="今天在本门店可用的优惠券")

    @staticmethod
    def resolve_card(member):
        return member.usable_card


def member_or_404(member_no: str) -> Member:
    member = Member.objects.select_related("store", "referrer").filter(member_no=member_no).first()
    if member is None:
        raise DomainError("MEMBER_NOT_FOUND", field="member_no")
    return member


def _store(code: str | None, actor: Actor) -> Store:
    if code is None:
        return actor.store
    store = Store.objects.filter(code=code, is_active=True).first()
    if store is None:
        raise DomainError("STORE_NOT_FOUND", field="store_code")
    return store


def _referrer(member_no: str | None) -> Member | None:
    if member_no is None:
        return None
    referrer = Member.objects.filter(member_no=member_no, status=Member.Status.ACTIVE).first()
    if referrer is None:
        raise DomainError("MEMBER_NOT_FOUND", field="referrer_member_no")
    return referrer


def _tags(names: list[str]) -> list[Tag]:
    tags = list(Tag.objects.filter(name__in=names))
    unknown = sorted(set(names) - {tag.name for tag in tags})
    if unknown:
        message = _("没有这些标签：%(names)s") % {"names": "、".join(unknown)}
        raise DomainError("VALIDATION_ERROR", fields={"tags": message})
    return tags


@router.post("/members", response={201: MemberOut})
@decorate_view(idempotent)
def register(request: HttpRequest, payload: RegisterIn):
    """登记会员；填写 `card_type_code` 时同时发卡。"""
    actor = Actor.from_request(request)
    card_type = (
        card_services.card_type_for(payload.card_type_code) if payload.card_type_code else None
    )
    id_type = payload.id_type or ("resident_id" if payload.id_number else "")
    member = services.register_member(
        actor=actor,
        name=payload.name,
        phone=payload.phone,
        store=_store(payload.store_code, actor),
        channel=Member.Channel.API,
        gender=payload.gender,
        birthday=payload.birthday,
        id_type=id_type,
        id_number=payload.id_number,
        email=payload.email,
        address=payload.address,
        referrer=_referrer(payload.referrer_member_no),
        consent_sms=payload.consents.sms,
        consent_email=payload.consents.email,
        consent_wechat=payload.consents.wechat,
        notes=payload.notes,
        card_type=card_type,
        card_medium=payload.card_medium,
        receipt_total_fen=payload.receipt_total_fen,
    )
    return Status(201, member_or_404(member.member_no))


@router.get("/members/lookup", response=LookupOut)
def lookup(
    request: HttpRequest,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            pattern=NO_NUL,
            description="卡号、手机号、会员号或电子会员码",
        ),
    ],
):
    """收银台找会员：卡已挂失、冻结、换发、注销或过期时给出对应错误码。"""
    member, card = selectors.lookup_member(q)
    member = member_or_404(member.member_no)
    member.usable_card = card  # the card that was checked usable (or none)
    summary = member_summary(member, card)
    member.tier, member.discount_permille = summary.tier, summary.discount_permille
    member.balances = summary  # read by BalancesOut
    member.available_coupons = usable_coupons(member, request.auth.store, timezone.localdate())
    return member


@router.get("/members", response=list[MemberOut])
@paginate(Pagination)
def search(request: HttpRequest, filters: Query[SearchIn]):
    """搜索会员（新登记的在前）。"""
    tag = tier = None
    if filters.tag:
        tag = Tag.objects.filter(name=filters.tag).first()
        if tag is None:
            return Member.objects.none()
    if filters.tier:
        tier = Tier.objects.filter(name=filters.tier).first()
        if tier is None:
            return Member.objects.none()
    return with_live_card(
        selectors.search_members(filters.q, status=filters.status, tag=tag, tier=tier)
    )


@router.get("/members/{member_no}", response=MemberOut)
def read(request: HttpRequest, member_no: MemberNo):
    """会员资料与当前有效卡。已合并的会员号返回其并入的会员（回答中的 `member_no` 为保留会员
    的号）。"""
    member = member_or_404(member_no)
    if member.merged_into_id:
        member = member_or_404(selectors.kept_member(member).member_no)
    return member


@router.patch("/members/{member_no}", response=MemberOut)
def update(request: HttpRequest, member_no: MemberNo, payload: MemberUpdateIn):
    """修改会员资料（只改所传字段；留审计记录）。"""
    member = member_or_404(member_no)
    changes = payload.dict(exclude_unset=True)
    if "tags" in changes:
        changes["tags"] = _tags(changes["tags"])
    if "id_number" in changes and "id_type" not in changes:
        # A new number keeps the document type; removing the number removes the document.
        changes["id_type"] = (member.id_type or "resident_id") if changes["id_number"] else ""
    services.update_member(actor=Actor.from_request(request), member=member, **changes)
    return member_or_404(member_no)


class MergeIn(Schema):
    absorbed_member_no: str = Field(
        ..., pattern=MEMBER_NO_PATTERN, description="并入本会员的重复会员号（合并后停用）"
    )
    reason: str = Field(..., min_length=1, max_length=200)


@router.post("/members/{member_no}/merge", response=MemberOut)
@decorate_view(idempotent)
def merge(request: HttpRequest, member_no: MemberNo, payload: MergeIn):
    """合并同一人的两条会员记录：积分、储值、计次卡、会员卡、标签转入本会员（`member_no`），
    被合并的会员状态为 `merged`，其会员号此后指向本会员。"""
    absorbed = Member.objects.filter(member_no=payload.absorbed_member_no).first()
    if absorbed is None:
        raise DomainError("MEMBER_NOT_FOUND", field="absorbed_member_no")
    kept = merging.merge_members(
        actor=Actor.from_request(request),
        absorbed=absorbed,
        kept=member_or_404(member_no),
        reason=payload.reason,
    )
    return member_or_404(kept.member_no)


@router.post("/members/{member_no}/cards", response={201: CardOut})
@decorate_view(idempotent)
def issue_card(request: HttpRequest, member_no: MemberNo, payload: IssueCardIn):
    """为没有有效卡的会员发卡。"""
    actor = Actor.from_request(request)
    card = card_services.issue_card(
        actor=actor,
        member=member_or_404(member_no),
        card_type=card_services.card_type_for(payload.card_type_code),
        medium=payload.medium,
        store=actor.store,
        fee_fen=payload.fee_fen,
        receipt_total_fen=payload.receipt_total_fen,
    )
    return Status(201, card)
