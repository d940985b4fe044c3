"""The audit log: every change to operators, roles, stores, API keys (and later members, cards and
accounts) records who, when, where, what and the before/after, inside the action's transaction."""

from django.db import connection, models
from django.forms.models import model_to_dict
from django.utils.translation import pgettext_lazy

from huiyuan.core.actors import Actor
from huiyuan.core.models import AuditEvent

# Every audited action with its label, so the audit page can name it and filter by it.
ACTION_LABELS = {
    "store.create": pgettext_lazy("audit action", "新建门店"),
    "store.update": pgettext_lazy("audit action", "修改门店"),
    "operator.create": pgettext_lazy("audit action", "新建操作员"),
    "operator.update": pgettext_lazy("audit action", "修改操作员"),
    "operator.reset_password": pgettext_lazy("audit action", "重置密码"),
    "operator.change_password": pgettext_lazy("audit action", "修改密码"),
    "role.create": pgettext_lazy("audit action", "新建角色"),
    "role.update": pgettext_lazy("audit action", "修改角色"),
    "role.delete": pgettext_lazy("audit action", "删除角色"),
    "api_key.create": pgettext_lazy("audit action", "新建 API 密钥"),
    "api_key.revoke": pgettext_lazy("audit action", "停用 API 密钥"),
    "member.register": pgettext_lazy("audit action", "会员登记"),
    "member.update": pgettext_lazy("audit action", "修改会员资料"),
    "member.cancel": pgettext_lazy("audit action", "注销会员"),
    "member.import": pgettext_lazy("audit action", "批量导入会员"),
    "member.merge": pgettext_lazy("audit action", "合并重复会员"),
    "card.issue": pgettext_lazy("audit action", "发卡"),
    "card.report_loss": pgettext_lazy("audit action", "挂失"),
    "card.unlock": pgettext_lazy("audit action", "解挂"),
    "card.replace": pgettext_lazy("audit action", "补卡"),
    "card.renew": pgettext_lazy("audit action", "换卡"),
    "card.freeze": pgettext_lazy("audit action", "冻结"),
    "card.unfreeze": pgettext_lazy("audit action", "解冻"),
    "card.cancel": pgettext_lazy("audit action", "注销卡"),
    "member_tag.create": pgettext_lazy("audit action", "新建会员标签"),
    "member_tag.update": pgettext_lazy("audit action", "修改会员标签"),
    "member_tag.delete": pgettext_lazy("audit action", "删除会员标签"),
    "card_type.create": pgettext_lazy("audit action", "新建卡类型"),
    "card_type.update": pgettext_lazy("audit action", "修改卡类型"),
    "tier.create": pgettext_lazy("audit action", "新建会员等级"),
    "tier.update": pgettext_lazy("audit action", "修改会员等级"),
    "tier_program.update": pgettext_lazy("audit action", "修改等级规则"),
    "tier.review": pgettext_lazy("audit action", "会员等级评定"),
    "tier.override": pgettext_lazy("audit action", "手动指定会员等级"),
    "tier.override_end": pgettext_lazy("audit action", "结束手动指定等级"),
    "wallet.top_up": pgettext_lazy("audit action", "储值充值"),
    "wallet.refund_top_up": pgettext_lazy("audit action", "充值退款"),
    "wallet.spend": pgettext_lazy("audit action", "储值消费"),
    "wallet.restore": pgettext_lazy("audit action", "储值退回"),
    "wallet.set_payment_password": pgettext_lazy("audit action", "设置支付密码"),
    "wallet.sell_count_card": pgettext_lazy("audit action", "售计次卡"),
    "wallet.use_count_card": pgettext_lazy("audit action", "核销计次卡"),
    "wallet.bonus_rule": pgettext_lazy("audit action", "保存充值赠送规则"),
    "wallet.package": pgettext_lazy("audit action", "保存计次套餐"),
    "wallet.settings": pgettext_lazy("audit action", "修改储值设置"),
    "wallet.transfer": pgettext_lazy("audit action", "合并转移储值与计次卡"),
    "points.adjust": pgettext_lazy("audit action", "调整积分"),
    "points.redeem": pgettext_lazy("audit action", "积分兑换"),
    "points_program.update": pgettext_lazy("audit action", "修改积分设置"),
    "earn_rule.create": pgettext_lazy("audit action", "新建积分规则"),
    "earn_rule.update": pgettext_lazy("audit action", "修改积分规则"),
    "points_day.create": pgettext_lazy("audit action", "新建多倍积分日"),
    "points_day.update": pgettext_lazy("audit action", "修改多倍积分日"),
    "stock_document.create": pgettext_lazy("audit action", "新建库存单据"),
    "stock_document.update": pgettext_lazy("audit action", "修改库存单据"),
    "stock_document.confirm": pgettext_lazy("audit action", "确认库存单据"),
    "stock_document.cancel": pgettext_lazy("audit action", "作废库存单据"),
    "transfer.ship": pgettext_lazy("audit action", "调拨发货"),
    "transfer.receive": pgettext_lazy("audit action", "调拨收货"),
    "stock_level.set_minimum": pgettext_lazy("audit action", "设置库存下限"),
    "location.create": pgettext_lazy("audit action", "开设后仓"),
    "category.create": pgettext_lazy("audit action", "新建商品类别"),
    "category.update": pgettext_lazy("audit action", "修改商品类别"),
    "category.move": pgettext_lazy("audit action", "移动商品类别"),
    "attribute.create": pgettext_lazy("audit action", "新建扩展属性"),
    "attribute.update": pgettext_lazy("audit action", "修改扩展属性"),
    "attribute.delete": pgettext_lazy("audit action", "删除扩展属性"),
    "product.create": pgettext_lazy("audit action", "新建商品"),
    "product.update": pgettext_lazy("audit action", "修改商品"),
    "product.import": pgettext_lazy("audit action", "批量导入商品"),
    "product.barcode_add": pgettext_lazy("audit action", "添加商品条码"),
    "product.barcode_remove": pgettext_lazy("audit action", "删除商品条码"),
    "supplier.create": pgettext_lazy("audit action", "新建供应商"),
    "supplier.update": pgettext_lazy("audit action", "修改供应商"),
    "promotion.create": pgettext_lazy("audit action", "新建促销活动"),
    "promotion.update": pgettext_lazy("audit action", "修改促销活动"),
    "promotion.start": pgettext_lazy("audit action", "启用促销活动"),
    "promotion.stop": pgettext_lazy("audit action", "停止促销活动"),
    "member_day.create": pgettext_lazy("audit action", "新建会员日"),
    "member_day.update": pgettext_lazy("audit action", "修改会员日"),
    "coupon.issue": pgettext_lazy("audit action", "手工发券"),
    "coupon.revoke": pgettext_lazy("audit action", "作废优惠券"),
    "coupon.bulk_issue": pgettext_lazy("audit action", "批量发券"),
    "coupon_template.create": pgettext_lazy("audit action", "新建优惠券模板"),
    "coupon_template.update": pgettext_lazy("audit action", "修改优惠券模板"),
    "coupon_trigger.save": pgettext_lazy("audit action", "保存发券规则"),
    "rebate.update": pgettext_lazy("audit action", "修改积分返利设置"),
    "rebate.run": pgettext_lazy("audit action", "执行积分返利"),
    "gift.create": pgettext_lazy("audit action", "新建礼品"),
    "gift.update": pgettext_lazy("audit action", "修改礼品"),
    "gift.redeem": pgettext_lazy("audit action", "积分兑换礼品"),
    "order.create": pgettext_lazy("audit action", "收银销售"),
    "sales_return.create": pgettext_lazy("audit action", "退货"),
    "return_settings.update": pgettext_lazy("audit action", "修改退货设置"),
    "shift.open": pgettext_lazy("audit action", "开班"),
    "shift.close": pgettext_lazy("audit action", "交班"),
}


def record(
    actor: Actor,
    action: str,
    target: models.Model | None = None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    store=None,
) -> AuditEvent:
    """Write one audit event. Must run inside the action's transaction, so both land or neither.

    `store` is the store the target belongs to (it decides which store managers see the event);
    it is never guessed from the store the actor happens to have selected.
    """
    if action not in ACTION_LABELS:
        raise ValueError(f"unknown audit action {action!r}: add it to ACTION_LABELS")
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must be called inside the action's transaction")
    return AuditEvent.objects.create(
        operator=actor.operator,
        api_key=actor.api_key,
        store=store,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        before=before,
        after=after,
        ip=actor.ip,
    )


def snapshot(instance: models.Model, fields: list[str]) -> dict:
    """A JSON-friendly picture of the given fields, for before/after (many-to-many as id lists)."""
    data = model_to_dict(instance, fields=fields)
    many = {field.name for field in instance._meta.many_to_many}
    return {
        name: sorted(item.pk for item in value) if name in many else value
        for name, value in data.items()
    }


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields that changed, so the audit page shows what an edit really did."""
    changed = [name for name in after if before.get(name) != after[name]]
    return {name: before.get(name) for name in changed}, {name: after[name] for name in changed}
