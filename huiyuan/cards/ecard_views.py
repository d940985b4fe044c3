"""The e-card page: the desk shows a member their card's barcode and a QR code that renews itself.

The member website will reuse `ecard_context` and the `ecard/_codes.html` fragment with its own
access rule (the member's own card); only the permission decorator is back-office specific.
"""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django_htmx.http import HttpResponseClientRefresh

from huiyuan.cards import ecard
from huiyuan.cards.models import Card
from huiyuan.cards.services import check_usable
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import permission_page


def ecard_context(card: Card) -> dict:
    """What the codes fragment needs: the codes for a usable card, else only why it can't be used
    (a lost or frozen card shows no codes at all)."""
    try:
        check_usable(card)
    except DomainError as refusal:
        return {"card": card, "refusal": refusal.message}
    return {
        "card": card,
        "barcode_svg": ecard.barcode_svg(card.number),
        "qr_svg": ecard.qr_svg(ecard.make_token(card)),
        "token_seconds": ecard.token_seconds(),
        "refresh_seconds": ecard.refresh_seconds(),
    }


def _card(card_no: str) -> Card:
    return get_object_or_404(
        Card.objects.select_related("member", "card_type", "store"), number=card_no
    )


@never_cache
@permission_page("cards.view_card")
def ecard_page(request, card_no: str):
    card = _card(card_no)
    return render(request, "ecard/page.html", ecard_context(card))


@never_cache
def ecard_codes(request, card_no: str):
    """The fragment the page polls for a fresh QR code (and a card that became unusable).

    A poll after the session ended reloads the whole page (which then goes to the login page)
    rather than letting htmx swap the login page into the card."""
    if request.htmx and not request.user.is_authenticated:
        return HttpResponseClientRefresh()
    return _ecard_codes(request, card_no)


@permission_page("cards.view_card")
def _ecard_codes(request, card_no: str):
    card = _card(card_no)
    return render(request, "ecard/_codes.html", ecard_context(card))
