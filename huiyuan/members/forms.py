"""Member pages' forms. They only shape input: every rule is the services' (members.services)."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from huiyuan.cards.forms import ReceiptTotalMixin, receipt_total_field
from huiyuan.cards.models import CardType, Medium
from huiyuan.core.errors import DomainError
from huiyuan.core.forms import DateRangeMixin
from huiyuan.core.models import Store
from huiyuan.members import photos
from huiyuan.members.models import Member, Tag
from huiyuan.members.services import EDITABLE
from huiyuan.tiers.models import Tier

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
ID_TYPE_CHOICES = [("", _("（无证件）")), *Member.IdType.choices]


def photo_field(required: bool = True) -> forms.FileField:
    """The file only: whether it is a usable image is members.photos' to say."""
    return forms.FileField(
        label=_("会员照片"),
        required=required,
        help_text=_("JPEG、PNG 或 WebP，不超过 5 MB"),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class RegisterForm(ReceiptTotalMixin, forms.Form):
    """The counter registration, fields in the order the desk keys them in."""

    phone = forms.CharField(label=_("手机号"), max_length=20)
    name = forms.CharField(label=_("姓名"), max_length=50)
    gender = forms.ChoiceField(
        label=_("性别"),
        choices=[("", _("未填")), *Member.Gender.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    birthday = forms.DateField(label=_("生日"), required=False, widget=DATE)
    id_type = forms.ChoiceField(label=_("证件类型"), choices=ID_TYPE_CHOICES, required=False)
    id_number = forms.CharField(label=_("证件号码"), max_length=40, required=False)
    card_type = forms.ModelChoiceField(
        label=_("卡类型"), queryset=CardType.objects.filter(is_active=True), empty_label=None
    )
    card_medium = forms.ChoiceField(label=_("介质"), choices=Medium.choices, initial=Medium.E_CARD)
    receipt_total_fen = receipt_total_field()
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    consent_sms = forms.BooleanField(label=_("接收短信"), required=False)
    consent_email = forms.BooleanField(label=_("接收邮件"), required=False)
    consent_wechat = forms.BooleanField(label=_("接收微信消息"), required=False)
    notes = forms.CharField(
        label=_("备注"), required=False, max_length=1000, widget=forms.Textarea({"rows": 2})
    )
    photo = photo_field(required=False)

    def clean_photo(self):
        """The photo is checked and resized here, before registering takes any lock."""
        upload = self.cleaned_data["photo"]
        if upload is None:
            return None
        try:
            return photos.prepare(upload)
        except DomainError as error:
            raise forms.ValidationError(error.fields["photo"]) from None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Checked as typed (htmx): the answer lands under the field.
        self.fields["phone"].widget.attrs.update(
            {
                "autofocus": True,
                "inputmode": "numeric",
                "autocomplete": "off",
                "hx-get": reverse("members:check_phone"),
                "hx-trigger": "input changed delay:300ms, blur",
                "hx-target": "#phone-check",
            }
        )
        id_check = {
            "hx-get": reverse("members:check_id"),
            "hx-include": "[name=id_type],[name=id_number]",
            "hx-target": "#id-check",
        }
        self.fields["id_number"].widget.attrs.update(
            {"autocomplete": "off", "hx-trigger": "input changed delay:300ms, blur", **id_check}
        )
        self.fields["id_type"].widget.attrs.update({"hx-trigger": "change", **id_check})


class MemberEditForm(forms.ModelForm):
    """The profile as update_member takes it (the ID number only when retyped)."""

    id_type = forms.ChoiceField(label=_("证件类型"), choices=ID_TYPE_CHOICES, required=False)
    id_number = forms.CharField(
        label=_("证件号码"),
        max_length=40,
        required=False,
        help_text=_("留空则不修改证件"),
    )

    class Meta:
        model = Member
        fields = list(EDITABLE)
        widgets = {
            "birthday": DATE,
            "tags": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea({"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].max_length = 20
        self.initial.setdefault("id_type", self.instance.id_type)

    def validate_unique(self):
        """Left to the service, which answers MEMBER_EXISTS with the holder."""

    def changes(self) -> dict:
        """What to pass to update_member: the edited fields, and the ID only when retyped."""
        data = dict(self.cleaned_data)
        id_type, id_number = data.pop("id_type"), data.pop("id_number").strip()
        if id_number:
            data.update(id_type=id_type, id_number=id_number)
        elif id_type != self.instance.id_type and not self.instance.id_number_hash:
            data["id_type"] = id_type
        return data


class SearchForm(DateRangeMixin, forms.Form):
    q = forms.CharField(label=_("查找"), required=False, max_length=50)
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部状态")), *Member.Status.choices], required=False
    )
    store = forms.ModelChoiceField(
        label=_("注册门店"), queryset=Store.objects.all(), required=False, empty_label=_("全部门店")
    )
    tag = forms.ModelChoiceField(
        label=_("标签"), queryset=Tag.objects.all(), required=False, empty_label=_("全部标签")
    )
    tier = forms.ModelChoiceField(
        label=_("会员等级"),
        queryset=Tier.objects.filter(is_active=True),
        required=False,
        empty_label=_("全部等级"),
    )
    date_from = forms.DateField(label=_("注册日期自"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("至"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )
            if name == "q":
                field.widget.attrs["class"] = "form-control"


class LookupForm(forms.Form):
    lookup = forms.CharField(label=_("识别会员"), max_length=64)


class CancelMemberForm(forms.Form):
    reason = forms.CharField(label=_("注销原因"), max_length=200)


class PhotoForm(forms.Form):
    photo = photo_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_photo_%s")
        super().__init__(*args, **kwargs)
