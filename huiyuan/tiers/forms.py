"""Tier pages' forms. They only shape input: the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huiyuan.core.forms import DateRangeMixin
from huiyuan.tiers.models import Tier, TierChange, TierProgram
from huiyuan.tiers.services import PROGRAM_FIELDS, TIER_FIELDS


class TierForm(forms.ModelForm):
    perks = forms.CharField(
        label=_("会员权益"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一项，会员在会员网站上看到，如：免费停车 2 小时"),
    )

    class Meta:
        model = Tier
        fields = TIER_FIELDS
        help_texts = {"rank": _("数字越大等级越高，如 普通 0、银卡 1、金卡 2")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["perks"] = "\n".join(self.instance.perks or [])

    def clean_perks(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["perks"].splitlines() if line.strip()]

    def validate_unique(self):
        """Left to the service, which names the field."""


class ProgramForm(forms.ModelForm):
    class Meta:
        model = TierProgram
        fields = PROGRAM_FIELDS
        help_texts = {
            "window_months": _("评级依据为“滚动周期内获得的积分”时使用"),
            "review_day": _("1 至 28 日"),
        }


DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class HistoryFilterForm(DateRangeMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("变动"), required=False, choices=[("", _("全部变动")), *TierChange.Kind.choices]
    )
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=DATE)


class OverrideForm(forms.Form):
    tier = forms.ModelChoiceField(
        label=_("指定等级"), queryset=Tier.objects.filter(is_active=True), empty_label=None
    )
    until = forms.DateField(label=_("指定至"), widget=DATE)
    reason = forms.CharField(label=_("原因"), max_length=200)


class EndOverrideForm(forms.Form):
    reason = forms.CharField(label=_("结束原因"), max_length=200, required=False)
