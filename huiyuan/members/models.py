from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huiyuan.core import pii
from huiyuan.core.errors import DomainError
from huiyuan.core.models import Store
from huiyuan.members import validation


class Tag(models.Model):
    name = models.CharField(_("名称"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("会员标签")
        verbose_name_plural = _("会员标签")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Member(models.Model):
    """A member of the chain. Balances, cards and orders hang off this row (and carry its id)."""

    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    class IdType(models.TextChoices):
        RESIDENT_ID = validation.RESIDENT_ID, _("居民身份证")
        PASSPORT = validation.PASSPORT, _("护照")
        HK_MACAO_PERMIT = validation.HK_MACAO_PERMIT, _("港澳居民来往内地通行证")
        TAIWAN_PERMIT = validation.TAIWAN_PERMIT, _("台湾居民来往大陆通行证")

    class Channel(models.TextChoices):
        COUNTER = "counter", _("柜台")
        SELF_SERVICE = "self_service", _("自助")
        WECHAT = "wechat", _("微信")
        IMPORT = "import", _("导入")
        API = "api", _("接口")

    class Status(models.TextChoices):
        ACTIVE = "active", _("正常")
        CANCELLED = "cancelled", _("已注销")
        MERGED = "merged", _("已合并")

    member_no = models.CharField(_("会员号"), max_length=20, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    name_pinyin = models.CharField(_("姓名拼音"), max_length=200, db_index=True)
    name_initials = models.CharField(_("拼音首字母"), max_length=50, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birthday = models.DateField(_("生日"), null=True, blank=True)
    phone = models.CharField(_("手机号"), max_length=11)
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices, blank=True)
    # The ID number is never stored in clear: encrypted, an HMAC for lookup, and a masked copy.
    id_number_encrypted = models.TextField(blank=True)
    id_number_hash = models.CharField(max_length=64, null=True, blank=True, db_index=True)
    id_number_masked = models.CharField(_("证件号码"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("标签"), blank=True, related_name="members")
    channel = models.CharField(_("注册渠道"), max_length=20, choices=Channel.choices)
    store = models.ForeignKey(
        Store, verbose_name=_("注册门店"), on_delete=models.PROTECT, related_name="members"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    referrer = models.ForeignKey(
        "self",
        verbose_name=_("推荐人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    consent_sms = models.BooleanField(_("接收短信"), default=False)
    consent_email = models.BooleanField(_("接收邮件"), default=False)
    consent_wechat = models.BooleanField(_("接收微信消息"), default=False)
    notes = models.TextField(_("备注"), blank=True)
    # The stored photo's file name under PRIVATE_MEDIA_ROOT (members/photos.py), "" for none.
    photo = models.CharField(_("照片"), max_length=64, blank=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    cancelled_reason = models.CharField(_("注销原因"), max_length=200, blank=True)
    # A duplicate record of one person, merged into this member (members/merging.py); its number
    # keeps resolving to the kept member.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并到"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="absorbed_members",
    )
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("会员")
        verbose_name_plural = _("会员")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=Q(status="active"), name="member_phone_unique_active"
            ),
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=Q(status="active"),
                name="member_id_number_unique_active",
            ),
        ]
        permissions = [
            ("view_id_number", _("可查看完整证件号码")),
            ("merge_member", _("可合并重复会员")),
        ]

    def __str__(self):
        return f"{self.name} ({self.member_no})"

    def check_active(self, field: str | None = None) -> "Member":
        """This member, if nothing stops serving them: a merged record is MEMBER_MERGED (its
        number resolves to the kept member), a cancelled one MEMBER_CANCELLED."""
        if self.status == self.Status.MERGED:
            raise DomainError("MEMBER_MERGED", field=field)
        if self.status != self.Status.ACTIVE:
            raise DomainError("MEMBER_CANCELLED", field=field)
        return self

    @property
    def id_number(self) -> str:
        """The ID number in clear: only for roles with members.view_id_number."""
        return pii.decrypt(self.id_number_encrypted) if self.id_number_encrypted else ""

    def set_id_number(self, id_type: str, number: str) -> None:
        self.id_type = id_type
        if number:
            self.id_number_encrypted = pii.encrypt(number)
            self.id_number_hash = pii.lookup_hash(number)
            self.id_number_masked = pii.mask(number)
        else:
            self.id_number_encrypted, self.id_number_hash, self.id_number_masked = "", None, ""


class ImportJob(models.Model):
    """One uploaded member file (members/imports/): checked, previewed, then committed.

    The file waits in VAR_DIR/imports until the import is committed or abandoned; only row
    numbers, names and reasons are kept here (never an ID number).
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("检查中")
        CHECKED = "checked", _("待确认")
        IMPORTING = "importing", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    store = models.ForeignKey(Store, verbose_name=_("门店"), on_delete=models.PROTECT)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作员"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_name = models.CharField(_("文件名"), max_length=200)
    path = models.CharField(max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices)
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理"), default=0)
    good_rows = models.PositiveIntegerField(_("可导入"), default=0)
    created_members = models.PositiveIntegerField(_("已导入"), default=0)
    errors = models.JSONField(_("问题行"), default=list)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("会员导入")
        verbose_name_plural = _("会员导入")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.file_name
