from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huiyuan.cards.card_types import CARD_TYPE_FIELDS
from huiyuan.cards.models import CardType, Medium
from huiyuan.tiers.models import Tier


class CardTypeForm(forms.ModelForm):
    media = forms.MultipleChoiceField(
        label=_("允许的介质"),
        choices=Medium.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CardType
        fields = CARD_TYPE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Active tiers, and the one already chosen even if it was deactivated since.
        current = Q(pk=self.instance.starting_tier_id) if self.instance.starting_tier_id else Q()
        self.fields["starting_tier"].queryset = Tier.objects.filter(Q(is_active=True) | current)

    def validate_unique(self):
        """Left to the service, which names the field."""
