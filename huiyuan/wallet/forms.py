"""Desk and configuration forms. Amounts are typed in yuan (500, 12.50) and handled in fen."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huiyuan.core.forms import DateRangeMixin, YuanField
from huiyuan.tiers.models import Tier
from huiyuan.wallet.config import PACKAGE_FIELDS, RULE_FIELDS, SETTINGS_FIELDS
from huiyuan.wallet.models import (
    CountCardEntry,
    CountCardPackage,
    PaymentMethod,
    Pot,
    StoredValueEntry,
    TopUpBonusRule,
    WalletSettings,
)


class TopUpForm(forms.Form):
    amount_fen = YuanField(label=_("充值金额（元）"))
    payment_method = forms.ChoiceField(
        label=_("支付方式"), choices=PaymentMethod.choices, widget=forms.RadioSelect
    )
    external_ref = forms.CharField(
        label=_("支付流水号"),
        max_length=64,
        required=False,
        help_text=_("微信、支付宝或银行卡的交易号"),
    )


class RefundForm(forms.Form):
    reason = forms.CharField(label=_("退款原因"), max_length=200)


class SellCountCardForm(forms.Form):
    package = forms.ModelChoiceField(
        label=_("套餐"), queryset=CountCardPackage.objects.filter(is_active=True)
    )
    payment_method = forms.ChoiceField(
        label=_("支付方式"), choices=PaymentMethod.choices, widget=forms.RadioSelect
    )
    external_ref = forms.CharField(label=_("支付流水号"), max_length=64, required=False)


class UseCountCardForm(forms.Form):
    uses = forms.IntegerField(label=_("次数"), initial=1, min_value=1, max_value=10_000)


class PaymentPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("新支付密码"),
        required=False,
        max_length=6,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password"}),
        help_text=_("6 位数字；留空表示取消支付密码"),
    )


class LedgerFilterForm(DateRangeMixin, forms.Form):
    """A ledger's filters: kind and dates (the stored-value ledger adds the pot)."""

    kinds = StoredValueEntry.Kind

    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput({"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput({"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label=_("类型"), required=False, choices=[("", _("全部类型")), *self.kinds.choices]
        )
        self.order_fields(["kind", "pot"])

    def filters(self) -> dict:
        """The valid filters as keyword arguments for the ledger's selector (bad ones dropped)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class StoredValueLedgerFilterForm(LedgerFilterForm):
    pot = forms.ChoiceField(
        label=_("资金"), required=False, choices=[("", _("本金和赠送金")), *Pot.choices]
    )


class CountCardLedgerFilterForm(LedgerFilterForm):
    kinds = CountCardEntry.Kind


class BonusRuleForm(forms.ModelForm):
    # x-on:input feeds the form's live example line (充 ¥500 → 赠 ¥50).
    threshold_fen = YuanField(
        label=_("充值满（元）"),
        widget=forms.TextInput({"x-on:input": "amount = $event.target.value"}),
    )
    bonus_fen = YuanField(
        label=_("赠送（元）"),
        positive=True,
        widget=forms.TextInput({"x-on:input": "bonus = $event.target.value"}),
    )

    class Meta:
        model = TopUpBonusRule
        fields = RULE_FIELDS
        widgets = {
            "starts_on": forms.DateInput({"type": "date"}),
            "ends_on": forms.DateInput({"type": "date"}),
            "tiers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tiers"].queryset = Tier.objects.filter(is_active=True).order_by("rank")


class PackageForm(forms.ModelForm):
    price_fen = YuanField(label=_("售价（元）"))
    covers = forms.CharField(
        label=_("适用服务/商品编码"),
        required=False,
        max_length=500,
        help_text=_("多个编码用逗号或空格分隔"),
    )

    class Meta:
        model = CountCardPackage
        fields = PACKAGE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["covers"] = ", ".join(self.instance.covers)

    def clean_covers(self):
        text = self.cleaned_data["covers"].replace("，", ",").replace(",", " ")
        return [code.strip().upper() for code in text.split() if code.strip()]

    def validate_unique(self):
        """Left to the service, which names the field."""


class SettingsForm(forms.ModelForm):
    class Meta:
        model = WalletSettings
        fields = SETTINGS_FIELDS
