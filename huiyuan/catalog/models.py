"""Categories (an unlimited tree with extension attributes), suppliers, products and barcodes."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_Node


class Category(MP_Node):
    """A product category. Siblings keep the order they are placed in (move up / down)."""

    name = models.CharField(_("名称"), max_length=50)
    code = models.CharField(_("编码"), max_length=20, unique=True)
    is_active = models.BooleanField(_("启用"), default=True)

    steplen = 4

    class Meta:
        verbose_name = pgettext_lazy("model name", "商品类别")
        verbose_name_plural = pgettext_lazy("model name plural", "商品类别")

    def __str__(self):
        return self.name


class Attribute(models.Model):
    """An extension attribute a category defines; its sub-categories inherit it."""

    class Kind(models.TextChoices):
        TEXT = "text", _("文本")
        NUMBER = "number", _("数字")
        CHOICE = "choice", _("选项")
        DATE = "date", _("日期")
        BOOL = "bool", _("是/否")

    category = models.ForeignKey(
        Category, verbose_name=_("类别"), on_delete=models.CASCADE, related_name="attributes"
    )
    name = models.CharField(_("名称"), max_length=30)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(_("必填"), default=False)
    choices = models.JSONField(_("可选值"), default=list, blank=True)
    unit = models.CharField(_("单位"), max_length=10, blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("model name", "扩展属性")
        verbose_name_plural = pgettext_lazy("model name plural", "扩展属性")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "name"], name="attribute_name_per_category")
        ]

    def __str__(self):
        return self.name

    @property
    def key(self):
        """The key of this attribute's value in `Product.attributes` (survives a rename; not
        a bare number, which JSON lookups would read as an array index)."""
        return f"a{self.pk}"


class Supplier(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    contact = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("model name", "供应商")
        verbose_name_plural = pgettext_lazy("model name plural", "供应商")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Product(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("在售")
        INACTIVE = "inactive", _("停售")

    code = models.CharField(_("商品编码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_pinyin = models.CharField(_("名称拼音"), max_length=400, db_index=True)
    name_initials = models.CharField(_("拼音首字母"), max_length=100, db_index=True)
    unit = models.CharField(_("单位"), max_length=10, default="件")
    spec = models.CharField(_("规格"), max_length=50, blank=True)
    brand = models.CharField(_("品牌"), max_length=50, blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="products"
    )
    supplier = models.ForeignKey(
        Supplier,
        verbose_name=_("主供应商"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
    )
    retail_price_fen = models.PositiveIntegerField(_("零售价（分）"))
    member_price_fen = models.PositiveIntegerField(_("会员价（分）"), null=True, blank=True)
    cost_price_fen = models.PositiveIntegerField(_("进价（分）"), default=0)
    earns_points = models.BooleanField(_("积分"), default=True)
    member_discount_applies = models.BooleanField(_("参与会员折扣"), default=True)
    is_service = models.BooleanField(_("服务项目"), default=False)
    is_weighed = models.BooleanField(_("称重商品"), default=False)
    plu = models.CharField(_("PLU 码"), max_length=6, null=True, blank=True, unique=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="active")
    # Extension attribute values keyed by `Attribute.key`.
    attributes = models.JSONField(_("扩展属性"), default=dict, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model name", "商品")
        verbose_name_plural = pgettext_lazy("model name plural", "商品")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_weighed=True) | Q(plu__isnull=True), name="product_plu_only_weighed"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE


class Barcode(models.Model):
    product = models.ForeignKey(
        Product, verbose_name=_("商品"), on_delete=models.CASCADE, related_name="barcodes"
    )
    code = models.CharField(_("条码"), max_length=32, unique=True)

    class Meta:
        verbose_name = pgettext_lazy("model name", "条码")
        verbose_name_plural = pgettext_lazy("model name plural", "条码")
        ordering = ["id"]

    def __str__(self):
        return self.code
