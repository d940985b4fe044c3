"""Card type pages (administrators and marketing)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from huiyuan.cards import card_types
from huiyuan.cards.card_type_forms import CardTypeForm
from huiyuan.cards.models import CardType
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import permission_page, show_domain_error


@permission_page("cards.view_cardtype")
def card_type_list(request):
    return render(request, "card_types/list.html", {"card_types": CardType.objects.all()})


@permission_page("cards.add_cardtype")
def card_type_create(request):
    return _form(request, None)


@permission_page("cards.change_cardtype")
def card_type_edit(request, pk):
    return _form(request, get_object_or_404(CardType, pk=pk))


def _form(request, card_type):
    form = CardTypeForm(request.POST or None, instance=card_type)
    if request.method == "POST" and form.is_valid():
        actor = Actor.from_request(request)
        try:
            if card_type is None:
                saved = card_types.create_card_type(actor=actor, **form.cleaned_data)
            else:
                saved = card_types.update_card_type(
                    actor=actor, card_type=card_type, **form.cleaned_data
                )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("卡类型“%(name)s”已保存") % {"name": saved.name})
            return redirect("card_types:list")
    return render(request, "card_types/form.html", {"form": form, "card_type": card_type})
