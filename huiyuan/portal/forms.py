from django import forms
from django.utils.translation import gettext_lazy as _


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("手机号"), max_length=20)


class JoinForm(forms.Form):
    phone = forms.CharField(label=_("手机号"), max_length=20)
    code = forms.CharField(label=_("短信验证码"), max_length=6)
    name = forms.CharField(label=_("姓名"), max_length=50)
    birthday = forms.DateField(
        label=_("生日"), required=False, widget=forms.DateInput({"type": "date"})
    )
    consent_sms = forms.BooleanField(label=_("接收短信优惠通知"), required=False)
    consent_email = forms.BooleanField(label=_("接收邮件优惠通知"), required=False)
    consent_wechat = forms.BooleanField(label=_("接收微信消息"), required=False)
    agree = forms.BooleanField(label=_("我已阅读并同意会员章程与隐私政策"))
