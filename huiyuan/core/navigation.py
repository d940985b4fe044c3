"""The back-office navigation, shown by permission: an operator sees only what their roles allow.

Only pages that work are listed; each later feature adds its section here.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MANAGE_STOCK = "inventory.manage_stock_documents"


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    permission: str | None = None


@dataclass(frozen=True)
class NavSection:
    label: str
    icon: str
    items: tuple[NavItem, ...]


SECTIONS = (
    NavSection(
        _("会员"),
        "person-vcard",
        (
            NavItem(_("会员查询"), "members:search", "search", "members.view_member"),
            NavItem(_("会员登记"), "members:register", "person-plus", "members.add_member"),
            NavItem(_("会员导入"), "member_import:upload", "upload", "members.add_member"),
            NavItem(_("会员标签"), "member_tags:list", "tags", "members.view_tag"),
            NavItem(_("会员等级"), "tiers:list", "award", "tiers.view_tier"),
            NavItem(_("积分规则"), "points:rules", "coin", "points.view_earnrule"),
            NavItem(_("积分设置"), "points:program", "sliders", "points.view_pointsprogram"),
        ),
    ),
    NavSection(
        _("储值与计次"),
        "wallet2",
        (
            NavItem(_("会员充值"), "wallet:desk", "wallet2", "wallet.add_topup"),
            NavItem(_("充值赠送规则"), "wallet:rules", "gift", "wallet.view_topupbonusrule"),
            NavItem(
                _("计次套餐"),
                "wallet:packages",
                "ticket-perforated",
                "wallet.view_countcardpackage",
            ),
            NavItem(_("储值设置"), "wallet:settings", "sliders", "wallet.view_walletsettings"),
        ),
    ),
    NavSection(
        _("收银"),
        "upc-scan",
        (
            NavItem(_("收银台"), "till:page", "upc-scan", "sales.add_order"),
            NavItem(_("销售单"), "orders:list", "receipt-cutoff", "sales.view_order"),
            NavItem(_("顾客退货"), "returns:start", "arrow-return-left", "sales.add_salesreturn"),
            NavItem(_("交班"), "shifts:list", "clock-history", "sales.add_shift"),
            NavItem(_("记账单"), "bills:list", "journal-text", "sales.view_order"),
            NavItem(_("退货设置"), "returns:settings", "sliders", "sales.view_returnsettings"),
        ),
    ),
    NavSection(
        _("营销"),
        "megaphone",
        (
            NavItem(_("促销活动"), "promotions:list", "megaphone", "promotions.view_promotion"),
            NavItem(
                _("会员日"), "promotions:member_days", "calendar-heart", "promotions.view_memberday"
            ),
            NavItem(_("优惠券查询"), "coupons:list", "ticket", "coupons.view_coupon"),
            NavItem(
                _("优惠券模板"),
                "coupons:templates",
                "ticket-detailed",
                "coupons.view_coupontemplate",
            ),
            NavItem(_("批量发券"), "coupons:bulk", "send", "coupons.add_issuejob"),
            NavItem(
                _("自动发券规则"), "coupons:triggers", "lightning", "coupons.view_coupontrigger"
            ),
            NavItem(_("积分返利"), "coupons:rebate", "percent", "coupons.view_rebateprogram"),
        ),
    ),
    NavSection(
        _("积分商城"),
        "gift",
        (
            NavItem(_("礼品兑换"), "gifts:desk", "bag-check", "gifts.add_giftredemption"),
            NavItem(_("兑换记录"), "gifts:redemptions", "receipt", "gifts.view_giftredemption"),
            NavItem(_("积分礼品"), "gifts:list", "gift", "gifts.view_gift"),
        ),
    ),
    NavSection(
        _("商品"),
        "box-seam",
        (
            NavItem(_("商品资料"), "catalog:products", "box-seam", "catalog.view_product"),
            NavItem(_("商品类别"), "catalog:categories", "diagram-3", "catalog.view_category"),
            NavItem(_("供应商"), "catalog:suppliers", "truck", "catalog.view_supplier"),
        ),
    ),
    NavSection(
        _("库存"),
        "boxes",
        (
            NavItem(_("进货单"), "inventory:receipts", "box-arrow-in-down", MANAGE_STOCK),
            NavItem(_("退货单"), "inventory:returns", "box-arrow-up", MANAGE_STOCK),
            NavItem(_("调拨单"), "inventory:transfers", "truck", MANAGE_STOCK),
            NavItem(_("盘点单"), "inventory:stocktakes", "clipboard-check", MANAGE_STOCK),
            NavItem(_("报损单"), "inventory:write_offs", "trash3", MANAGE_STOCK),
            NavItem(_("库存统计"), "inventory:levels", "boxes", "inventory.view_stocklevel"),
            NavItem(
                _("库存明细"), "inventory:movements", "list-columns", "inventory.view_stocklevel"
            ),
            NavItem(
                _("库存估值"), "inventory:valuation", "cash-stack", "inventory.view_stock_valuation"
            ),
        ),
    ),
    NavSection(
        _("系统管理"),
        "gear",
        (
            NavItem(pgettext_lazy("plural", "门店"), "core:store_list", "shop", "core.view_store"),
            NavItem(
                pgettext_lazy("plural", "操作员"),
                "staff:operator_list",
                "people",
                "staff.view_operator",
            ),
            NavItem(_("角色与权限"), "staff:role_list", "shield-lock", "staff.view_role"),
            NavItem(_("卡类型"), "card_types:list", "credit-card-2-front", "cards.view_cardtype"),
            NavItem(pgettext_lazy("plural", "API 密钥"), "api_keys:list", "key", "api.view_apikey"),
            NavItem(_("审计日志"), "core:audit_list", "journal-text", "core.view_auditevent"),
        ),
    ),
)


def navigation_for(user, current_path: str) -> list[dict]:
    """The sections and items this user may open, with the active one marked: the item whose
    address is the longest start of the current path (/members/register/ is 会员登记, not also
    会员查询 at /members/)."""
    sections = []
    for section in SECTIONS:
        items = [
            {"label": item.label, "url": reverse(item.url_name), "icon": item.icon}
            for item in section.items
            if item.permission is None or user.has_perm(item.permission)
        ]
        if items:
            sections.append({"label": section.label, "icon": section.icon, "items": items})
    matching = [
        item
        for section in sections
        for item in section["items"]
        if current_path.startswith(item["url"])
    ]
    best = max(matching, key=lambda item: len(item["url"]), default=None)
    for section in sections:
        for item in section["items"]:
            item["active"] = item is best
    return sections
