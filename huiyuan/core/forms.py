from django import forms
from django.utils.translation import gettext_lazy as _

from huiyuan.core.audit import ACTION_LABELS
from huiyuan.core.models import Store
from huiyuan.core.services import STORE_FIELDS


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
