from django import forms
from django.utils.translation import gettext_lazy as _

from huiyuan.core.models import Store


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("终端名称"), max_length=100)
    store = forms.ModelChoiceField(label=_("门店"), queryset=Store.objects.none())

    def __init__(self, *args, stores, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = stores
