from django import forms
from django.utils.translation import gettext_lazy as _

from huiyuan.core.models import Store
from huiyuan.members.models import Member, Tag

MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # 100,000 rows of the template are ~8 MB as xlsx


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("会员文件"),
        help_text=_("xlsx 或 csv（UTF-8 或 GB18030），最多 100,000 行，列名与导入模板一致"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件过大（上限 50 MB）"))
        return upload


class ExportFilterForm(forms.Form):
    """The member search page's filters (same parameter names), for the export link."""

    q = forms.CharField(required=False, max_length=50)
    status = forms.ChoiceField(choices=[("", ""), *Member.Status.choices], required=False)
    store = forms.ModelChoiceField(queryset=Store.objects.all(), required=False)
    tag = forms.ModelChoiceField(queryset=Tag.objects.all(), required=False)
    date_from = forms.DateField(required=False)
    date_to = forms.DateField(required=False)

    def clean(self):
        data = super().clean()
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day is not None and not 2000 <= day.year < 2100:
                data[name] = None
        return data
