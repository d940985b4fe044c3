"""Points forms: desk adjustment, ledger filter, and marketing's rule and settings forms.
Amounts are typed in yuan and kept in fen; the rules themselves live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huiyuan.core.forms import DateRangeMixin, YuanField
from huiyuan.points.models import EarnRule, PointsDay, PointsEntry, PointsProgram
from huiyuan.points.rules import PROGRAM_FIELDS

DATE = forms.DateInput({"type": "date"}, format="%Y-%m-%d")


class AdjustForm(forms.Form):
    delta = forms.IntegerField(
        label=_("调整积分"),
        min_value=-10_000_000,
        max_value=10_000_000,
        help_text=_("正数为增加，负数为扣减"),
    )
    reason = forms.CharField(label=_("调整原因"), max_length=200)


class RedeemForm(forms.Form):
    points = forms.IntegerField(label=_("兑换积分"), min_value=1, max_value=10_000_000)
    ref_no = forms.CharField(
        label=_("兑换单号"), max_length=64, help_text=_("每次兑换一个新单号（如兑换单的编号）")
    )
    reason = forms.CharField(label=_("说明"), max_length=200, required=False)


class LedgerFilterForm(DateRangeMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部类型")), *PointsEntry.Kind.choices]
    )
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=DATE)


class EarnRuleForm(forms.ModelForm):
    fen_per_point = YuanField(label=_("每积 1 分所需金额（元）"))

    class Meta:
        model = EarnRule
        fields = [
            "name", "is_active", "priority", "fen_per_point", "rounding", "basis", "starts_on",
            "ends_on", "stores", "card_types", "tiers", "category_codes", "product_codes",
            "exclude_category_codes", "exclude_product_codes",
        ]  # fmt: skip
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "stores": forms.CheckboxSelectMultiple,
            "card_types": forms.CheckboxSelectMultiple,
            "tiers": forms.CheckboxSelectMultiple,
            **{
                name: forms.Textarea({"rows": 2, "placeholder": _("多个编码用逗号或换行分隔")})
                for name in (
                    "category_codes", "product_codes", "exclude_category_codes",
                    "exclude_product_codes",
                )
            },
        }  # fmt: skip
        help_texts = {
            "stores": _("不选表示全部门店"),
            "card_types": _("不选表示全部卡类型"),
            "tiers": _("不选表示全部会员等级"),
        }

    def clean_fen_per_point(self):
        fen = self.cleaned_data["fen_per_point"]
        if not fen:
            raise forms.ValidationError(_("金额须大于 0"))
        return fen


class PointsDayForm(forms.ModelForm):
    weekdays = forms.MultipleChoiceField(
        label=_("星期"),
        required=False,
        choices=[(str(day), label) for day, label in enumerate(
            [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")], 1
        )],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示区间内每天"),
    )  # fmt: skip

    class Meta:
        model = PointsDay
        fields = ["name", "is_active", "starts_on", "ends_on", "weekdays", "multiplier_permille",
                  "stores"]  # fmt: skip
        widgets = {"starts_on": DATE, "ends_on": DATE, "stores": forms.CheckboxSelectMultiple}
        help_texts = {
            "multiplier_permille": _("2000 表示双倍积分"),
            "stores": _("不选表示全部门店"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["weekdays"] = list(self.instance.weekdays or "")

    def clean_weekdays(self):
        return "".join(sorted(self.cleaned_data["weekdays"]))


class ProgramForm(forms.ModelForm):
    referral_threshold_fen = YuanField(required=False, label=_("被推荐人首单金额门槛（元）"))

    class Meta:
        model = PointsProgram
        fields = PROGRAM_FIELDS
        help_texts = {
            "expiry_months": _("“每批 N 个月过期”与“N 个月无消费过期”所用的月数"),
            "birthday_multiplier_permille": _("2000 表示双倍；会员等级另有生日倍数时取较高者"),
            "pay_max_share_permille": _("500 表示最多抵扣订单金额的 50%"),
        }

    def clean_referral_threshold_fen(self):
        return self.cleaned_data["referral_threshold_fen"] or 0
