"""Card lifecycle buttons of the member page: each posts here and calls one service."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from huiyuan.cards import services
from huiyuan.cards.forms import CardActionForm, IssueForm, ReissueForm
from huiyuan.cards.models import Card
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import permission_page


@dataclass(frozen=True)
class CardAction:
    code: str
    label: str
    service: Callable
    reissue: bool = False  # a new card: medium and fee
    danger: bool = False


ACTIONS = {
    action.code: action
    for action in (
        CardAction("report_loss", gettext_lazy("挂失"), services.report_card_loss, danger=True),
        CardAction("unlock", gettext_lazy("解挂"), services.unlock_card),
        CardAction("freeze", gettext_lazy("冻结"), services.freeze_card),
        CardAction("unfreeze", gettext_lazy("解冻"), services.unfreeze_card),
        CardAction("replace", gettext_lazy("补卡"), services.replace_card, reissue=True),
        CardAction("renew", gettext_lazy("换卡"), services.renew_card, reissue=True),
        CardAction("cancel", gettext_lazy("注销卡"), services.cancel_card, danger=True),
    )
}


def actions_for(card: Card) -> list[dict]:
    """The buttons a card in its status offers, each with an empty form."""
    return [
        {
            "action": action,
            # Several forms on one page: ids unique, so each label names its own field.
            "form": (ReissueForm if action.reissue else CardActionForm)(
                auto_id=f"id_{action.code}_%s"
            ),
        }
        for action in ACTIONS.values()
        if card.status in services.ALLOWED_FROM[action.code]
    ]


@require_POST
@permission_page("cards.change_card")
def card_action(request, number, action):
    action = ACTIONS.get(action)
    card = get_object_or_404(Card.objects.select_related("member"), number=number)
    if action is None:
        return redirect("members:detail", member_no=card.member.member_no)
    form = (ReissueForm if action.reissue else CardActionForm)(request.POST)
    if not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(
            request,
            _("%(action)s未完成：%(errors)s")
            % {"action": action.label, "errors": "；".join(errors)},
        )
        return redirect("members:detail", member_no=card.member.member_no)
    data = form.cleaned_data
    extra = {"medium": data["medium"], "fee_fen": data["fee"]} if action.reissue else {}
    try:
        result = action.service(
            actor=Actor.from_request(request), card=card, reason=data["reason"], **extra
        )
    except DomainError as error:
        detail = "；".join(v for k, v in error.fields.items() if k != "card_no" and v)
        messages.error(
            request,
            _("%(action)s未完成：%(message)s")
            % {"action": action.label, "message": detail or error.message},
        )
    else:
        if action.reissue:
            messages.success(
                request,
                _("%(action)s完成：旧卡 %(old)s 已作废，新卡号 %(new)s")
                % {"action": action.label, "old": card.number, "new": result.number},
            )
        else:
            messages.success(
                request,
                _("卡 %(card)s %(action)s完成") % {"card": card.number, "action": action.label},
            )
    return redirect("members:detail", member_no=card.member.member_no)


@require_POST
@permission_page("cards.add_card")
def issue(request, member_no):
    from huiyuan.members.models import Member

    member = get_object_or_404(Member, member_no=member_no)
    form = IssueForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, _("发卡未完成：%(errors)s") % {"errors": "；".join(errors)})
        return redirect("members:detail", member_no=member.member_no)
    try:
        card = services.issue_card(
            actor=Actor.from_request(request),
            member=member,
            card_type=form.cleaned_data["card_type"],
            medium=form.cleaned_data["medium"],
            store=request.store,
            receipt_total_fen=form.cleaned_data.get("receipt_total_fen"),
        )
    except DomainError as error:
        detail = "；".join(v for v in error.fields.values() if v)
        messages.error(request, _("发卡未完成：%(message)s") % {"message": detail or error.message})
    else:
        messages.success(request, _("已发卡，卡号 %(card)s") % {"card": card.number})
    return redirect("members:detail", member_no=member.member_no)


def ecard_url(card: Card) -> str | None:
    """The e-card page of an active card (other cards show no codes)."""
    if card.status != Card.Status.ACTIVE:
        return None
    return reverse("ecard:page", args=[card.number])
