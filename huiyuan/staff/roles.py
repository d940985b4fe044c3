"""The built-in roles of DESIGN §1 and their permissions.

Later features add their permissions here; a data migration calling `sync_builtin_roles` grants
them (it only adds, so permissions an administrator granted by hand are kept).
"""

from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class BuiltinRole:
    code: str
    name: str
    description: str
    permissions: tuple[str, ...]  # "app_label.codename"


ADMINISTRATION = (
    "core.view_all_stores",
    "core.view_store",
    "core.add_store",
    "core.change_store",
    "core.view_auditevent",
    "staff.view_operator",
    "staff.add_operator",
    "staff.change_operator",
    "staff.view_role",
    "staff.add_role",
    "staff.change_role",
    "staff.delete_role",
    "api.view_apikey",
    "api.add_apikey",
    "api.change_apikey",
)

VIEW_MEMBERS = ("members.view_member", "cards.view_card")
TAGS = ("members.view_tag", "members.add_tag", "members.change_tag", "members.delete_tag")
MEMBER_DESK = (
    *VIEW_MEMBERS,
    "members.add_member",
    "members.change_member",
    "cards.add_card",
    "cards.change_card",
    *TAGS,
)
CARD_TYPES = ("cards.view_cardtype", "cards.add_cardtype", "cards.change_cardtype")
VIEW_WALLET = (
    "wallet.view_storedvalueaccount",
    "wallet.view_topup",
    "wallet.view_countcardholding",
)
WALLET_DESK = (
    *VIEW_WALLET,
    "wallet.add_topup",
    "wallet.add_countcardholding",
    "wallet.use_countcardholding",
    "wallet.set_payment_password",
)
WALLET_RULES = (
    "wallet.view_topupbonusrule",
    "wallet.add_topupbonusrule",
    "wallet.change_topupbonusrule",
    "wallet.view_countcardpackage",
    "wallet.add_countcardpackage",
    "wallet.change_countcardpackage",
    "wallet.view_walletsettings",
    "wallet.change_walletsettings",
)
VIEW_TIERS = (
    "tiers.view_tier",
    "tiers.view_tierprogram",
    "tiers.view_tierstanding",
    "tiers.view_tierchange",
)
TIER_RULES = (*VIEW_TIERS, "tiers.add_tier", "tiers.change_tier", "tiers.change_tierprogram")
TIER_OVERRIDE = "tiers.override_tierstanding"
VIEW_POINTS = ("points.view_pointsaccount", "points.view_pointsentry", "points.view_pointslot")
POINTS_RULES = (
    "points.view_earnrule",
    "points.add_earnrule",
    "points.change_earnrule",
    "points.view_pointsday",
    "points.add_pointsday",
    "points.change_pointsday",
    "points.view_pointsprogram",
    "points.change_pointsprogram",
)
POINTS_DESK = ("points.adjust_points", "points.redeem_points")
MEMBER_MERGE = "members.merge_member"
VIEW_CATALOG = ("catalog.view_product", "catalog.view_category", "catalog.view_supplier")
CATALOG = (
    *VIEW_CATALOG,
    "catalog.add_product",
    "catalog.change_product",
    "catalog.add_category",
    "catalog.change_category",
    "catalog.add_supplier",
    "catalog.change_supplier",
)
STOCK_REPORTS = ("inventory.view_stocklevel", "inventory.view_stock_valuation")
STOCK_DESK = (*STOCK_REPORTS, "inventory.manage_stock_documents", "inventory.change_stocklevel")
VIEW_PROMOTIONS = ("promotions.view_promotion", "promotions.view_memberday")
PROMOTIONS = (
    *VIEW_PROMOTIONS,
    "promotions.add_promotion",
    "promotions.change_promotion",
    "promotions.view_promotionuse",
    "promotions.add_memberday",
    "promotions.change_memberday",
)
COUPON_DESK = ("coupons.view_coupon", "coupons.add_coupon")
COUPON_RULES = (
    *COUPON_DESK,
    "coupons.revoke_coupon",
    "coupons.view_coupontemplate",
    "coupons.add_coupontemplate",
    "coupons.change_coupontemplate",
    "coupons.view_coupontrigger",
    "coupons.add_coupontrigger",
    "coupons.change_coupontrigger",
    "coupons.view_issuejob",
    "coupons.add_issuejob",
    "coupons.view_rebateprogram",
    "coupons.change_rebateprogram",
    "coupons.run_rebate",
)
TILL = (
    "sales.add_order",
    "sales.view_order",
    "sales.add_shift",
    "sales.add_salesreturn",
    "sales.view_salesreturn",
)
SALES_OFFICE = ("sales.view_order", "sales.view_salesreturn", "sales.view_shift")
GIFT_DESK = ("gifts.view_gift", "gifts.view_giftredemption", "gifts.add_giftredemption")
GIFT_CATALOGUE = (
    "gifts.view_gift",
    "gifts.add_gift",
    "gifts.change_gift",
    "gifts.view_giftredemption",
)

BUILTIN_ROLES = (
    BuiltinRole(
        "admin",
        "系统管理员",
        "门店、操作员与角色、API 密钥、系统设置、审计日志",
        (
            *ADMINISTRATION,
            *MEMBER_DESK,
            *CARD_TYPES,
            "members.view_id_number",
            *WALLET_DESK,
            "wallet.refund_topup",
            *WALLET_RULES,
            *TIER_RULES,
            TIER_OVERRIDE,
            *VIEW_POINTS,
            *POINTS_RULES,
            *POINTS_DESK,
            MEMBER_MERGE,
            *STOCK_DESK,
            *CATALOG,
            *PROMOTIONS,
            *COUPON_RULES,
            *GIFT_DESK,
            *GIFT_CATALOGUE,
            *TILL,
            *SALES_OFFICE,
            "sales.change_shift",
            "sales.return_without_receipt",
            "sales.view_returnsettings",
            "sales.change_returnsettings",
        ),
    ),
    BuiltinRole(
        "store_manager",
        "店长",
        "商品、库存、员工与提成、本店报表",
        (
            "core.view_auditevent",
            *MEMBER_DESK,
            *WALLET_DESK,
            *VIEW_TIERS,
            TIER_OVERRIDE,
            *VIEW_POINTS,
            *POINTS_DESK,
            MEMBER_MERGE,
            *STOCK_DESK,
            *CATALOG,
            *VIEW_PROMOTIONS,
            *COUPON_DESK,
            "coupons.revoke_coupon",
            "coupons.view_coupontemplate",
            *GIFT_DESK,
            *TILL,
            *SALES_OFFICE,
            "sales.change_shift",
            "sales.return_without_receipt",
            "sales.view_returnsettings",
        ),
    ),
    BuiltinRole(
        "cashier",
        "收银员",
        "收银、识别会员、收款、打印小票、退货",
        (
            *VIEW_MEMBERS,
            *VIEW_WALLET,
            "wallet.use_countcardholding",
            *VIEW_TIERS,
            *VIEW_POINTS,
            *VIEW_CATALOG,
            *VIEW_PROMOTIONS,
            "coupons.view_coupon",
            *TILL,
        ),
    ),
    BuiltinRole(
        "member_service",
        "会员专员",
        "会员登记、办卡换卡挂失、充值、兑换、积分调整",
        (
            *MEMBER_DESK,
            "members.view_id_number",
            *WALLET_DESK,
            *VIEW_TIERS,
            *VIEW_POINTS,
            *POINTS_DESK,
            MEMBER_MERGE,
            *VIEW_PROMOTIONS,
            *COUPON_DESK,
            *GIFT_DESK,
            "sales.view_order",
        ),
    ),
    BuiltinRole(
        "marketing",
        "营销",
        "会员等级、积分规则、促销、会员日、优惠券、营销活动",
        (
            *VIEW_MEMBERS,
            *CARD_TYPES,
            *TAGS,
            *VIEW_WALLET,
            *WALLET_RULES,
            *TIER_RULES,
            *VIEW_POINTS,
            *POINTS_RULES,
            *PROMOTIONS,
            *COUPON_RULES,
            *GIFT_CATALOGUE,
        ),
    ),
    BuiltinRole(
        "finance",
        "财务",
        "储值与积分负债、充值退款、日结、导出报表",
        (
            *VIEW_MEMBERS,
            *VIEW_WALLET,
            "wallet.refund_topup",
            *VIEW_TIERS,
            *VIEW_POINTS,
            *STOCK_REPORTS,
            "coupons.view_coupon",
            "coupons.view_issuejob",
            "coupons.view_rebateprogram",
            "gifts.view_gift",
            "gifts.view_giftredemption",
            *SALES_OFFICE,
            "sales.view_returnsettings",
        ),
    ),
)


# Django's own bookkeeping models: nothing a role should be granted.
INTERNAL_APPS = ("admin", "auth", "contenttypes", "sessions", "axes")
# Records that are only ever written by the system, and rows that are never deleted.
NOT_GRANTABLE = (
    "add_auditevent",
    "change_auditevent",
    "delete_auditevent",
    "add_idempotencyrecord",
    "change_idempotencyrecord",
    "delete_idempotencyrecord",
    "view_idempotencyrecord",
    "delete_store",
    "delete_operator",
    "delete_apikey",
    "add_promotionuse",
    "change_promotionuse",
    "delete_promotionuse",
    "add_couponevent",
    "change_couponevent",
    "delete_couponevent",
    "change_giftredemption",
    "delete_giftredemption",
    "add_giftredemptionline",
    "change_giftredemptionline",
    "delete_giftredemptionline",
    "change_order",
    "delete_order",
    "delete_shift",
    "change_salesreturn",
    "delete_salesreturn",
    *(
        f"{action}_{model}"
        for model in ("orderline", "linediscount", "payment", "ordercoupon", "returnline", "refund")
        for action in ("add", "change", "delete")
    ),
)
ACTION_WORDS = {"add": _("新增"), "change": _("修改"), "delete": _("删除"), "view": _("查看")}


def grantable_permissions():
    """What a role may be given: permissions of installed models, minus Django's bookkeeping and
    the system-written records."""
    from django.apps import apps as installed
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    installed_types = ContentType.objects.get_for_models(*installed.get_models()).values()
    return (
        Permission.objects.filter(content_type__in=[t.pk for t in installed_types])
        .exclude(content_type__app_label__in=INTERNAL_APPS)
        .exclude(codename__in=NOT_GRANTABLE)
        .select_related("content_type")
        .order_by("content_type__app_label", "content_type__model", "codename")
    )


def permission_label(permission) -> str:
    """'新增 门店' for Django's model permissions (named in English), else the permission's name."""
    action, _, model = permission.codename.partition("_")
    model_class = permission.content_type.model_class()
    if action in ACTION_WORDS and model_class is not None and model == model_class._meta.model_name:
        # Translators: a permission, e.g. 新增 + 门店 → "Add store" (the model name is lower case).
        return gettext("%(action)s%(model)s") % {
            "action": ACTION_WORDS[action],
            "model": model_class._meta.verbose_name,
        }
    # Custom permissions (Meta.permissions) are stored in Chinese and marked for translation.
    return gettext(permission.name)


def sync_builtin_roles(apps) -> None:
    """Create the built-in roles and grant their permissions (used by data migrations)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations (post_migrate); create them now.
    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original

    role_model = apps.get_model("staff", "Role")
    permission_model = apps.get_model("auth", "Permission")
    for builtin in BUILTIN_ROLES:
        role, _ = role_model.objects.get_or_create(
            code=builtin.code, defaults={"name": builtin.name, "description": builtin.description}
        )
        for label in builtin.permissions:
            app_label, codename = label.split(".")
            # An app migrated later grants its own permissions in its own data migration.
            permission = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                role.permissions.add(permission)
