from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundMessage(models.Model):
    """Every message sent to a member, whatever the channel: what went out, when, and how."""

    class Channel(models.TextChoices):
        SMS = "sms", _("短信")
        EMAIL = "email", _("邮件")
        WECHAT = "wechat", _("微信")

    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("接收方"), max_length=200)
    body = models.TextField(_("内容"))
    backend = models.CharField(_("通道"), max_length=50)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.channel} → {self.recipient}"


class OneTimeCode(models.Model):
    """A verification code sent by SMS. Only its keyed hash is kept."""

    phone = models.CharField(_("手机号"), max_length=11, db_index=True)
    purpose = models.CharField(_("用途"), max_length=30)
    code_hash = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("验证码")
        verbose_name_plural = _("验证码")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.purpose} {self.phone}"
