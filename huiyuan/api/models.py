import hashlib

from django.conf import settings
from django.db import models

from huiyuan.core.models import Store


class ApiKey(models.Model):
    """A POS terminal's key. Only its SHA-256 is stored: the key itself is shown once."""

    name = models.CharField("终端名称", max_length=100)
    store = models.ForeignKey(Store, verbose_name="门店", on_delete=models.PROTECT)
    prefix = models.CharField("前缀", max_length=16, help_text="用于辨认密钥，不是密钥本身")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        verbose_name = "API 密钥"
        verbose_name_plural = "API 密钥"
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
