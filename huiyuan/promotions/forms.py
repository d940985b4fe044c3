"""Promotion and member-day forms. Amounts are typed in yuan, discounts in percent off, the table
of a promotion's items or steps one row per line (`ROW_FORMATS`); the form builds a Draft, the
service checks it (engine_values.Draft, services.check)."""

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from huiyuan.catalog.models import Category, Product
from huiyuan.core.forms import YuanField, split_list
from huiyuan.core.money import format_fen, parse_yuan
from huiyuan.coupons.models import CouponTemplate
from huiyuan.promotions.engine_values import Draft
from huiyuan.promotions.models import MemberDay, Promotion, PromotionRow

Kind = Promotion.Kind
DATE = forms.DateInput({"type": "date"}, format="%Y-%m-%d")
WEEKDAYS = [
    (day, label)
    for day, label in enumerate(
        [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")], 1
    )
]
# kind → (what one line holds, an example)
ROW_FORMATS = {
    Kind.SPECIAL_PRICE: (_("每行：商品编码 惊爆价"), "02000001 6.90"),
    Kind.FULL_REDUCTION: (_("每行一档：满多少 减多少（元）"), "100 10\n200 25"),
    Kind.ISSUE_COUPONS: (_("每行一档：满多少 送券面值 优惠券模板名称"), "68 5 会员日代金券5元"),
    Kind.ADD_PRICE: (_("每行一档：满多少 换购价 可换商品编码（可多个）"), "19 1 02000001 02000002"),
    Kind.GIFT: (_("每行一档：满多少 赠品商品编码 数量"), "100 02000001 1"),
}
PERCENT_KINDS = {
    Kind.PERCENT: _("优惠比例（%）"),
    Kind.BUY_N_GET_M: _("第 N+1 件起的优惠比例（%）"),
}


class IntListField(forms.CharField):
    """Numbers typed with commas or spaces; "8-10" is 8, 9 and 10."""

    def __init__(self, *, low: int, high: int, **kwargs):
        super().__init__(required=False, **kwargs)
        self.low, self.high = low, high

    def prepare_value(self, value):
        return ", ".join(str(n) for n in value) if isinstance(value, list) else value

    def clean(self, value):
        numbers = set()
        for token in split_list(super().clean(value)):
            first, _dash, last = token.partition("-")
            try:
                start, end = int(first), int(last or first)
            except ValueError:
                raise forms.ValidationError(_("请填写数字，如 8, 18 或 8-10")) from None
            if not self.low <= start <= end <= self.high:
                raise forms.ValidationError(
                    _("须在 %(low)s 至 %(high)s 之间") % {"low": self.low, "high": self.high}
                )
            numbers.update(range(start, end + 1))
        return sorted(numbers)


class DateListField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def clean(self, value):
        try:
            days = {datetime.date.fromisoformat(t) for t in split_list(super().clean(value))}
        except ValueError:
            raise forms.ValidationError(_("日期须为 2026-12-01 这样的格式")) from None
        return sorted(day.isoformat() for day in days)


class ScheduleMixin:
    """Weekdays, days of month and dates, shared by promotions and member days."""

    def schedule_fields(self):
        self.fields["weekdays"] = forms.TypedMultipleChoiceField(
            label=_("每周"), choices=WEEKDAYS, coerce=int, required=False,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-inline"}),
        )  # fmt: skip
        self.fields["days_of_month"] = IntListField(
            label=_("每月几号"), low=1, high=31, help_text=_("如 8, 18")
        )
        self.fields["dates"] = DateListField(
            label=_("指定日期"),
            widget=forms.Textarea({"rows": 2}),
            help_text=_("如集日，每行或用逗号分隔一个日期：2026-12-03"),
        )


class MemberDayForm(ScheduleMixin, forms.ModelForm):
    class Meta:
        model = MemberDay
        fields = ["name", "weekdays", "days_of_month", "dates", "stores", "is_active", "note"]
        widgets = {"stores": forms.CheckboxSelectMultiple}
        help_texts = {"stores": _("不选表示全部门店")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.schedule_fields()


class PromotionForm(ScheduleMixin, forms.ModelForm):
    """The fields a promotion of `kind` needs; `draft()` is what it describes (unsaved)."""

    discount = forms.DecimalField(
        label=_("优惠比例（%）"), max_digits=6, decimal_places=1, required=False,
        help_text=_("20 表示 8 折，100 表示免费"),
    )  # fmt: skip
    multiplier = forms.DecimalField(
        label=_("积分倍数"), max_digits=5, decimal_places=1, required=False,
        help_text=_("2 表示双倍积分"),
    )  # fmt: skip
    cap_fen = YuanField(
        label=_("最多减（元）"), required=False, help_text=_("每满减的封顶，可不填")
    )
    budget_fen = YuanField(label=_("总预算（元）"), required=False, help_text=_("优惠总额用完即停"))
    hours = IntListField(
        label=_("时段（点）"), low=0, high=23, help_text=_("如 8-10 表示 8:00–10:59；不填为全天")
    )
    product_codes = forms.CharField(
        label=_("适用商品编码"), required=False, widget=forms.Textarea({"rows": 2}),
        help_text=_("与适用类别都不填表示全部商品"),
    )  # fmt: skip
    category_codes = forms.CharField(label=_("适用类别编码"), required=False)
    rows = forms.CharField(label=_("明细"), required=False, widget=forms.Textarea({"rows": 5}))
    # What the promotion gives first, then what it covers, when it runs, who gets it, its limits.
    field_order = [
        "name", "discount", "multiplier", "buy", "get", "rows", "every", "cap_fen",
        "product_codes", "category_codes", "members_only", "priority", "exclusive", "starts_on",
        "ends_on", "weekdays", "days_of_month", "dates", "hours", "member_day", "stores",
        "tiers", "card_types", "new_member_days", "budget_fen", "per_member_daily", "note",
    ]  # fmt: skip

    class Meta:
        model = Promotion
        fields = [
            "name", "priority", "exclusive", "members_only", "buy", "get", "every", "cap_fen",
            "starts_on", "ends_on", "weekdays", "days_of_month", "dates", "hours", "member_day",
            "stores", "tiers", "card_types", "new_member_days", "budget_fen", "per_member_daily",
            "note",
        ]  # fmt: skip
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "stores": forms.CheckboxSelectMultiple,
            "tiers": forms.CheckboxSelectMultiple,
            "card_types": forms.CheckboxSelectMultiple,
        }
        labels = {"buy": _("买 N 件"), "get": _("送 / 优惠 M 件")}
        help_texts = {
            "stores": _("不选表示全部门店"),
            "tiers": _("不选表示全部等级"),
            "card_types": _("不选表示全部卡类型"),
            "member_day": _("在该会员日生效（与星期、日期任一满足即可）"),
        }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.instance.kind = kind
        self.schedule_fields()
        self.order_fields(self.field_order)
        self.fields["weekdays"].help_text = _("星期、每月几号、指定日期、会员日都不填表示每天")
        if not self.is_bound:
            self._set_initial()
        for name in self._unused_fields():
            del self.fields[name]
        if kind in PERCENT_KINDS:
            self.fields["discount"].label = PERCENT_KINDS[kind]
            self.fields["discount"].required = True
        if kind == Kind.POINTS:
            self.fields["multiplier"].required = True
        if kind in ROW_FORMATS:
            self.fields["rows"].help_text = ROW_FORMATS[kind][0]
            self.fields["rows"].widget.attrs["placeholder"] = ROW_FORMATS[kind][1]
            self.fields["rows"].required = True

    def _unused_fields(self) -> list[str]:
        unused = []
        if self.kind not in PERCENT_KINDS:
            unused.append("discount")
        if self.kind != Kind.POINTS:
            unused.append("multiplier")
        if self.kind != Kind.BUY_N_GET_M:
            unused += ["buy", "get"]
        if self.kind != Kind.FULL_REDUCTION:
            unused += ["every", "cap_fen"]
        if self.kind not in ROW_FORMATS:
            unused.append("rows")
        if self.kind == Kind.SPECIAL_PRICE:
            unused += ["product_codes", "category_codes"]  # its items are its scope
        return unused

    def _set_initial(self):
        promotion = self.instance
        if promotion.pk is None:
            return
        self.initial["discount"] = Decimal(1000 - promotion.permille) / 10
        self.initial["multiplier"] = Decimal(promotion.points_permille) / 1000
        self.initial["product_codes"] = " ".join(p.code for p in promotion.products.all())
        self.initial["category_codes"] = " ".join(c.code for c in promotion.categories.all())
        self.initial["rows"] = rows_text(self.kind, list(promotion.rows.all()))

    def clean_product_codes(self):
        return _lookup(Product, split_list(self.cleaned_data["product_codes"]), _("商品"))

    def clean_category_codes(self):
        return _lookup(Category, split_list(self.cleaned_data["category_codes"]), _("类别"))

    def clean_rows(self):
        return parse_rows(self.kind, self.cleaned_data["rows"])

    def draft(self) -> Draft:
        """The promotion as typed (valid fields only; call after is_valid())."""
        data = self.cleaned_data
        promotion = self.instance
        if data.get("discount") is not None:
            promotion.permille = 1000 - int(data["discount"] * 10)
        if data.get("multiplier") is not None:
            promotion.points_permille = int(data["multiplier"] * 1000)
        return Draft(
            promotion=promotion,
            rows=data.get("rows") or [],
            products=data.get("product_codes") or [],
            categories=data.get("category_codes") or [],
            stores=list(data.get("stores") or []),
            tiers=list(data.get("tiers") or []),
            card_types=list(data.get("card_types") or []),
        )


def _lookup(model, codes: list[str], what):
    found = {item.code: item for item in model.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise forms.ValidationError(
            _("没有这些%(what)s编码：%(codes)s") % {"what": what, "codes": "、".join(missing)}
        )
    return list(found.values())


def _fen(text: str) -> int:
    fen = parse_yuan(text)
    if fen < 0:
        raise ValueError(text)
    return fen


class RowError(ValueError):
    """A line of the table that names something that doesn't exist."""


def parse_rows(kind: str, text: str) -> list[PromotionRow]:
    """The typed table as unsaved rows (products and templates looked up); errors name the line."""
    lines = [split_list(line) for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    products = Product.objects.in_bulk({t for line in lines for t in line}, field_name="code")
    rows = []
    for number, parts in enumerate(lines, 1):
        try:
            rows += _row(kind, parts, products)
        except (ValueError, InvalidOperation) as exc:
            detail = exc.args[0] if isinstance(exc, RowError) else ROW_FORMATS[kind][0]
            raise forms.ValidationError(
                _("第 %(n)s 行有误：%(detail)s") % {"n": number, "detail": detail}
            ) from None
    return rows


def _product(products: dict, code: str) -> Product:
    if code not in products:
        raise RowError(_("没有商品编码 %(code)s") % {"code": code})
    return products[code]


def _row(kind, parts, products) -> list[PromotionRow]:
    """One typed line as rows (several for an add-price tier of several products)."""
    if kind == Kind.SPECIAL_PRICE and len(parts) == 2:
        return [PromotionRow(product=_product(products, parts[0]), amount_fen=_fen(parts[1]))]
    if kind == Kind.FULL_REDUCTION and len(parts) == 2:
        return [PromotionRow(threshold_fen=_fen(parts[0]), amount_fen=_fen(parts[1]))]
    if kind == Kind.ISSUE_COUPONS and len(parts) >= 3:
        name = " ".join(parts[2:])
        template = CouponTemplate.objects.filter(name=name).first()
        if template is None:
            raise RowError(_("没有优惠券模板“%(name)s”") % {"name": name})
        return [
            PromotionRow(
                threshold_fen=_fen(parts[0]), amount_fen=_fen(parts[1]), coupon_template=template
            )
        ]
    if kind == Kind.ADD_PRICE and len(parts) >= 3:
        threshold, price = _fen(parts[0]), _fen(parts[1])
        return [
            PromotionRow(threshold_fen=threshold, amount_fen=price, product=_product(products, c))
            for c in parts[2:]
        ]
    if kind == Kind.GIFT and len(parts) in (2, 3):
        qty = int(parts[2]) if len(parts) == 3 else 1
        return [
            PromotionRow(
                threshold_fen=_fen(parts[0]), product=_product(products, parts[1]), qty=qty
            )
        ]
    raise ValueError(parts)


def rows_text(kind: str, rows: list[PromotionRow]) -> str:
    """The rows as the form shows them (parse_rows reads it back)."""

    def yuan(fen):
        return format_fen(fen, symbol="").replace(",", "")

    if kind == Kind.SPECIAL_PRICE:
        lines = [f"{row.product.code} {yuan(row.amount_fen)}" for row in rows]
    elif kind == Kind.FULL_REDUCTION:
        lines = [f"{yuan(row.threshold_fen)} {yuan(row.amount_fen)}" for row in rows]
    elif kind == Kind.ISSUE_COUPONS:
        lines = [
            f"{yuan(row.threshold_fen)} {yuan(row.amount_fen)} {row.coupon_template.name}"
            for row in rows
        ]
    elif kind == Kind.ADD_PRICE:
        tiers: dict[tuple[int, int], list[str]] = {}
        for row in rows:
            tiers.setdefault((row.threshold_fen, row.amount_fen), []).append(row.product.code)
        lines = [f"{yuan(t)} {yuan(p)} {' '.join(codes)}" for (t, p), codes in tiers.items()]
    else:
        lines = [f"{yuan(row.threshold_fen)} {row.product.code} {row.qty}" for row in rows]
    return "\n".join(lines)


class FilterForm(forms.Form):
    TABS = [
        ("current", _("进行中")),
        ("upcoming", _("未开始")),
        ("ended", _("已结束")),
        ("draft", _("草稿")),
    ]
    q = forms.CharField(label=_("名称"), required=False)
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部类型")), *Kind.choices]
    )
