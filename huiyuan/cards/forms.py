"""Card lifecycle forms on the member page. Rules are the services' (cards.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huiyuan.cards.models import CardType, Medium
from huiyuan.core.forms import YuanField
from huiyuan.core.money import format_fen


class CardActionForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)


class ReissueForm(CardActionForm):
    """补卡 / 换卡: the new card's medium and the fee (blank: the card type's 工本费)."""

    medium = forms.ChoiceField(label=_("新卡介质"), choices=Medium.choices)
    fee = YuanField(
        required=False,
        label=_("工本费（元）"),
        help_text=_("留空按卡类型收取"),
        error_messages={"negative": _("费用不能为负")},
    )


def receipt_total_field() -> YuanField:
    return YuanField(required=False, label=_("当日小票金额（元）"))


class ReceiptTotalMixin:
    """当日小票金额 (`receipt_total_fen`, declared where the form wants it) for card types with
    a registration threshold (办卡门槛): kept only while some active card type has one, with a
    help text naming them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        thresholds = [
            f"{card_type.name} {format_fen(card_type.registration_threshold_fen)}"
            for card_type in self.fields["card_type"].queryset
            if card_type.registration_threshold_fen
        ]
        if not thresholds:
            del self.fields["receipt_total_fen"]
            return
        self.fields["receipt_total_fen"].help_text = _(
            "办卡门槛：%(thresholds)s（须当日消费满此金额）；其他卡类型不必填写"
        ) % {"thresholds": "、".join(thresholds)}


class IssueForm(ReceiptTotalMixin, forms.Form):
    """A new card for a member holding none (e.g. after their card was cancelled)."""

    card_type = forms.ModelChoiceField(
        label=_("卡类型"), queryset=CardType.objects.filter(is_active=True), empty_label=None
    )
    medium = forms.ChoiceField(label=_("介质"), choices=Medium.choices, initial=Medium.E_CARD)
    receipt_total_fen = receipt_total_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_issue_%s")
        super().__init__(*args, **kwargs)
