"""The coupon as the API shows it (GET /members/{member_no}/coupons, the lookup's
`available_coupons`, POST /members/{member_no}/coupons)."""

import datetime

from ninja import Field, Schema

from huiyuan.api.schemas import LocalDateTime


class CouponOut(Schema):
    code: str = Field(..., description="券号（16 位数字），条码 / 二维码的内容")
    template_id: int
    name: str = Field(..., alias="template.name")
    kind: str = Field(
        ..., alias="template.kind", description="`cash`, `percent`, `threshold`, `exchange`, `gift`"
    )
    face_fen: int = Field(..., description="面值（发放时确定；折扣券为 0）")
    permille: int = Field(..., alias="template.permille", description="折扣券：850 = 85折")
    cap_fen: int | None = Field(..., alias="template.cap_fen", description="折扣券最多优惠")
    min_spend_fen: int = Field(..., alias="template.min_spend_fen")
    combinable: bool = Field(..., alias="template.combinable")
    valid_from: datetime.date
    valid_until: datetime.date = Field(..., description="最后可用日（含）")
    state: str = Field(..., description="`issued`, `used`, `expired`, `revoked`")
    source: str
    source_ref: str
    issued_at: LocalDateTime
    used_at: LocalDateTime | None
    order_ref: str
