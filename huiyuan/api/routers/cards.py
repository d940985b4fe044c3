"""Card lifecycle (API.md "Members and cards"): report loss, unlock, replace, renew, freeze,
unfreeze, cancel. Thin wrappers over `cards.services`; a state that does not allow the action is
`409 CARD_ACTION_NOT_ALLOWED`."""

from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import StrictInt

from huiyuan.api.conventions import idempotent
from huiyuan.api.schemas import CARD_NO_PATTERN, CardOut
from huiyuan.cards import services
from huiyuan.cards.models import Card
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError

router = Router(tags=["会员卡"])

CardNo = Annotated[str, Path(pattern=CARD_NO_PATTERN, description="卡号")]


class ReasonIn(Schema):
    reason: str = Field("", max_length=200)


class ReissueIn(ReasonIn):
    medium: Literal["ic", "magnetic", "rfid", "e_card"] | None = Field(
        None, description="新卡介质；默认与旧卡相同"
    )
    fee_fen: StrictInt | None = Field(None, ge=0, le=2**31 - 1, description="工本费；默认按卡类型")


def card_or_404(card_no: str) -> Card:
    card = (
        Card.objects.select_related("member", "card_type", "store").filter(number=card_no).first()
    )
    if card is None:
        raise DomainError("CARD_NOT_FOUND", field="card_no")
    return card


def _moved(request, card_no, payload, action) -> Card:
    payload = payload or ReasonIn()  # no body: all defaults
    card = action(
        actor=Actor.from_request(request), card=card_or_404(card_no), reason=payload.reason
    )
    return card_or_404(card.number)


def _reissued(request, card_no, payload, action) -> Card:
    payload = payload or ReissueIn()
    card = action(
        actor=Actor.from_request(request),
        card=card_or_404(card_no),
        medium=payload.medium,
        fee_fen=payload.fee_fen,
        reason=payload.reason,
    )
    return card_or_404(card.number)


@router.post("/cards/{card_no}/report-loss", response=CardOut)
@decorate_view(idempotent)
def report_loss(request: HttpRequest, card_no: CardNo, payload: ReasonIn = None):
    """挂失（正常卡）。"""
    return _moved(request, card_no, payload, services.report_card_loss)


@router.post("/cards/{card_no}/unlock", response=CardOut)
@decorate_view(idempotent)
def unlock(request: HttpRequest, card_no: CardNo, payload: ReasonIn = None):
    """解挂（已挂失的卡）。"""
    return _moved(request, card_no, payload, services.unlock_card)


@router.post("/cards/{card_no}/freeze", response=CardOut)
@decorate_view(idempotent)
def freeze(request: HttpRequest, card_no: CardNo, payload: ReasonIn = None):
    """冻结（正常卡）。"""
    return _moved(request, card_no, payload, services.freeze_card)


@router.post("/cards/{card_no}/unfreeze", response=CardOut)
@decorate_view(idempotent)
def unfreeze(request: HttpRequest, card_no: CardNo, payload: ReasonIn = None):
    """解冻（已冻结的卡）。"""
    return _moved(request, card_no, payload, services.unfreeze_card)


@router.post("/cards/{card_no}/cancel", response=CardOut)
@decorate_view(idempotent)
def cancel(request: HttpRequest, card_no: CardNo, payload: ReasonIn = None):
    """注销卡（正常、挂失或冻结的卡）。会员本身不注销。"""
    return _moved(request, card_no, payload, services.cancel_card)


@router.post("/cards/{card_no}/replace", response={201: CardOut})
@decorate_view(idempotent)
def replace(request: HttpRequest, card_no: CardNo, payload: ReissueIn = None):
    """补卡：发一张新卡号的卡，旧卡永久作废；余额属于会员，不受影响。返回新卡。"""
    return Status(201, _reissued(request, card_no, payload, services.replace_card))


@router.post("/cards/{card_no}/renew", response={201: CardOut})
@decorate_view(idempotent)
def renew(request: HttpRequest, card_no: CardNo, payload: ReissueIn = None):
    """以旧换新（正常卡）：新介质或新的有效期。返回新卡。"""
    return Status(201, _reissued(request, card_no, payload, services.renew_card))
