from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import Permission
from django.core.validators import MaxLengthValidator
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from huiyuan.core.models import Store
from huiyuan.staff.models import Operator, Role
from huiyuan.staff.roles import grantable_permissions, permission_label


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码错误。多次输错将暂时锁定该账户。"),
        "inactive": _("该账户已停用，请联系管理员。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # AuthenticationForm sets max_length without its validator; an overlong name must be
        # refused here, before it reaches authenticate() and the lockout records.
        self.fields["username"].validators.append(MaxLengthValidator(150))


class OperatorSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=50)


class OperatorForm(forms.ModelForm):
    roles = forms.ModelMultipleChoiceField(
        label=_("角色"),
        queryset=Role.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Operator
        fields = ["username", "full_name", "phone", "stores", "default_store", "is_active"]
        widgets = {"stores": forms.CheckboxSelectMultiple}
        labels = {"username": _("用户名"), "is_active": _("启用")}
        help_texts = {"is_active": _("操作员不能删除；离职时取消勾选即可停用，历史记录保留。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stores"].queryset = Store.objects.filter(is_active=True)
        self.fields["stores"].required = True
        self.fields["default_store"].queryset = Store.objects.filter(is_active=True)
        self.fields["username"].help_text = ""
        if self.instance.pk:
            self.fields["username"].disabled = True
            self.initial["roles"] = list(self.instance.groups.values_list("pk", flat=True))

    def validate_unique(self):
        """Left to the service, which answers USERNAME_EXISTS."""


class NewOperatorForm(OperatorForm):
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput(render_value=False))


class PasswordResetForm(forms.Form):
    new_password = forms.CharField(label=_("新密码"), widget=forms.PasswordInput)


class ChangePasswordForm(forms.Form):
    old_password = forms.CharField(label=_("原密码"), widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("新密码"), widget=forms.PasswordInput)
    new_password_again = forms.CharField(label=_("再次输入新密码"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", gettext("两次输入的新密码不一致"))
        return data


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


class RoleForm(forms.ModelForm):
    permissions = PermissionChoiceField(
        label=_("权限"),
        queryset=Permission.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
    )

    class Meta:
        model = Role
        fields = ["name", "description", "permissions"]
        labels = {"name": _("名称")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permissions"].queryset = grantable_permissions()

    def permission_groups(self) -> list[tuple[str, list]]:
        """The permission checkboxes grouped by what they are about (门店, 操作员, …)."""
        subject = {
            p.pk: capfirst(p.content_type.model_class()._meta.verbose_name)
            for p in self.fields["permissions"].queryset
        }
        groups: dict[str, list] = {}
        for checkbox in self["permissions"]:
            groups.setdefault(subject[checkbox.data["value"].value], []).append(checkbox)
        return list(groups.items())

    def validate_unique(self):
        """Left to the service, which answers ROLE_NAME_EXISTS."""
