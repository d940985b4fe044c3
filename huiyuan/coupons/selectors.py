"""Read-only questions about coupons: what the till may apply, what a member holds."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.core.errors import DomainError
from huiyuan.coupons import codes
from huiyuan.coupons.models import Coupon, CouponKind, CouponState, CouponTemplate
from huiyuan.coupons.services import check_usable
from huiyuan.sales.pricing import CouponOffer, Scope


def coupon_offers(codes_: list[str], member, store, at: datetime.datetime) -> list[CouponOffer]:
    """The presented coupons as engine values, or the first refusal: COUPON_NOT_FOUND, one of
    another member (COUPON_NOT_APPLICABLE), used, expired, revoked, not yet valid or not for this
    store; `fields["code"]` names the coupon. Whether the cart suits it is the engine's call."""
    on = timezone.localdate(at)
    offers = []
    for code in dict.fromkeys(codes.normalize(text) for text in codes_):
        coupon = _coupons().filter(code=code).first()
        if coupon is None:
            raise DomainError("COUPON_NOT_FOUND", fields={"code": code})
        if member is None or coupon.member_id != member.pk:
            raise DomainError(
                "COUPON_NOT_APPLICABLE", _("该优惠券不属于当前会员"), fields={"code": code}
            )
        check_usable(coupon, store, on)
        offers.append(offer(coupon.template, code=coupon.code, id=coupon.pk, face=coupon.face_fen))
    return offers


def offer(template: CouponTemplate, *, code: str, id: int, face: int | None = None) -> CouponOffer:
    """A template (saved, or a form's unsaved one with `scope` lists set) as the engine's value."""
    products, categories = _scope(template)
    return CouponOffer(
        id=id,
        code=code,
        name=template.name,
        kind=CouponKind(template.kind),
        face_fen=template.face_fen if face is None else face,
        permille=template.permille,
        min_spend_fen=template.min_spend_fen,
        cap_fen=template.cap_fen,
        scope=Scope(product_codes=frozenset(products), category_codes=frozenset(categories)),
        combinable=template.combinable,
        gift_product_code=template.gift_product.code if template.gift_product_id else "",
    )


def _scope(template: CouponTemplate) -> tuple[list[str], list[str]]:
    preview = getattr(template, "preview_scope", None)  # an unsaved template on the edit page
    if preview is not None:
        return preview
    return (
        [product.code for product in template.products.all()],
        [category.code for category in template.categories.all()],
    )


def _coupons() -> QuerySet:
    return Coupon.objects.select_related("template", "template__gift_product").prefetch_related(
        "template__products", "template__categories", "template__stores"
    )


def member_coupons(member, usable_on: datetime.date | None = None) -> QuerySet:
    """The member's coupons, newest first; with `usable_on`, only those issued and valid that
    day (store scope aside)."""
    coupons = _coupons().filter(member=member)
    if usable_on is not None:
        coupons = coupons.filter(
            state=CouponState.ISSUED, valid_from__lte=usable_on, valid_until__gte=usable_on
        )
    return coupons


def usable_coupons(member, store, on: datetime.date) -> QuerySet:
    """The member's coupons the till can take today at `store` (the cart's checks aside)."""
    coupons = member_coupons(member, usable_on=on)
    return coupons.filter(Q(template__stores=None) | Q(template__stores=store)).distinct()


def search(*, q="", state="", template=None, member=None, date_from=None, date_to=None):
    """The coupon search page and its filters."""
    coupons = Coupon.objects.select_related("template", "member")
    if q:
        code = codes.normalize(q)
        coupons = coupons.filter(
            Q(code=code) | Q(member__member_no=q.strip()) | Q(member__phone=q.strip())
        )
    if state:
        coupons = coupons.filter(state=state)
    if template is not None:
        coupons = coupons.filter(template=template)
    if member is not None:
        coupons = coupons.filter(member=member)
    if date_from:
        coupons = coupons.filter(issued_at__date__gte=date_from)
    if date_to:
        coupons = coupons.filter(issued_at__date__lte=date_to)
    return coupons
