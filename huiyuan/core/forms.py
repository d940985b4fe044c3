import re

from django import forms
from django.utils.translation import gettext_lazy as _

from huiyuan.core.audit import ACTION_LABELS
from huiyuan.core.models import Store
from huiyuan.core.money import format_fen, parse_yuan
from huiyuan.core.services import STORE_FIELDS

LIST_SEPARATORS = re.compile(r"[\s,，、;；]+")


def split_list(text: str | None) -> list[str]:
    """Codes, numbers or dates as typed in one box: one a line, or separated by spaces, commas,
    、 or semicolons (full-width ones too)."""
    return [item for item in LIST_SEPARATORS.split(text or "") if item]


class YuanField(forms.Field):
    """An amount typed in yuan ("10" or "10.50"), cleaned to fen; blank is None. More than two
    decimals is refused rather than rounded, so are negative and absurd amounts; `positive`
    refuses 0 too. A value in fen (an instance's) is shown in yuan."""

    MAX_FEN = 10**12
    widget = forms.TextInput(attrs={"maxlength": 16, "inputmode": "decimal"})
    default_error_messages = {
        "invalid": _("请填写金额，如 10 或 10.50"),
        "negative": _("金额不能为负"),
        "too_large": _("金额超出范围"),
        "not_positive": _("必须大于 0"),
    }

    def __init__(self, *, positive: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.positive = positive

    def prepare_value(self, value):
        return format_fen(value, symbol="").replace(",", "") if isinstance(value, int) else value

    def to_python(self, value):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        try:
            fen = parse_yuan(text[:40])
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if fen < 0:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if fen >= self.MAX_FEN:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        if self.positive and fen == 0:
            raise forms.ValidationError(self.error_messages["not_positive"], code="not_positive")
        return fen


class StoreForm(forms.ModelForm):
    class Meta:
        model = Store
        fields = STORE_FIELDS

    def validate_unique(self):
        """Left to the service, which answers STORE_CODE_EXISTS."""


class DateRangeMixin:
    """For list filters with `date_from` / `date_to`: dates outside 2000–2099 are refused on
    their field and ignored (they would overflow the day arithmetic)."""

    def clean(self):
        data = super().clean()
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day is not None and not 2000 <= day.year < 2100:
                data[name] = None
                self.add_error(name, _("日期须在 2000 年至 2099 年之间"))
        return data

    def within_dates(self, queryset, field: str):
        """`queryset` narrowed to the days from `date_from` to `date_to` of its datetime
        `field` (after cleaning; a date left out or refused narrows nothing)."""
        data = getattr(self, "cleaned_data", {})
        if data.get("date_from"):
            queryset = queryset.filter(**{f"{field}__date__gte": data["date_from"]})
        if data.get("date_to"):
            queryset = queryset.filter(**{f"{field}__date__lte": data["date_to"]})
        return queryset


class AuditFilterForm(DateRangeMixin, forms.Form):
    action = forms.ChoiceField(
        label=_("操作"),
        required=False,
        choices=[("", _("全部操作"))] + sorted(ACTION_LABELS.items()),
    )
    operator = forms.CharField(label=_("操作员"), required=False)
    store = forms.ModelChoiceField(label=_("门店"), queryset=Store.objects.none(), required=False)
    target = forms.CharField(label=_("对象"), required=False)
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput({"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput({"type": "date"})
    )

    def __init__(self, *args, stores, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = stores
