"""Card lifecycle forms on the member page. Rules are the services' (cards.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huiyuan.cards.models import CardType, Medium
from huiyuan.core.money import parse_yuan


class CardActionForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)


class ReissueForm(CardActionForm):
    """补卡 / 换卡: the new card's medium and the fee (blank: the card type's 工本费)."""

    medium = forms.ChoiceField(label=_("新卡介质"), choices=Medium.choices)
    fee = forms.CharField(
        label=_("工本费（元）"),
        max_length=16,
        required=False,
        help_text=_("留空按卡类型收取"),
    )

    def clean_fee(self):
        text = self.cleaned_data["fee"].strip()
        if not text:
            return None
        try:
            fen = parse_yuan(text)
        except ValueError:
            raise forms.ValidationError(_("请填写金额，如 10 或 10.50")) from None
        if fen < 0:
            raise forms.ValidationError(_("费用不能为负"))
        return fen


class IssueForm(forms.Form):
    """A new card for a member holding none (e.g. after their card was cancelled)."""

    card_type = forms.ModelChoiceField(
        label=_("卡类型"), queryset=CardType.objects.none(), empty_label=None
    )
    medium = forms.ChoiceField(label=_("介质"), choices=Medium.choices, initial=Medium.E_CARD)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_issue_%s")
        super().__init__(*args, **kwargs)
        self.fields["card_type"].queryset = CardType.objects.filter(is_active=True)
