"""Business errors and the registry of stable error codes (API.md "Error codes").

Services raise `DomainError(code)`; the API turns it into
`{"error": {"code", "message", "fields"}}` with the code's HTTP status, and pages show the message.
Codes are part of the API contract: add freely, never rename or remove one.
"""

from dataclasses import dataclass

from django.utils import translation


@dataclass(frozen=True)
class ErrorCode:
    status: int
    zh: str
    en: str


ERRORS: dict[str, ErrorCode] = {
    # Platform
    "AUTH_REQUIRED": ErrorCode(
        401, "需要有效的 API 密钥或登录", "A valid API key or login is required"
    ),
    "API_KEY_REVOKED": ErrorCode(401, "API 密钥已停用", "The API key has been revoked"),
    "PERMISSION_DENIED": ErrorCode(403, "没有执行此操作的权限", "You are not allowed to do this"),
    "NOT_FOUND": ErrorCode(404, "请求的内容不存在", "Not found"),
    "METHOD_NOT_ALLOWED": ErrorCode(405, "不支持该请求方法", "Method not allowed"),
    "VALIDATION_ERROR": ErrorCode(422, "提交的数据有误", "The request data is invalid"),
    "MALFORMED_JSON": ErrorCode(400, "请求体不是有效的 JSON", "The request body is not valid JSON"),
    "UNSUPPORTED_MEDIA_TYPE": ErrorCode(
        415, "请求体必须是 application/json", "The request body must be application/json"
    ),
    "PAYLOAD_TOO_LARGE": ErrorCode(413, "请求体过大", "The request body is too large"),
    "IDEMPOTENCY_KEY_INVALID": ErrorCode(
        400, "Idempotency-Key 须为 1 至 64 个字符", "Idempotency-Key must be 1 to 64 characters"
    ),
    "IDEMPOTENCY_KEY_REUSED": ErrorCode(
        409,
        "该幂等键已用于另一个请求（地址或内容不同）",
        "This Idempotency-Key was already used for a different request (path or body)",
    ),
    "RATE_LIMITED": ErrorCode(
        429, "操作过于频繁，请稍后再试", "Too many requests; try again later"
    ),
    "OTP_INVALID": ErrorCode(422, "验证码不正确", "The verification code is wrong"),
    "OTP_EXPIRED": ErrorCode(409, "验证码已过期，请重新获取", "The verification code has expired"),
    "INTERNAL_ERROR": ErrorCode(500, "系统内部错误，请联系管理员", "Internal error"),
    # Stores, operators, roles
    "STORE_CODE_EXISTS": ErrorCode(409, "门店编码已存在", "A store with this code already exists"),
    "STORE_NOT_FOUND": ErrorCode(404, "门店不存在或已停用", "No such store, or it is closed"),
    "USERNAME_EXISTS": ErrorCode(409, "用户名已存在", "This username is taken"),
    "ROLE_NAME_EXISTS": ErrorCode(409, "角色名称已存在", "A role with this name already exists"),
    "PASSWORD_TOO_WEAK": ErrorCode(422, "密码不符合要求", "The password is too weak"),
    "CANNOT_DEACTIVATE_SELF": ErrorCode(
        409, "不能停用自己的账户", "You cannot deactivate your own account"
    ),
    "OPERATOR_NEEDS_STORE": ErrorCode(
        422, "操作员至少需要分配一个门店", "An operator needs at least one store"
    ),
    # Members and cards
    "MEMBER_NOT_FOUND": ErrorCode(404, "会员不存在", "Member not found"),
    "MEMBER_EXISTS": ErrorCode(
        409, "该手机号已注册会员", "A member with this phone already exists"
    ),
    "ID_NUMBER_INVALID": ErrorCode(422, "证件号码无效", "The ID number is invalid"),
    "ID_NUMBER_ALREADY_HAS_CARD": ErrorCode(
        409, "该证件已办理会员卡（一证一卡）", "This ID document already holds a card"
    ),
    "PHONE_INVALID": ErrorCode(422, "手机号码无效", "The phone number is invalid"),
    "CARD_NOT_FOUND": ErrorCode(404, "会员卡不存在", "Card not found"),
    "CARD_LOST": ErrorCode(409, "该卡已挂失", "This card has been reported lost"),
    "CARD_FROZEN": ErrorCode(409, "该卡已冻结", "This card is frozen"),
    "CARD_CANCELLED": ErrorCode(409, "该卡已注销", "This card has been cancelled"),
    "CARD_EXPIRED": ErrorCode(409, "该卡已过期", "This card has expired"),
    "CARD_REPLACED": ErrorCode(
        409, "该卡已换发新卡，旧卡不能再使用", "This card was replaced; the old card is void"
    ),
    "CARD_ACTION_NOT_ALLOWED": ErrorCode(
        409, "该卡当前状态不允许此操作", "This card's status does not allow this action"
    ),
    "CARD_TYPE_NOT_FOUND": ErrorCode(404, "卡类型不存在或已停用", "No such card type, or inactive"),
    "CARD_MEDIUM_NOT_ALLOWED": ErrorCode(
        422, "该卡类型不支持此介质", "This card type does not allow this medium"
    ),
    "MEMBER_ALREADY_HAS_CARD": ErrorCode(
        409, "该会员已有一张有效的会员卡", "This member already holds a live card"
    ),
    "MEMBER_CANCELLED": ErrorCode(409, "该会员已注销", "This membership has been cancelled"),
    "MEMBER_MERGED": ErrorCode(
        409, "该会员记录已合并到其他会员", "This member record was merged into another one"
    ),
    "ECARD_TOKEN_EXPIRED": ErrorCode(
        409, "电子会员码已过期，请刷新后重新出示", "This e-card code has expired; refresh it"
    ),
    "ECARD_TOKEN_INVALID": ErrorCode(400, "电子会员码无效", "This e-card code is not valid"),
    # Products and stock
    "PRODUCT_NOT_FOUND": ErrorCode(404, "商品不存在", "Product not found"),
    "INSUFFICIENT_STOCK": ErrorCode(409, "库存不足", "Insufficient stock"),
    "CATEGORY_NOT_FOUND": ErrorCode(404, "商品类别不存在", "Category not found"),
    "SUPPLIER_NOT_FOUND": ErrorCode(404, "供应商不存在", "Supplier not found"),
    "BARCODE_INVALID": ErrorCode(
        422, "条码校验位错误或格式不对", "The barcode's check digit or format is wrong"
    ),
    "BARCODE_DUPLICATE": ErrorCode(
        409, "该条码已属于其他商品", "This barcode belongs to another product"
    ),
    "PRODUCT_CODE_DUPLICATE": ErrorCode(409, "商品编码已存在", "This product code already exists"),
    "DOCUMENT_NOT_FOUND": ErrorCode(404, "单据不存在", "Document not found"),
    "DOCUMENT_NOT_DRAFT": ErrorCode(
        409,
        "单据已确认或已作废，不能再修改",
        "The document is no longer a draft and can't be changed",
    ),
    "DOCUMENT_STATE_INVALID": ErrorCode(
        409, "单据当前状态不允许此操作", "The document's state doesn't allow this"
    ),
    "RECEIPT_EXCEEDS_SHIPPED": ErrorCode(
        422,
        "收货数量超过发货数量，请填写差异说明",
        "Receiving more than was shipped needs a variance note",
    ),
    # Points, stored value, count cards
    "POINTS_INSUFFICIENT": ErrorCode(409, "积分不足", "Not enough points"),
    "STORED_VALUE_INSUFFICIENT": ErrorCode(409, "储值余额不足", "Not enough stored value"),
    "COUNT_CARD_EXHAUSTED": ErrorCode(409, "计次卡次数已用完", "No uses left on the count card"),
    "COUNT_CARD_NOT_FOUND": ErrorCode(404, "计次卡不存在", "Count card not found"),
    "COUNT_CARD_EXPIRED": ErrorCode(409, "计次卡已过期", "This count card has expired"),
    "COUNT_CARD_PACKAGE_NOT_FOUND": ErrorCode(
        404, "计次套餐不存在或已停用", "Count-card package not found or inactive"
    ),
    "ACCOUNT_NOT_AVAILABLE": ErrorCode(
        409, "该会员的卡类型不含此账户", "This member's card type does not carry this account"
    ),
    "TOPUP_NOT_FOUND": ErrorCode(404, "充值单不存在", "Top-up not found"),
    "TOPUP_ALREADY_REFUNDED": ErrorCode(
        409, "该充值单已退款", "This top-up has already been refunded"
    ),
    "PAYMENT_PASSWORD_REQUIRED": ErrorCode(
        409, "需要输入储值支付密码", "The stored-value payment password is required"
    ),
    "PAYMENT_PASSWORD_WRONG": ErrorCode(409, "支付密码错误", "Wrong payment password"),
    "POINTS_PAYMENT_NOT_ALLOWED": ErrorCode(
        409, "积分抵现不符合规则（最低积分或最高比例）", "Points can't pay this much of the order"
    ),
    "POINTS_CLAWBACK_EXCEEDS_EARNED": ErrorCode(
        409, "扣回积分超过该单据所得积分", "More points to claw back than the document earned"
    ),
    "POINTS_REFUND_EXCEEDS_PAID": ErrorCode(
        409, "退回积分超过该单据抵现所用积分", "More points to refund than the document paid with"
    ),
    "POINTS_ALREADY_CHECKED_IN": ErrorCode(409, "今天已签到", "Already checked in today"),
    "POINTS_REFERENCE_USED": ErrorCode(
        409,
        "该单据已记过不同数量的积分",
        "This document already moved a different number of points",
    ),
    "RULE_OVERLAP": ErrorCode(
        422,
        "规则与已有规则的范围重叠，无法判断用哪一条",
        "The rule overlaps another one ambiguously",
    ),
    "TIER_NOT_FOUND": ErrorCode(404, "会员等级不存在", "Tier not found"),
    "STORED_VALUE_REMAINS": ErrorCode(
        409, "会员仍有储值余额，请先退款再注销", "Stored value remains: refund it before cancelling"
    ),
    "REGISTRATION_THRESHOLD_NOT_MET": ErrorCode(
        409, "未达到该卡类型的办卡消费门槛", "The spend required for this card type was not reached"
    ),
    "MERGE_NOT_ALLOWED": ErrorCode(409, "这两个会员不能合并", "These two members can't be merged"),
    # Coupons
    "COUPON_NOT_FOUND": ErrorCode(404, "优惠券不存在", "Coupon not found"),
    "COUPON_NOT_APPLICABLE": ErrorCode(
        409, "该优惠券不适用于本单", "This coupon does not apply to this order"
    ),
    "COUPON_EXPIRED": ErrorCode(409, "优惠券已过期", "This coupon has expired"),
    "COUPON_USED": ErrorCode(409, "优惠券已使用", "This coupon has already been used"),
    "COUPON_LIMIT_REACHED": ErrorCode(
        409,
        "该会员已达此券的领取上限",
        "The member already holds as many of these coupons as allowed",
    ),
    "COUPON_TEMPLATE_NOT_FOUND": ErrorCode(404, "优惠券模板不存在", "Coupon template not found"),
    "REBATE_ALREADY_RUN": ErrorCode(
        409, "该期积分返利已执行", "This period's points rebate already ran"
    ),
    # Promotions and gifts
    "PROMOTION_NOT_FOUND": ErrorCode(404, "促销活动不存在", "Promotion not found"),
    "GIFT_NOT_FOUND": ErrorCode(404, "礼品不存在", "Gift not found"),
    "GIFT_NOT_AVAILABLE": ErrorCode(409, "该礼品当前不可兑换", "This gift can't be redeemed now"),
    "GIFT_LIMIT_REACHED": ErrorCode(
        409, "已超过该礼品的兑换限额", "The redemption limit of this gift is reached"
    ),
    # Checkout
    "PAYMENT_MISMATCH": ErrorCode(
        422, "支付金额合计与应付金额不符", "Payments do not add up to the amount payable"
    ),
    "PRICE_CHANGED": ErrorCode(409, "价格已变化，请重新计价", "Prices changed; quote again"),
    "RETURN_EXCEEDS_SOLD": ErrorCode(422, "退货数量超过销售数量", "Returning more than was sold"),
    "SHIFT_ALREADY_OPEN": ErrorCode(
        409,
        "该收银员在本店已有未交班的班次",
        "This cashier already has an open shift at this store",
    ),
    "SHIFT_CLOSED": ErrorCode(409, "该班次已交班", "This shift is already closed"),
}


def message_for(code: str) -> str:
    """The code's message in the active language (Chinese unless English is active)."""
    entry = ERRORS[code]
    return entry.en if (translation.get_language() or "").startswith("en") else entry.zh


class DomainError(Exception):
    """A business rule said no. `fields` maps input names to messages for a person to read."""

    def __init__(
        self,
        code: str,
        message: str | None = None,
        fields: dict | None = None,
        *,
        field: str | None = None,
    ):
        """`field` names the one input at fault, with the code's own message."""
        if code not in ERRORS:
            raise ValueError(f"unregistered error code {code!r}: add it to core/errors.py")
        self.code = code
        self.custom_message = message
        self.fields = fields or {}
        if field:
            self.fields[field] = self.message
        super().__init__(code)

    @property
    def status(self) -> int:
        return ERRORS[self.code].status

    @property
    def message(self) -> str:
        return self.custom_message or message_for(self.code)

    @classmethod
    def from_validation(cls, exc) -> "DomainError":
        """A Django ValidationError (from full_clean or a validator) as VALIDATION_ERROR."""
        if hasattr(exc, "error_dict"):
            fields = {name: "；".join(messages) for name, messages in exc.message_dict.items()}
        else:
            fields = {"__all__": "；".join(exc.messages)}
        return cls("VALIDATION_ERROR", fields=fields)

    def as_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "fields": self.fields}}

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"
