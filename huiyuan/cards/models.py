from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huiyuan.core.models import AppendOnlyModel, Store


class Medium(models.TextChoices):
    IC = "ic", _("IC 卡")
    MAGNETIC = "magnetic", _("磁条卡")
    RFID = "rfid", _("ID/RFID 卡")
    E_CARD = "e_card", _("电子卡")


class CardType(models.Model):
    """A kind of card the chain issues: what it carries, what it costs, how it is numbered."""

    code = models.CharField(_("编码"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    has_points = models.BooleanField(_("积分"), default=True)
    discount_permille = models.PositiveSmallIntegerField(
        _("折扣（千分比）"), default=1000, help_text=_("950 = 95 折；1000 = 不打折")
    )
    has_stored_value = models.BooleanField(_("储值"), default=False)
    has_count_cards = models.BooleanField(_("计次"), default=False)
    fee_fen = models.PositiveIntegerField(_("工本费（分）"), default=0)
    validity_months = models.PositiveSmallIntegerField(
        _("有效期（月）"), null=True, blank=True, help_text=_("留空表示长期有效")
    )
    number_prefix = models.CharField(_("卡号前缀"), max_length=8)
    number_length = models.PositiveSmallIntegerField(_("卡号长度"), default=12)
    media = models.JSONField(_("允许的介质"), default=list)
    registration_threshold_fen = models.PositiveIntegerField(
        _("办卡门槛（当日消费，分）"), null=True, blank=True
    )
    starting_tier = models.ForeignKey(
        "tiers.Tier",
        verbose_name=_("起始等级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("持此类卡的新会员从该等级开始；留空为最低等级"),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("卡类型")
        verbose_name_plural = _("卡类型")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Card(models.Model):
    """A member's card. A member holds at most one live card (active, lost or frozen)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("正常")
        LOST = "lost", _("已挂失")
        FROZEN = "frozen", _("已冻结")
        REPLACED = "replaced", _("已换卡")
        CANCELLED = "cancelled", _("已注销")
        EXPIRED = "expired", _("已过期")

    LIVE = (Status.ACTIVE, Status.LOST, Status.FROZEN)

    number = models.CharField(_("卡号"), max_length=32, unique=True)
    member = models.ForeignKey(
        "members.Member", verbose_name=_("会员"), on_delete=models.PROTECT, related_name="cards"
    )
    card_type = models.ForeignKey(CardType, verbose_name=_("卡类型"), on_delete=models.PROTECT)
    medium = models.CharField(_("介质"), max_length=10, choices=Medium.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    issued_at = models.DateTimeField(_("发卡时间"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发卡人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    store = models.ForeignKey(Store, verbose_name=_("发卡门店"), on_delete=models.PROTECT)
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)

    class Meta:
        verbose_name = _("会员卡")
        verbose_name_plural = _("会员卡")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status__in=["active", "lost", "frozen"]),
                name="card_one_live_card_per_member",
            )
        ]

    def __str__(self):
        return self.number


class CardEvent(AppendOnlyModel):
    """Every lifecycle change of a card: who, where, why, and any fee."""

    class Kind(models.TextChoices):
        ISSUE = "issue", _("发卡")
        REPORT_LOSS = "report_loss", _("挂失")
        UNLOCK = "unlock", _("解挂")
        REPLACE = "replace", _("补卡")
        RENEW = "renew", _("换卡")
        FREEZE = "freeze", _("冻结")
        UNFREEZE = "unfreeze", _("解冻")
        CANCEL = "cancel", _("注销")
        EXPIRE = "expire", _("过期")

    card = models.ForeignKey(
        Card, verbose_name=_("卡"), on_delete=models.PROTECT, related_name="events"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("会员"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("事件"), max_length=12, choices=Kind.choices)
    new_card = models.ForeignKey(
        Card,
        verbose_name=_("新卡"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    store = models.ForeignKey(
        Store, verbose_name=_("门店"), null=True, blank=True, on_delete=models.PROTECT
    )
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    fee_fen = models.PositiveIntegerField(_("费用（分）"), default=0)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("卡事件")
        verbose_name_plural = _("卡事件")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.card} {self.get_kind_display()}"
