import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiyuan.core.models import Store


class ApiKey(models.Model):
    """A POS terminal's key. Only its SHA-256 is stored: the key itself is shown once."""

    name = models.CharField(_("终端名称"), max_length=100)
    store = models.ForeignKey(Store, verbose_name=_("门店"), on_delete=models.PROTECT)
    prefix = models.CharField(_("前缀"), max_length=16, help_text=_("用于辨认密钥，不是密钥本身"))
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model name", "API 密钥")
        verbose_name_plural = pgettext_lazy("model name plural", "API 密钥")
        ordering = ["store__code", "name"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def hash(raw_key: str) -> str:
        # Keys are 256-bit random, so a fast hash is safe and keeps every API call cheap.
        return hashlib.sha256(raw_key.encode()).hexdigest()
