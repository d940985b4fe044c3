from django import forms
from django.utils.translation import gettext_lazy as _

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
