from django import forms

from huiyuan.core.models import Store


class ApiKeyForm(forms.Form):
    name = forms.CharField(label="终端名称", max_length=100)
    store = forms.ModelChoiceField(label="门店", queryset=Store.objects.filter(is_active=True))
