"""The member's coupons (API.md): list them, and issue one from a template (idempotent).
Verifying a coupon for a cart is `POST /coupons/{code}/verify` (checkout router)."""

from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from pydantic import StrictInt

from huiyuan.api.conventions import Pagination, idempotent
from huiyuan.api.routers.members import MemberNo, member_or_404
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.coupons import selectors, services
from huiyuan.coupons.api_schemas import CouponOut
from huiyuan.coupons.models import CouponTemplate

router = Router(tags=["优惠券"])


class CouponFilter(Schema):
    state: Literal["issued", "used", "expired", "revoked"] | None = None
    usable: bool | None = Field(
        None, description="true：只列今天在本门店可用的券（未使用、在有效期内、门店适用）"
    )


class IssueIn(Schema):
    template_id: Annotated[StrictInt, Field(ge=1, le=2**31 - 1)]
    note: str = Field("", max_length=64, description="发放原因")


@router.get("/members/{member_no}/coupons", response=list[CouponOut])
@paginate(Pagination)
def member_coupons(request: HttpRequest, member_no: MemberNo, filters: Query[CouponFilter]):
    """会员的优惠券，新的在前。"""
    member = member_or_404(member_no)
    if filters.usable:
        return selectors.usable_coupons(
            member, Actor.from_request(request).store, timezone.localdate()
        )
    coupons = selectors.member_coupons(member)
    return coupons.filter(state=filters.state) if filters.state else coupons


@router.post("/members/{member_no}/coupons", response={201: CouponOut})
@decorate_view(idempotent)
def issue(request: HttpRequest, member_no: MemberNo, payload: IssueIn):
    """按模板给会员发一张券（来源“手工发放”）；带 Idempotency-Key 重试不会重复发券。"""
    member = member_or_404(member_no)
    template = CouponTemplate.objects.filter(pk=payload.template_id).first()
    if template is None:
        raise DomainError("COUPON_TEMPLATE_NOT_FOUND", field="template_id")
    try:
        coupon = services.issue_by_hand(
            template, member, actor=Actor.from_request(request), note=payload.note
        )
    except DomainError as error:
        if "template" not in error.fields:
            raise
        fields = {"template_id": error.fields["template"]}
        raise DomainError(error.code, error.custom_message, fields) from None
    return Status(201, coupon)
