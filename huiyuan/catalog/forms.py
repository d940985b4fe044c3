"""Catalogue forms. The rules are the services'; these only shape the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huiyuan.catalog.attribute_values import clean_value
from huiyuan.catalog.models import Attribute, Category, Product, Supplier
from huiyuan.catalog.selectors import attributes_for
from huiyuan.core.forms import YuanField

BOOL_CHOICES = [("", "—"), ("1", _("是")), ("0", _("否"))]


class CategoryChoiceField(forms.ModelChoiceField):
    """Categories in tree order, each indented by its depth."""

    def __init__(self, queryset=None, **kwargs):
        super().__init__(queryset if queryset is not None else Category.objects.all(), **kwargs)
        self.queryset = self.queryset.order_by("path")

    def label_from_instance(self, obj):
        return "　" * (obj.depth - 1) + obj.name + ("" if obj.is_active else " ⊘")


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("类别名称"), max_length=50)
    code = forms.CharField(label=_("类别编码"), max_length=20)


class CategoryEditForm(CategoryForm):
    is_active = forms.BooleanField(label=_("启用"), required=False)


class NewCategoryForm(CategoryForm):
    parent = CategoryChoiceField(label=_("上级类别"), required=False, empty_label=_("（顶级类别）"))


class MoveForm(forms.Form):
    parent = CategoryChoiceField(label=_("移到"), required=False, empty_label=_("（顶级类别）"))

    def __init__(self, *args, category=None, **kwargs):
        super().__init__(*args, **kwargs)
        if category is not None:
            self.fields["parent"].queryset = Category.objects.exclude(
                path__startswith=category.path
            ).order_by("path")


class AttributeForm(forms.Form):
    name = forms.CharField(label=_("属性名称"), max_length=30)
    kind = forms.ChoiceField(label=_("类型"), choices=Attribute.Kind.choices)
    required = forms.BooleanField(label=_("必填"), required=False)
    choices = forms.CharField(
        label=_("可选值"), required=False, help_text=_("选项类型填写，用逗号或顿号分隔")
    )
    unit = forms.CharField(label=_("单位"), max_length=10, required=False)

    def clean_choices(self):
        text = self.cleaned_data["choices"].replace("，", ",").replace("、", ",")
        return [part.strip() for part in text.split(",") if part.strip()]


def attribute_field(attribute: Attribute) -> forms.Field:
    """The input for one extension attribute; the service checks the value."""
    label = f"{attribute.name}（{attribute.unit}）" if attribute.unit else attribute.name
    common = {"label": label, "required": False}
    if attribute.kind == Attribute.Kind.CHOICE:
        choices = [("", "—"), *((c, c) for c in attribute.choices)]
        return forms.ChoiceField(choices=choices, **common)
    if attribute.kind == Attribute.Kind.BOOL:
        return forms.ChoiceField(choices=BOOL_CHOICES, **common)
    if attribute.kind == Attribute.Kind.DATE:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if attribute.kind == Attribute.Kind.NUMBER:
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    return forms.CharField(max_length=200, **common)


class AttributeFieldsMixin:
    """Adds one field per attribute of `category` (named by `Attribute.key`)."""

    def add_attribute_fields(self, category, required_marks=True):
        self.attribute_keys = []
        for attribute in attributes_for(category) if category else []:
            field = attribute_field(attribute)
            if attribute.required and required_marks:
                field.widget.attrs["required"] = True
                field.label = f"{field.label} *"
            self.fields[attribute.key] = field
            self.attribute_keys.append(attribute.key)

    def attribute_bound_fields(self):
        return [self[key] for key in self.attribute_keys]


class ProductForm(AttributeFieldsMixin, forms.Form):
    code = forms.CharField(label=_("商品编码"), max_length=30)
    name = forms.CharField(label=_("名称"), max_length=100)
    category = CategoryChoiceField(label=_("类别"))
    supplier = forms.ModelChoiceField(
        label=_("主供应商"), queryset=Supplier.objects.all(), required=False
    )
    unit = forms.CharField(label=_("单位"), max_length=10, initial="件")
    spec = forms.CharField(label=_("规格"), max_length=50, required=False)
    brand = forms.CharField(label=_("品牌"), max_length=50, required=False)
    retail_price_fen = YuanField(label=_("零售价（元）"))
    member_price_fen = YuanField(
        label=_("会员价（元）"), required=False, help_text=_("留空表示无会员价")
    )
    cost_price_fen = YuanField(label=_("进价（元）"), required=False)
    earns_points = forms.BooleanField(label=_("积分"), required=False, initial=True)
    member_discount_applies = forms.BooleanField(
        label=_("参与会员折扣"), required=False, initial=True
    )
    is_service = forms.BooleanField(label=_("服务项目（计次卡）"), required=False)
    is_weighed = forms.BooleanField(label=_("称重商品"), required=False)
    plu = forms.CharField(
        label=_("PLU 码"), max_length=6, required=False, help_text=_("电子秤上的商品号")
    )
    status = forms.ChoiceField(label=_("状态"), choices=Product.Status.choices)
    barcodes = forms.CharField(
        label=_("条码"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("每行一个"),
    )

    def __init__(self, *args, product=None, **kwargs):
        if product is not None:
            kwargs.setdefault("initial", product_initial(product))
        super().__init__(*args, **kwargs)
        if product is not None:
            del self.fields["barcodes"]  # edited on the product page, one by one
        self.fields["supplier"].queryset = Supplier.objects.filter(is_active=True) | (
            Supplier.objects.filter(pk=product.supplier_id) if product else Supplier.objects.none()
        )
        self.add_attribute_fields(self.chosen_category(product))

    def chosen_category(self, product):
        pk = self.data.get("category") if self.is_bound else None
        if pk:
            return Category.objects.filter(pk=pk).first() if str(pk).isdigit() else None
        return product.category if product else None

    def main_fields(self):
        return [self[name] for name in self.fields if name not in self.attribute_keys]

    def service_fields(self) -> dict:
        """cleaned_data as the services take it: attribute values gathered into `attributes`."""
        data = dict(self.cleaned_data)
        data["attributes"] = {key: data.pop(key) for key in self.attribute_keys}
        data["cost_price_fen"] = data["cost_price_fen"] or 0
        codes = data.pop("barcodes", None)
        if codes is not None:
            data["barcode_codes"] = [line.strip() for line in codes.splitlines() if line.strip()]
        return data


def product_initial(product: Product) -> dict:
    initial = {
        name: getattr(product, name)
        for name in ProductForm.base_fields
        if name not in ("barcodes", "category", "supplier")
    }
    initial.update(category=product.category_id, supplier=product.supplier_id)
    for key, value in product.attributes.items():
        initial[key] = ("1" if value else "0") if isinstance(value, bool) else value
    return initial


class BarcodeForm(forms.Form):
    code = forms.CharField(label=_("条码"), max_length=32)


class SupplierForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    contact = forms.CharField(label=_("联系人"), max_length=50, required=False)
    phone = forms.CharField(label=_("电话"), max_length=30, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class ProductFilterForm(AttributeFieldsMixin, forms.Form):
    """The product list's search and filters; a chosen category adds its attributes."""

    q = forms.CharField(label=_("查找"), required=False, max_length=100)
    category = CategoryChoiceField(label=_("类别"), required=False, empty_label=_("全部类别"))
    supplier = forms.ModelChoiceField(
        label=_("供应商"), queryset=Supplier.objects.all(), required=False, empty_label=_("全部")
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *Product.Status.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pk = self.data.get("category")
        category = Category.objects.filter(pk=pk).first() if str(pk).isdigit() else None
        self.add_attribute_fields(category, required_marks=False)
        self.attributes = {a.key: a for a in attributes_for(category)} if category else {}
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )

    def clean(self):
        data = super().clean()
        values = {}
        for key, attribute in self.attributes.items():
            try:
                values[key] = clean_value(attribute, data.get(key))
            except ValueError as exc:
                self.add_error(key, str(exc))
        data["attribute_values"] = {k: v for k, v in values.items() if v is not None}
        return data
