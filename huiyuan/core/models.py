from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy


class Store(models.Model):
    """A shop of the chain; also a stock location and the scope of operators and API keys."""

    code = models.CharField(
        _("门店编码"),
        max_length=16,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]+$", _("只能包含字母、数字、- 和 _"))],
    )
    name = models.CharField(_("门店名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    allow_negative_stock = models.BooleanField(_("允许负库存"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model name", "门店")
        verbose_name_plural = pgettext_lazy("model name plural", "门店")
        ordering = ["code"]
        permissions = [("view_all_stores", gettext_noop("可查看全部门店的数据"))]

    def __str__(self):
        return f"{self.code} {self.name}"


class AppendOnlyModel(models.Model):
    """Rows that are written once and never changed or deleted (audit, ledgers)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise TypeError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} rows are append-only")


class AuditEvent(AppendOnlyModel):
    """Who did what to which object, written in the same transaction as the action."""

    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    api_key = models.ForeignKey(
        "api.ApiKey",
        verbose_name=_("API 密钥"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    store = models.ForeignKey(
        Store, verbose_name=_("门店"), null=True, blank=True, on_delete=models.PROTECT
    )
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=64, blank=True, db_index=True)
    target_id = models.CharField(_("对象 ID"), max_length=64, blank=True)
    target_repr = models.CharField(_("对象"), max_length=200, blank=True)
    before = models.JSONField(_("修改前"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("修改后"), null=True, blank=True, encoder=DjangoJSONEncoder)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model name", "审计日志")
        verbose_name_plural = pgettext_lazy("model name plural", "审计日志")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class IdempotencyRecord(models.Model):
    """The first response to a request made with an Idempotency-Key, replayed on repeats."""

    caller = models.CharField(_("调用方"), max_length=64)
    endpoint = models.CharField(_("接口"), max_length=255)
    key = models.CharField(_("幂等键"), max_length=64)
    request_hash = models.CharField(_("请求摘要"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("状态码"), null=True)
    content_type = models.CharField(max_length=100, blank=True)
    response_body = models.TextField(_("响应"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = pgettext_lazy("model name", "幂等记录")
        verbose_name_plural = pgettext_lazy("model name plural", "幂等记录")
        constraints = [
            models.UniqueConstraint(
                fields=["caller", "endpoint", "key"], name="idempotency_unique_key"
            )
        ]

    def __str__(self):
        return f"{self.endpoint} {self.key}"


class Sequence(models.Model):
    """A named counter for human-friendly numbers (member numbers, card numbers, later orders)."""

    name = models.CharField("名称", max_length=64, unique=True)
    last_value = models.BigIntegerField("当前值", default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"

    def __str__(self):
        return f"{self.name}={self.last_value}"
