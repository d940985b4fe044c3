from django import forms
from django.utils.translation import gettext_lazy as _

from huiyuan.cards.card_types import CARD_TYPE_FIELDS
from huiyuan.cards.models import CardType, Medium


class CardTypeForm(forms.ModelForm):
    media = forms.MultipleChoiceField(
        label=_("允许的介质"),
        choices=Medium.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CardType
        fields = CARD_TYPE_FIELDS

    def validate_unique(self):
        """Left to the service, which names the field."""
