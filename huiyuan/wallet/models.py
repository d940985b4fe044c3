"""Stored value (principal and bonus kept apart) and count cards (计次卡), each with an append-only
ledger (DESIGN §4): every balance here equals the sum of its ledger rows (`wallet/checks.py`)."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from huiyuan.core.ledgers import LedgerEntry
from huiyuan.core.models import Store


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("现金")
    BANK_CARD = "bank_card", _("银行卡")
    WECHAT = "wechat", _("微信支付")
    ALIPAY = "alipay", _("支付宝")


class SpendingOrder(models.TextChoices):
    PROPORTIONAL = "proportional", _("按比例扣本金和赠送金")
    PRINCIPAL_FIRST = "principal_first", _("先扣本金")
    BONUS_FIRST = "bonus_first", _("先扣赠送金")


class WalletSettings(models.Model):
    """The program's stored-value settings: one row (`WalletSettings.current()`)."""

    spending_order = models.CharField(
        _("扣款顺序"),
        max_length=16,
        choices=SpendingOrder.choices,
        default=SpendingOrder.PROPORTIONAL,
    )
    password_required = models.BooleanField(
        _("储值消费须输入支付密码"),
        default=False,
        help_text=_("不勾选时，只有设置了支付密码的会员需要输入"),
    )
    topup_points_per_yuan = models.PositiveSmallIntegerField(
        _("充值送积分（每元）"), default=0, help_text=_("0 = 充值不送积分")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("储值设置")
        verbose_name_plural = _("储值设置")

    def __str__(self):
        return str(_("储值设置"))

    @classmethod
    def current(cls) -> "WalletSettings":
        return cls.objects.get_or_create(pk=1)[0]


class StoredValueAccount(models.Model):
    """A member's stored value: principal (money paid in) and bonus (given) never mix."""

    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("会员"),
        on_delete=models.PROTECT,
        related_name="stored_value_account",
    )
    principal_fen = models.BigIntegerField(_("本金（分）"), default=0)
    bonus_fen = models.BigIntegerField(_("赠送金（分）"), default=0)
    payment_password = models.CharField(_("支付密码"), max_length=128, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("储值账户")
        verbose_name_plural = _("储值账户")
        constraints = [
            models.CheckConstraint(
                condition=Q(principal_fen__gte=0), name="stored_value_principal_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(bonus_fen__gte=0), name="stored_value_bonus_not_negative"
            ),
        ]
        permissions = [("set_payment_password", gettext_noop("可设置会员储值支付密码"))]

    def __str__(self):
        return f"{self.member} {self.principal_fen}+{self.bonus_fen}"

    @property
    def total_fen(self) -> int:
        return self.principal_fen + self.bonus_fen


class Pot(models.TextChoices):
    PRINCIPAL = "principal", _("本金")
    BONUS = "bonus", _("赠送金")


class StoredValueEntry(LedgerEntry):
    """One movement of one pot: a 充500送50 top-up is two rows. `balance_after` is the pot's."""

    class Kind(models.TextChoices):
        TOPUP = "topup", _("充值")
        BONUS = "bonus", _("充值赠送")
        PAY = "pay", _("消费")
        REFUND = "refund", _("充值退款")
        FORFEIT = "forfeit", _("赠送金作废")
        RESTORE = "restore", _("退货退回")
        ADJUST = "adjust", _("调整")
        TRANSFER = "transfer", _("转移")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    account = models.ForeignKey(
        StoredValueAccount,
        verbose_name=_("储值账户"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    pot = models.CharField(_("资金类型"), max_length=10, choices=Pot.choices)

    class Meta(LedgerEntry.Meta):
        verbose_name = _("储值流水")
        verbose_name_plural = _("储值流水")


class TopUpBonusRule(models.Model):
    """充 threshold 送 bonus. Of the rules that apply, the one with the highest threshold wins."""

    name = models.CharField(_("名称"), max_length=50)
    threshold_fen = models.PositiveBigIntegerField(_("充值满（分）"))
    bonus_fen = models.PositiveBigIntegerField(_("赠送（分）"))
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    tiers = models.ManyToManyField(
        "tiers.Tier",
        verbose_name=_("适用会员等级"),
        blank=True,
        related_name="+",
        help_text=_("不选表示所有等级"),
    )
    once_per_member = models.BooleanField(_("每位会员限一次"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("充值赠送规则")
        verbose_name_plural = _("充值赠送规则")
        ordering = ["-is_active", "threshold_fen", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold_fen__gt=0) & Q(bonus_fen__gt=0),
                name="topup_rule_amounts_positive",
            ),
        ]

    def __str__(self):
        return self.name


class TopUp(models.Model):
    """A top-up document (充值单): what was paid, how, and the bonus it gave."""

    class Status(models.TextChoices):
        PAID = "paid", _("已充值")
        REFUNDED = "refunded", _("已退款")

    number = models.CharField(_("充值单号"), max_length=20, unique=True)
    member = models.ForeignKey(
        "members.Member", verbose_name=_("会员"), on_delete=models.PROTECT, related_name="topups"
    )
    amount_fen = models.PositiveBigIntegerField(_("充值金额（分）"))
    bonus_fen = models.PositiveBigIntegerField(_("赠送（分）"), default=0)
    rule = models.ForeignKey(
        TopUpBonusRule,
        verbose_name=_("赠送规则"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="topups",
    )
    points = models.PositiveBigIntegerField(_("赠送积分"), default=0)
    payment_method = models.CharField(_("支付方式"), max_length=12, choices=PaymentMethod.choices)
    external_ref = models.CharField(_("支付流水号"), max_length=64, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="paid")
    store = models.ForeignKey(
        Store, verbose_name=_("门店"), null=True, blank=True, on_delete=models.PROTECT
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("充值时间"), auto_now_add=True, db_index=True)
    refunded_at = models.DateTimeField(_("退款时间"), null=True, blank=True)
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("退款操作员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refund_reason = models.CharField(_("退款原因"), max_length=200, blank=True)
    refund_fen = models.PositiveBigIntegerField(
        _("退款金额（分）"), default=0, help_text=_("退给顾客的金额：充值金额减去已用掉的本次赠送")
    )

    class Meta:
        verbose_name = _("充值单")
        verbose_name_plural = _("充值单")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="topup_amount_positive"),
            models.UniqueConstraint(
                fields=["payment_method", "external_ref"],
                condition=~Q(external_ref=""),
                name="topup_one_per_payment_reference",
            ),
        ]
        permissions = [("refund_topup", gettext_noop("可办理充值退款"))]

    def __str__(self):
        return self.number


class CountCardPackage(models.Model):
    """A count-card package for sale, e.g. 洗车10次卡: N uses of the covered services."""

    code = models.CharField(_("编码"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    covers = models.JSONField(_("适用服务/商品编码"), default=list, blank=True)
    uses = models.PositiveIntegerField(_("次数"))
    price_fen = models.PositiveBigIntegerField(_("售价（分）"))
    # At most about ten years: a last day must stay a date.
    validity_days = models.PositiveIntegerField(
        _("有效天数"), null=True, blank=True, validators=[MaxValueValidator(3660)]
    )
    validity_months = models.PositiveIntegerField(
        _("有效月数"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("计次套餐")
        verbose_name_plural = _("计次套餐")
        ordering = ["-is_active", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(uses__gt=0), name="count_card_package_uses"),
        ]

    def __str__(self):
        return self.name


class CountCardHolding(models.Model):
    """A package a member bought (the sale itself: number, price, payment) and its uses left."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("可用")
        EXHAUSTED = "exhausted", _("已用完")
        EXPIRED = "expired", _("已过期")
        TRANSFERRED = "transferred", _("已转移")

    number = models.CharField(_("售卡单号"), max_length=20, unique=True)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("会员"),
        on_delete=models.PROTECT,
        related_name="count_cards",
    )
    package = models.ForeignKey(
        CountCardPackage, verbose_name=_("套餐"), on_delete=models.PROTECT, related_name="+"
    )
    uses = models.PositiveIntegerField(_("购买次数"))
    remaining = models.IntegerField(_("剩余次数"))
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    price_fen = models.PositiveBigIntegerField(_("售价（分）"))
    payment_method = models.CharField(_("支付方式"), max_length=12, choices=PaymentMethod.choices)
    external_ref = models.CharField(_("支付流水号"), max_length=64, blank=True)
    store = models.ForeignKey(
        Store, verbose_name=_("门店"), null=True, blank=True, on_delete=models.PROTECT
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("购买时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("会员计次卡")
        verbose_name_plural = _("会员计次卡")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(remaining__gte=0), name="count_card_remaining_not_negative"
            ),
        ]
        permissions = [("use_countcardholding", gettext_noop("可核销计次卡"))]

    def __str__(self):
        return f"{self.package.name} {self.number}"


class CountCardEntry(LedgerEntry):
    """One movement of a holding's uses (sale +N, each use −1, expiry −rest)."""

    class Kind(models.TextChoices):
        SALE = "sale", _("购买")
        USE = "use", _("使用")
        EXPIRE = "expire", _("过期")
        ADJUST = "adjust", _("调整")
        TRANSFER = "transfer", _("转移")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    holding = models.ForeignKey(
        CountCardHolding,
        verbose_name=_("计次卡"),
        on_delete=models.PROTECT,
        related_name="entries",
    )

    class Meta(LedgerEntry.Meta):
        verbose_name = _("计次流水")
        verbose_name_plural = _("计次流水")
