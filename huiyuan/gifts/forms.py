"""Gift catalogue forms: the gift (with one points field per tier), the desk's quantities and the
redemption list's filters. The rules themselves live in `services.py`."""

from django import forms
from django.core.validators import MinValueValidator
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from huiyuan.catalog.selectors import product_by_code
from huiyuan.core.errors import DomainError
from huiyuan.core.forms import DateRangeMixin
from huiyuan.core.models import Store
from huiyuan.core.pages import show_domain_error
from huiyuan.coupons.models import CouponTemplate
from huiyuan.gifts.models import Gift, GiftKind
from huiyuan.gifts.services import MAX_QTY, Wanted
from huiyuan.inventory.forms import SmallInputs
from huiyuan.tiers.models import Tier

DATE = forms.DateInput({"type": "date"}, format="%Y-%m-%d")
POINTS = {"min_value": 1, "max_value": 10_000_000}


class GiftForm(forms.ModelForm):
    # The hx-* attributes load the preview of the product's stock in each store; the x-on:*
    # ones feed the live table of points per tier.
    product_code = forms.CharField(
        label=_("商品编码"),
        max_length=30,
        required=False,
        help_text=_("实物礼品：从该商品的门店库存出库"),
        widget=forms.TextInput(
            {
                "hx-get": reverse_lazy("gifts:stock_preview"),
                "hx-trigger": "input changed delay:400ms, change",
                "hx-target": "#stock-preview",
                "hx-swap": "outerHTML",
            }
        ),
    )

    class Meta:
        model = Gift
        fields = [
            "name", "kind", "product_code", "coupon_template", "points", "per_member_limit",
            "limit_period", "total_quantity", "starts_on", "ends_on", "is_active", "sort_order",
            "description",
        ]  # fmt: skip
        widgets = {
            "kind": forms.RadioSelect({"x-on:change": "kind = $event.target.value"}),
            "points": forms.NumberInput({"x-on:input": "base = $event.target.value"}),
            "starts_on": DATE,
            "ends_on": DATE,
        }
        help_texts = {"points": _("各等级未单独设置时按此积分兑换")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = GiftKind.choices
        self.initial.setdefault("kind", self.instance.kind or GiftKind.PRODUCT)
        self.fields["points"].widget.attrs["min"] = 1
        self.fields["points"].validators.append(MinValueValidator(1))
        templates = CouponTemplate.objects.filter(is_active=True)
        if self.instance.coupon_template_id:
            templates = templates | CouponTemplate.objects.filter(
                pk=self.instance.coupon_template_id
            )
        self.fields["coupon_template"].queryset = templates
        self.fields["coupon_template"].help_text = _("优惠券礼品：每兑换 1 件发放 1 张")
        if self.instance.product_id:
            self.initial["product_code"] = self.instance.product.code
        prices = self.instance.tier_prices.all() if self.instance.pk else []
        own = {row.tier_id: row.points for row in prices}
        self.tiers = list(Tier.objects.filter(is_active=True).order_by("rank"))
        for tier in self.tiers:
            self.fields[self.tier_field(tier)] = forms.IntegerField(
                label=_("%(tier)s兑换积分") % {"tier": tier.name},
                required=False,
                initial=own.get(tier.pk),
                help_text=_("留空按标准积分"),
                widget=forms.NumberInput(
                    {"x-on:input": f"tiers['{tier.pk}'] = $event.target.value"}
                ),
                **POINTS,
            )
        order = list(self.fields)
        order[order.index("points") + 1 : order.index("points") + 1] = [
            self.tier_field(tier) for tier in self.tiers
        ]
        self.order_fields(order)

    @staticmethod
    def tier_field(tier) -> str:
        return f"tier_{tier.pk}"

    def tier_fields(self):
        return [(tier, self[self.tier_field(tier)]) for tier in self.tiers]

    def clean_product_code(self):
        code = self.cleaned_data["product_code"].strip()
        if not code:
            return None
        try:
            return product_by_code(code)
        except DomainError as error:
            raise forms.ValidationError(error.message) from None

    def show_error(self, error: DomainError) -> None:
        """A refusal of `save_gift` next to its field (the product is typed as its code)."""
        if "product" in error.fields:
            error.fields["product_code"] = error.fields.pop("product")
        show_domain_error(self, error)

    def service_fields(self) -> dict:
        """What `services.save_gift` takes: the model fields, the product and the tier prices."""
        data = dict(self.cleaned_data)
        data["product"] = data.pop("product_code")
        data["tier_points"] = {tier: data.pop(self.tier_field(tier)) for tier in self.tiers}
        return data


class RedeemForm(forms.Form):
    """The desk's quantities, one field per gift on offer (`qty_<gift id>`), and the form's
    one-time token (a second submit of the same form is the same bill)."""

    request_ref = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.offers = offers
        for offer in offers:
            self.fields[f"qty_{offer.gift.pk}"] = forms.IntegerField(
                label=offer.gift.name, required=False, min_value=0, max_value=MAX_QTY
            )

    def rows(self):
        return [(offer, self[f"qty_{offer.gift.pk}"]) for offer in self.offers]

    def wanted(self) -> list[Wanted]:
        return [
            Wanted(offer.gift.pk, qty)
            for offer in self.offers
            if (qty := self.cleaned_data.get(f"qty_{offer.gift.pk}"))
        ]


class RedemptionFilterForm(SmallInputs, DateRangeMixin, forms.Form):
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=DATE)
    store = forms.ModelChoiceField(label=_("门店"), queryset=Store.objects.none(), required=False)
    gift = forms.ModelChoiceField(label=_("礼品"), queryset=Gift.objects.all(), required=False)
    q = forms.CharField(label=_("会员号/手机号/单号"), max_length=40, required=False)

    def __init__(self, *args, stores, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = stores
        self.fields["store"].empty_label = _("全部门店")
        self.fields["gift"].empty_label = _("全部礼品")
        self.style()
