"""The plan of a return: what each line refunds, on which tenders, the points clawed back and
the coupons revoked or restored. `plan_return` is the preview the page, the API and the return
itself share; the rules are in returns.py's docstring."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from huiyuan.core.errors import DomainError
from huiyuan.core.money import allocate, format_fen
from huiyuan.coupons.models import Coupon, CouponState
from huiyuan.members.selectors import kept_member
from huiyuan.points.models import PointsAccount, PointsProgram
from huiyuan.sales.models import (
    Order,
    OrderCoupon,
    OrderLine,
    Refund,
    ReturnLine,
    ReturnSettings,
    Tender,
)
from huiyuan.sales.tenders import EXTERNAL

# The order the tenders are refunded in (see the module's docstring).
REFUND_ORDER = (
    Tender.POINTS,
    Tender.STORED_VALUE,
    Tender.BANK_CARD,
    Tender.WECHAT,
    Tender.ALIPAY,
    Tender.CASH,
)
REFUND_METHODS = ("original", "cash")
MILLI = Decimal("0.001")


@dataclass(frozen=True)
class LinePlan:
    line: OrderLine
    qty: Decimal
    refund_fen: int
    points: int  # earned on it, to claw back


@dataclass
class RefundPlan:
    tender: str  # the order's tender this reverses
    method: str  # how it is paid back
    amount_fen: int
    principal_fen: int = 0
    bonus_fen: int = 0
    points: int = 0

    @property
    def tender_label(self) -> str:
        return Tender(self.tender).label

    @property
    def method_label(self) -> str:
        return Tender(self.method).label


@dataclass(frozen=True)
class CouponPlan:
    coupon: Coupon
    action: str  # "restore", "revoke", "deduct", "keep"
    deducted_fen: int = 0


@dataclass
class ReturnPlan:
    order: Order
    lines: list[LinePlan]
    refunds: list[RefundPlan]
    coupons: list[CouponPlan] = field(default_factory=list)
    points_clawback: int = 0  # asked for: what the returned lines earned
    points_taken: int = 0  # taken from the balance
    points_debt: int = 0
    points_shortfall_fen: int = 0  # the value of spent points deducted from money refunds
    coupon_deduction_fen: int = 0
    fully_returned: bool = False

    @property
    def lines_fen(self) -> int:
        """What the returned lines were paid (before any deduction)."""
        return sum(line.refund_fen for line in self.lines)

    @property
    def refund_fen(self) -> int:
        return sum(refund.amount_fen for refund in self.refunds)

    @property
    def money_fen(self) -> int:
        return sum(r.amount_fen for r in self.refunds if r.method in (Tender.CASH, *EXTERNAL))


def plan_return(
    order: Order,
    lines,
    *,
    refund_method: str = "original",
    points_balance: int | None = None,
) -> ReturnPlan:
    """What returning `lines` ([(order line or its id, qty)]) of `order` would do, without writing.
    `points_balance`: the member's balance to claw back from (default: the account's, read)."""
    if refund_method not in REFUND_METHODS:
        raise DomainError("VALIDATION_ERROR", fields={"refund_method": _("不支持的退款方式")})
    returned = _returned_qty(order)
    order_lines = list(order.lines.select_related("product"))
    chosen = _checked_lines(order_lines, lines, returned)
    line_plans = [_line_plan(line, qty, returned[line.pk]) for line, qty in chosen]
    plan = ReturnPlan(
        order=order,
        lines=line_plans,
        refunds=_refunds(order, sum(p.refund_fen for p in line_plans), refund_method),
    )
    picked = {line.pk: qty for line, qty in chosen}
    plan.fully_returned = all(
        returned[line.pk] + picked.get(line.pk, 0) == line.qty for line in order_lines
    )
    settings = ReturnSettings.current()
    if order.member_id:
        _plan_points(plan, settings, points_balance)
    _plan_coupons(plan, settings)
    return plan


def _checked_lines(order_lines, lines, returned) -> list[tuple[OrderLine, Decimal]]:
    """The lines asked for (a line named twice adds up), each checked against what is left of it;
    errors name the input as `lines.<index>.line_id` / `lines.<index>.qty`."""
    if not lines:
        raise DomainError("VALIDATION_ERROR", fields={"lines": _("请选择要退货的商品")})
    by_id = {line.pk: line for line in order_lines}
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    first_index: dict[int, int] = {}
    for index, (line, qty) in enumerate(lines):
        line_id = line.pk if isinstance(line, OrderLine) else line
        key = f"lines.{index}.qty"
        if line_id not in by_id:
            message = _("该商品不在这张销售单上")
            raise DomainError("VALIDATION_ERROR", fields={f"lines.{index}.line_id": message})
        try:
            qty = Decimal(str(qty))
            exact = qty.is_finite() and qty > 0 and qty == qty.quantize(MILLI)
        except ArithmeticError:
            exact = False
        if not exact:
            message = _("数量必须大于 0，最多三位小数")
            raise DomainError("VALIDATION_ERROR", fields={key: message})
        if not by_id[line_id].product.is_weighed and qty != qty.to_integral_value():
            raise DomainError("VALIDATION_ERROR", fields={key: _("按件销售的商品须整件退货")})
        wanted[line_id] += qty
        first_index.setdefault(line_id, index)
    for line_id, qty in wanted.items():
        line = by_id[line_id]
        left = line.qty - returned[line_id]
        if qty > left:
            message = _("%(name)s 最多还能退 %(qty)s") % {
                "name": line.product_name,
                "qty": qty_text(left),
            }
            field = f"lines.{first_index[line_id]}.qty"
            raise DomainError("RETURN_EXCEEDS_SOLD", message, fields={field: message})
    return [(by_id[line_id], qty) for line_id, qty in wanted.items()]


def qty_text(qty: Decimal) -> str:
    return f"{qty.normalize():f}"


def _returned_qty(order: Order) -> dict[int, Decimal]:
    rows = (
        ReturnLine.objects.filter(order_line__order=order)
        .values("order_line")
        .annotate(total=Sum("qty"))
        .order_by()
    )
    found = defaultdict(Decimal)
    found.update({row["order_line"]: row["total"] for row in rows})
    return found


def _part(total: int, before: int, now: int, whole: int) -> int:
    """`now`'s share of `total` after `before` of `whole` already took theirs (cumulative
    flooring: all the parts of `whole` take exactly `total`)."""
    return allocate(total, [before, now, whole - before - now])[1]


def _milli(qty: Decimal) -> int:
    return int(qty / MILLI)


def _line_plan(line: OrderLine, qty: Decimal, before: Decimal) -> LinePlan:
    parts = (_milli(before), _milli(qty), _milli(line.qty))
    return LinePlan(
        line=line,
        qty=qty,
        refund_fen=_part(line.total_fen, *parts),
        points=_part(line.points_earned, *parts),
    )


def _refunds(order: Order, amount_fen: int, refund_method: str) -> list[RefundPlan]:
    """`amount_fen` spread over the order's tenders in REFUND_ORDER, each up to what it paid
    net of earlier refunds."""
    payments = list(order.payments.all())
    paid = defaultdict(int)
    for payment in payments:
        paid[payment.method] += payment.amount_fen
    paid[Tender.CASH] -= order.change_fen
    earlier = dict(
        Refund.objects.filter(sales_return__order=order)
        .values_list("tender")
        .annotate(total=Sum("amount_fen"))
        .order_by()
    )
    plans, left = [], amount_fen
    for tender in REFUND_ORDER:
        before = earlier.get(tender, 0)
        amount = min(left, paid[tender] - before)
        if amount <= 0:
            continue
        left -= amount
        method = Tender.CASH if refund_method == "cash" and tender in EXTERNAL else tender
        plan = RefundPlan(tender=tender, method=method, amount_fen=amount)
        own = [p for p in payments if p.method == tender]
        if tender == Tender.POINTS:
            plan.points = _part(sum(p.points for p in own), before, amount, paid[tender])
        elif tender == Tender.STORED_VALUE:
            bonus = _part(sum(p.bonus_fen for p in own), before, amount, paid[tender])
            plan.principal_fen, plan.bonus_fen = amount - bonus, bonus
        plans.append(plan)
    return plans


def _plan_points(plan: ReturnPlan, settings: ReturnSettings, balance: int | None) -> None:
    plan.points_clawback = sum(line.points for line in plan.lines)
    if not plan.points_clawback:
        return
    if balance is None:
        balance = (
            PointsAccount.objects.filter(member=kept_member(plan.order.member))
            .values_list("balance", flat=True)
            .first()
        ) or 0
    refunded = sum(r.points for r in plan.refunds)  # credited before the clawback
    plan.points_taken = min(plan.points_clawback, balance + refunded)
    shortfall = plan.points_clawback - plan.points_taken
    if shortfall and settings.points_shortfall == ReturnSettings.Shortfall.DEDUCT:
        per_yuan = PointsProgram.current().pay_points_per_yuan
        covered = min(shortfall, plan.money_fen * per_yuan // 100)
        plan.points_shortfall_fen = _deduct(plan, covered * 100 // per_yuan)
        shortfall -= covered
    plan.points_debt = shortfall


def _deduct(plan: ReturnPlan, amount_fen: int) -> int:
    """Take up to `amount_fen` off the money refunds, cash first; returns what was taken."""
    taken = 0
    for method in (Tender.CASH, *reversed(EXTERNAL)):
        for refund in plan.refunds:
            if refund.method == method and taken < amount_fen:
                cut = min(refund.amount_fen, amount_fen - taken)
                refund.amount_fen -= cut
                taken += cut
    plan.refunds = [refund for refund in plan.refunds if refund.amount_fen > 0]
    return taken


def _plan_coupons(plan: ReturnPlan, settings: ReturnSettings) -> None:
    rows = OrderCoupon.objects.filter(order=plan.order).select_related("coupon")
    first_return = not plan.order.returns.exists()
    for row in rows:
        coupon = row.coupon
        if row.role == OrderCoupon.Role.USED:
            if plan.fully_returned and coupon.state == CouponState.USED:
                plan.coupons.append(CouponPlan(coupon, "restore"))
        elif first_return and coupon.state == CouponState.ISSUED:
            plan.coupons.append(CouponPlan(coupon, "revoke"))
        elif first_return and coupon.state == CouponState.USED:
            if settings.used_issued_coupon == ReturnSettings.UsedCoupon.DEDUCT:
                cut = _deduct(plan, coupon.face_fen)
                plan.coupon_deduction_fen += cut
                plan.coupons.append(CouponPlan(coupon, "deduct", cut))
            else:
                plan.coupons.append(CouponPlan(coupon, "keep"))


def describe(plan: ReturnPlan) -> list[str]:
    """The plan in sentences for the cashier (the page's confirm step and the slip)."""
    said = [
        _("退回商品金额 %(amount)s") % {"amount": format_fen(plan.lines_fen)},
    ]
    if plan.points_taken:
        said.append(_("扣回积分 %(points)d") % {"points": plan.points_taken})
    if plan.points_debt:
        said.append(
            _("会员已用掉 %(points)d 积分，记为积分欠账，以后获得的积分先抵扣")
            % {"points": plan.points_debt}
        )
    if plan.points_shortfall_fen:
        said.append(
            _("会员已用掉的积分折合 %(amount)s，从退款中扣除")
            % {"amount": format_fen(plan.points_shortfall_fen)}
        )
    labels = {
        "restore": _("优惠券 %(code)s 退回会员"),
        "revoke": _("本单所送优惠券 %(code)s 作废"),
        "deduct": _("本单所送优惠券 %(code)s 已使用，从退款中扣除 %(amount)s"),
        "keep": _("本单所送优惠券 %(code)s 已使用，不扣除"),
    }
    for item in plan.coupons:
        said.append(
            labels[item.action]
            % {"code": item.coupon.code, "amount": format_fen(item.deducted_fen)}
        )
    return said
