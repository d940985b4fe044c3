"""Coupon forms. Amounts are typed in yuan and kept in fen; the rules live in the services."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from huiyuan.catalog.models import Category, Product
from huiyuan.core.forms import DateRangeMixin, YuanField, split_list
from huiyuan.core.models import Store
from huiyuan.coupons.models import (
    CouponState,
    CouponTemplate,
    CouponTrigger,
    RebateProgram,
)
from huiyuan.coupons.template_rules import FIELDS
from huiyuan.members.forms import SearchForm
from huiyuan.promotions.models import MemberDay
from huiyuan.tiers.models import Tier

DATE = forms.DateInput({"type": "date"}, format="%Y-%m-%d")


class ProductCodesField(forms.CharField):
    """Product codes separated by commas, spaces or new lines → the products (each must exist)."""

    widget = forms.Textarea({"rows": 2, "placeholder": _("多个商品编码用逗号或换行分隔")})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 2000)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(getattr(item, "code", str(item)) for item in value)
        return value

    def clean(self, value):
        codes = split_list(super().clean(value))
        products = list(Product.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {product.code for product in products})
        if missing:
            raise forms.ValidationError(
                _("没有这些商品：%(codes)s") % {"codes": "、".join(missing)}
            )
        return products


class TemplateForm(forms.ModelForm):
    face_fen = YuanField(
        label=_("面值（元）"), required=False, help_text=_("代金券、满减券的减免金额")
    )
    min_spend_fen = YuanField(label=_("最低消费（元）"), required=False)
    cap_fen = YuanField(label=_("最多优惠（元）"), required=False, help_text=_("折扣券可选"))
    product_list = ProductCodesField(label=_("适用商品"), help_text=_("留空表示不限商品"))
    gift_code = forms.CharField(label=_("赠品商品编码"), required=False, max_length=30)
    categories = forms.ModelMultipleChoiceField(
        label=_("适用类别"),
        queryset=Category.objects.order_by("path"),
        required=False,
        widget=forms.SelectMultiple({"size": 5}),
    )
    stores = forms.ModelMultipleChoiceField(
        label=_("适用门店"),
        queryset=Store.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示所有门店"),
    )

    class Meta:
        model = CouponTemplate
        fields = [name for name in FIELDS if name != "gift_product"]
        widgets = {
            "valid_from": DATE,
            "valid_until": DATE,
            "kind": forms.Select({"x-model": "kind"}),
            "validity": forms.Select({"x-model": "validity"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_day"].queryset = MemberDay.objects.filter(is_active=True)
        self.fields["member_day"].help_text = _("留空：发券门店所在的会员日")
        self.fields["permille"].help_text = _("如 8.5 折填 850")
        if self.instance.pk and not self.is_bound:
            self.initial["product_list"] = list(self.instance.products.all())
            self.initial["categories"] = list(self.instance.categories.all())
            self.initial["stores"] = list(self.instance.stores.all())
            gift = self.instance.gift_product
            self.initial["gift_code"] = gift.code if gift else ""

    def clean_face_fen(self):
        return self.cleaned_data["face_fen"] or 0

    def clean_min_spend_fen(self):
        return self.cleaned_data["min_spend_fen"] or 0

    def clean_gift_code(self):
        code = self.cleaned_data["gift_code"].strip()
        if not code:
            return None
        product = Product.objects.filter(code=code).first()
        if product is None:
            raise forms.ValidationError(_("没有这个商品"))
        return product

    def _post_clean(self):
        super()._post_clean()
        self.instance.gift_product = self.cleaned_data.get("gift_code")

    def validate_unique(self):
        """Left to the service, which names the field."""

    def scope(self) -> dict:
        return {
            "products": self.cleaned_data.get("product_list") or [],
            "categories": self.cleaned_data.get("categories") or [],
            "stores": self.cleaned_data.get("stores") or [],
        }


class SampleCartForm(forms.Form):
    """The template page's sample cart: some products and an amount of other goods."""

    sample_codes = forms.CharField(
        label=_("样例商品编码"),
        required=False,
        max_length=500,
        help_text=_("每个编码一件，可重复"),
    )
    sample_other_fen = YuanField(label=_("其他商品金额（元）"), required=False, initial=10000)


class IssueForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("优惠券"),
        queryset=CouponTemplate.objects.filter(is_active=True),
        widget=forms.Select({"class": "form-select form-select-sm"}),
    )
    note = forms.CharField(
        label=_("发放原因"),
        max_length=64,
        required=False,
        widget=forms.TextInput({"class": "form-control form-control-sm"}),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("作废原因"), max_length=200)


class CouponSearchForm(DateRangeMixin, forms.Form):
    q = forms.CharField(label=_("券号 / 会员号 / 手机号"), required=False, max_length=50)
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *CouponState.choices]
    )
    template = forms.ModelChoiceField(
        label=_("模板"),
        queryset=CouponTemplate.objects.all(),
        required=False,
        empty_label=_("全部模板"),
    )
    date_from = forms.DateField(label=_("发放日期自"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("至"), required=False, widget=DATE)

    def filters(self) -> dict:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class BulkForm(SearchForm):
    """批量发券: the member search's filters (tier, tag, name…) and the template."""

    template = forms.ModelChoiceField(
        label=_("优惠券"), queryset=CouponTemplate.objects.filter(is_active=True)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["status"]  # only active members get coupons
        self.fields["template"].widget.attrs["class"] = "form-select"
        self.order_fields(["template", "tier", "tag", "q", "store", "date_from", "date_to"])


class TriggerForm(forms.ModelForm):
    class Meta:
        model = CouponTrigger
        fields = ["event", "template", "days_before", "tier", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = CouponTemplate.objects.filter(is_active=True)
        self.fields["tier"].queryset = Tier.objects.filter(is_active=True).order_by("rank")
        self.fields["days_before"].widget.attrs["max"] = 60


class RebateForm(forms.ModelForm):
    min_value_fen = YuanField(label=_("最低返利金额（元）"))
    bands = forms.CharField(
        label=_("返利档位"),
        widget=forms.Textarea({"rows": 4}),
        help_text=_("每行一档：起始积分 比例%，如“0 2”“30000 2.5”“60000 3”（超额累进）"),
    )

    class Meta:
        model = RebateProgram
        fields = [
            "template",
            "start_month",
            "first_payout_month",
            "second_payout_month",
            "point_value_fen",
            "min_value_fen",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = CouponTemplate.objects.filter(
            is_active=True, kind="cash"
        )
        self.fields["template"].help_text = _("代金券；面值按每位会员的返利金额")
        months = [(month, _("%(month)d 月") % {"month": month}) for month in range(1, 13)]
        self.fields["start_month"] = forms.TypedChoiceField(
            label=_("上半期起始月"), choices=months[:6], coerce=int
        )
        for name, label in (
            ("first_payout_month", _("上半期返利月份")),
            ("second_payout_month", _("下半期返利月份（次年）")),
        ):
            self.fields[name] = forms.TypedChoiceField(label=label, choices=months, coerce=int)
        if not self.is_bound and self.instance.pk:
            self.initial["bands"] = "\n".join(
                f"{band.from_points} {band.rate_per_10k / 100:g}"
                for band in self.instance.bands.all()
            )

    def clean_bands(self):
        bands = []
        for line in self.cleaned_data["bands"].splitlines():
            parts = line.replace("%", " ").split()
            if not parts:
                continue
            try:
                start, rate = int(parts[0]), Decimal(parts[1]) * 100
            except (ValueError, IndexError, InvalidOperation):
                raise forms.ValidationError(
                    _("“%(line)s”的格式不对，应为“起始积分 比例%%”") % {"line": line.strip()}
                ) from None
            if start < 0 or not rate.is_finite() or rate != rate.to_integral_value():
                raise forms.ValidationError(
                    _("比例最多两位小数（万分之一），起始积分不能为负：%(line)s")
                    % {"line": line.strip()}
                )
            bands.append((start, int(rate)))
        return bands
