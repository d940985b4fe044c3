from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiyuan.core.models import Store


class Operator(AbstractUser):
    """A person who logs in to the back office or the till; works in one or more stores."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    stores = models.ManyToManyField(
        Store, verbose_name=_("所属门店"), blank=True, related_name="operators"
    )
    default_store = models.ForeignKey(
        Store,
        verbose_name=_("默认门店"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = pgettext_lazy("model name", "操作员")
        verbose_name_plural = pgettext_lazy("model name plural", "操作员")
        ordering = ["username"]

    def __str__(self):
        return f"{self.full_name} ({self.username})" if self.full_name else self.username


class Role(Group):
    """A role is a permission group; the built-in ones carry a code and can't be removed."""

    code = models.CharField(_("编码"), max_length=32, unique=True, null=True, blank=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model name", "角色")
        verbose_name_plural = pgettext_lazy("model name plural", "角色")
        ordering = ["id"]

    def __str__(self):
        return self.name

    @property
    def is_builtin(self) -> bool:
        return bool(self.code)
