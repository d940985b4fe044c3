"""Stock document and report forms. Unit costs are typed in yuan and handled in fen."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huiyuan.catalog.models import Category, Supplier
from huiyuan.core.forms import DateRangeMixin
from huiyuan.core.models import Store
from huiyuan.inventory.models import QTY, Location, WriteOff
from huiyuan.wallet.forms import YuanField


class SmallInputs:
    """Bootstrap's small inputs on a one-line form (filters, the line entry)."""

    def style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            else:
                widget.attrs["class"] = "form-control form-control-sm"


class CategoryChoiceField(forms.ModelChoiceField):
    """Categories in tree order, indented by depth."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Category.objects.order_by("path"), required=False, **kwargs)

    def label_from_instance(self, category):
        return "　" * (category.depth - 1) + category.name


def qty_field(label, **kwargs):
    return forms.DecimalField(label=label, min_value=0, **QTY, **kwargs)


class DocumentForm(forms.Form):
    """The header of a new document; `kind` decides which of the optional fields it shows."""

    location = forms.ModelChoiceField(label=_("库位"), queryset=Location.objects.none())
    supplier = forms.ModelChoiceField(
        label=_("供应商"), queryset=Supplier.objects.filter(is_active=True)
    )
    destination = forms.ModelChoiceField(label=_("调入库位"), queryset=Location.objects.none())
    category = CategoryChoiceField(label=_("盘点类别"), empty_label=_("全部商品"))
    reason = forms.ChoiceField(label=_("报损原因"), choices=WriteOff.Reason.choices)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    FIELDS = {
        "receipts": ("location", "supplier", "note"),
        "returns": ("location", "supplier", "note"),
        "transfers": ("location", "destination", "note"),
        "stocktakes": ("location", "category", "note"),
        "write-offs": ("location", "reason", "note"),
    }

    def __init__(self, *args, slug, locations, destinations, **kwargs):
        super().__init__(*args, **kwargs)
        for name in set(self.fields) - set(self.FIELDS[slug]):
            del self.fields[name]
        self.fields["location"].queryset = locations
        if slug == "transfers":
            self.fields["location"].label = _("调出库位")
            self.fields["destination"].queryset = destinations


class LineForm(SmallInputs, forms.Form):
    """A line by product code or scanned barcode (a scale label brings its own weight)."""

    code = forms.CharField(label=_("商品编码或条码"), max_length=40)
    qty = qty_field(_("数量"), required=False)
    unit_cost_fen = YuanField(label=_("单价（元）"), required=False, help_text=_("不填按商品进价"))
    replace = forms.BooleanField(label=_("改为此数量（不累加）"), required=False)

    def __init__(self, *args, slug, **kwargs):
        super().__init__(*args, **kwargs)
        if slug != "receipts":
            del self.fields["unit_cost_fen"]
        if slug != "stocktakes":
            del self.fields["replace"]
        self.style()


class ReceiveForm(forms.Form):
    """The quantity that arrived for each line, and the note when it differs."""

    variance_note = forms.CharField(label=_("差异说明"), max_length=200, required=False)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"line_{line.pk}"] = qty_field(
                str(line.product), initial=line.qty.normalize()
            )

    def received(self) -> dict:
        return {line.product_id: self.cleaned_data[f"line_{line.pk}"] for line in self.lines}


class MinimumForm(forms.Form):
    min_qty = qty_field(_("库存下限"), required=False)


class StockFilterForm(SmallInputs, forms.Form):
    store = forms.ModelChoiceField(label=_("门店"), queryset=Store.objects.none(), required=False)
    category = CategoryChoiceField(label=_("类别"), empty_label=_("全部类别"))
    q = forms.CharField(label=_("商品"), max_length=40, required=False)
    low = forms.BooleanField(label=_("只看低于下限"), required=False)

    def __init__(self, *args, stores, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = stores
        self.fields["store"].empty_label = _("全部门店")
        self.style()


class MoveFilterForm(DateRangeMixin, StockFilterForm):
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput({"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput({"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["low"]
