"""The returns pages' forms: the receipt scan, the order search, and the return itself (one
quantity field per line of the order, `qty_<line_no>`)."""

from decimal import Decimal

from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huiyuan.sales.models import ReturnSettings
from huiyuan.sales.return_plans import REFUND_METHODS
from huiyuan.sales.returns import can_return_without_receipt

METHOD_LABELS = {
    "original": gettext_lazy("原路退回"),
    "cash": gettext_lazy("银行卡 / 微信 / 支付宝部分改退现金"),
}


class ScanForm(forms.Form):
    order_no = forms.CharField(label=gettext_lazy("扫描小票条码或输入销售单号"), max_length=32)

    def clean_order_no(self):
        return self.cleaned_data["order_no"].strip().upper()


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("会员号 / 手机号 / 单号"), max_length=40, required=False)
    day = forms.DateField(
        label=gettext_lazy("销售日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def searched(self) -> bool:
        return self.is_valid() and bool(self.cleaned_data["q"] or self.cleaned_data["day"])


class ReturnForm(forms.Form):
    """`lines` are (order line, quantity still returnable). A return without the receipt asks for
    an approving manager unless the cashier may approve it."""

    request_ref = forms.CharField(widget=forms.HiddenInput, max_length=64)
    refund_method = forms.ChoiceField(
        label=gettext_lazy("退款方式"),
        choices=[(method, METHOD_LABELS[method]) for method in REFUND_METHODS],
        initial="original",
    )
    reason = forms.CharField(label=gettext_lazy("退货原因"), max_length=200, required=False)

    def __init__(self, *args, lines, with_receipt: bool, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        self.with_receipt = with_receipt
        for line, left in lines:
            places = 3 if line.product.is_weighed else 0
            self.fields[f"qty_{line.line_no}"] = forms.DecimalField(
                label=line.product_name,
                required=False,
                min_value=Decimal(0),
                max_value=left,
                decimal_places=places,
                max_digits=12,
            )
        self.needs_approval = not with_receipt and not can_return_without_receipt(user)
        if self.needs_approval:
            self.fields["manager"] = forms.CharField(label=gettext_lazy("店长账号"), max_length=150)
            self.fields["manager_password"] = forms.CharField(
                label=gettext_lazy("店长密码"), widget=forms.PasswordInput, max_length=128
            )

    def rows(self):
        return [(line, left, self[f"qty_{line.line_no}"]) for line, left in self.lines]

    def clean(self):
        data = super().clean()
        if not self.chosen():
            raise forms.ValidationError(_("请填写要退货的数量"))
        return data

    def chosen(self) -> list:
        return [
            (line, qty)
            for line, _left in self.lines
            if (qty := self.cleaned_data.get(f"qty_{line.line_no}"))
        ]

    def approver(self, request, store):
        """The manager who approved a return without the receipt at `store` (None when not
        needed); an error on the password field when the account can't approve it there."""
        if not self.needs_approval:
            return None
        user = authenticate(
            request,
            username=self.cleaned_data["manager"],
            password=self.cleaned_data["manager_password"],
        )
        if not can_return_without_receipt(user, store):
            self.add_error(
                "manager_password", _("店长账号或密码不正确，或该账号没有无小票退货权限")
            )
            return None
        return user


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ReturnSettings
        fields = ["points_shortfall", "used_issued_coupon"]
        widgets = dict.fromkeys(fields, forms.RadioSelect)
