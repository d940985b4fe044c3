"""退货: `return_lines` takes lines of one order back and refunds them; `plan_return` is the plan
the cashier confirms (the page and the API preview it with the same function the return runs).

Rules:
- **What a line refunds.** A line's total already carries its share of every order-level
  discount, and the lines' totals add up to the order's payable amount, so a line refunds its
  total; part of a line refunds pro rata, cumulatively over the line's returns
  (`core.money.allocate` over [returned before, returned now, kept]): returning a line in any
  number of parts refunds exactly its total, never a fen more. Points earned on the line
  (`OrderLine.points_earned`) are clawed back the same way.
- **Which tenders refund it, in this order:** points paid (back as points, in the points they
  were worth), stored value (back to principal and bonus in the proportions the order paid),
  bank card / WeChat / Alipay, cash last; each tender never more than it paid net of earlier
  returns (cash net of the change given). Points first keeps the kept part of the order within
  the program's points-payment share; the member's own accounts before money, so the least money
  leaves the drawer and the external tenders (refunded by hand or a future gateway) are rarely
  touched by a small return. `refund_method="cash"` pays the external tenders' part in cash
  (the till's choice when the card or phone isn't there); points and stored value always go back
  where they came from (stored value's bonus is never cash).
- **Points the member already spent.** Points paid back in this return come first, then the
  clawback takes the order's own lots, then any. What the balance can't cover is the shortfall:
  `ReturnSettings.points_shortfall` either records it as points debt on the account (settled first
  by later earnings, the balance never negative: points.services.owe_points / credit) or deducts
  its value at the points-payment rate (rounded down) from the money refunds, cash first; what
  the money refunds can't cover becomes debt.
- **Coupons the sale issued** (满额送券 and the like) were earned by the whole purchase: the
  order's first return takes them back. Unused ones are revoked; used ones, by
  `ReturnSettings.used_issued_coupon`, have their face value deducted from the money refunds
  (cash first, never below zero; what is left over is waived) or are let go.
- **Coupons the sale used** are given back (coupons.services.restore: unused again while in date)
  when the return leaves nothing of the order kept. While any line is kept the coupon stays used:
  its discount sits in the lines' totals, so the kept lines keep their share of it and the
  returned lines refund only what was paid for them.
- **Tier progress** counts points earned net of clawbacks (tiers), so the clawback reduces it;
  debt reduces it when later earnings settle it (a clawback row).
- Stock goes back to the store's shop floor (`post_move`, kind customer_return).
- The return belongs to the cashier's open shift at the store (sales.shifts: its cash refunds
  come out of that drawer), held open until the return commits.
- A return without the receipt (found by a search) needs the permission
  `sales.return_without_receipt`, the cashier's own or an approving manager's who works at
  the store.
- Returning more than was sold, over all the line's returns, is RETURN_EXCEEDS_SOLD; pieces
  return in whole numbers, weighed goods to the gram.
- An order of a member since merged into another is returned on the kept member's accounts
  (where the merge moved the points and stored value).
- One transaction; the order row is locked first (returns of one order queue), then the ledgers
  in core/ledgers.py's order (points, stored value), then stock by product id. A repeated
  `request_key` for the same order returns the first return (the same lines), else
  IDEMPOTENCY_KEY_REUSED.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.core import audit, sequences
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.money import allocate, format_fen
from huiyuan.coupons import services as coupon_services
from huiyuan.coupons.models import Coupon, CouponState
from huiyuan.inventory.models import MoveKind
from huiyuan.inventory.services import location_for, post_move
from huiyuan.members.selectors import kept_member
from huiyuan.points import services as points_services
from huiyuan.points.models import PointsAccount, PointsProgram
from huiyuan.sales import shifts
from huiyuan.sales.models import (
    Order,
    OrderCoupon,
    OrderLine,
    Refund,
    ReturnLine,
    ReturnSettings,
    SalesReturn,
    Tender,
)
from huiyuan.staff.scope import sees_all_stores
from huiyuan.wallet.services import restore_stored_value

REF_TYPE = "return"
# The order the tenders are refunded in (see the module's docstring).
REFUND_ORDER = (
    Tender.POINTS,
    Tender.STORED_VALUE,
    Tender.BANK_CARD,
    Tender.WECHAT,
    Tender.ALIPAY,
    Tender.CASH,
)
EXTERNAL = (Tender.BANK_CARD, Tender.WECHAT, Tender.ALIPAY)
REFUND_METHODS = ("original", "cash")
MAX_KEY = 64
MILLI = Decimal("0.001")

SETTINGS_FIELDS = ["points_shortfall", "used_issued_coupon"]


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
                "qty": _qty_text(left),
            }
            field = f"lines.{first_index[line_id]}.qty"
            raise DomainError("RETURN_EXCEEDS_SOLD", message, fields={field: message})
    return [(by_id[line_id], qty) for line_id, qty in wanted.items()]


def _qty_text(qty: Decimal) -> str:
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


@transaction.atomic
def save_settings(*, actor: Actor, points_shortfall: str, used_issued_coupon: str):
    """The two choices of ReturnSettings, audited with before and after."""
    settings = ReturnSettings.objects.select_for_update().get(pk=ReturnSettings.current().pk)
    before = audit.snapshot(settings, SETTINGS_FIELDS)
    settings.points_shortfall, settings.used_issued_coupon = points_shortfall, used_issued_coupon
    try:
        settings.full_clean()
    except ValidationError as error:
        raise DomainError.from_validation(error) from error
    settings.save()
    before, after = audit.changes(before, audit.snapshot(settings, SETTINGS_FIELDS))
    if after:
        audit.record(actor, "return_settings.update", settings, before=before, after=after)
    return settings


def can_return_without_receipt(user, store=None) -> bool:
    """`user` may make (or approve) a return without the receipt: at `store` when given, which
    must be one of theirs (a manager of another store approves nothing here)."""
    if not (user and user.has_perm("sales.return_without_receipt")):
        return False
    return store is None or sees_all_stores(user) or user.stores.filter(pk=store.pk).exists()


def return_lines(
    *,
    actor: Actor,
    order: Order,
    lines,
    store=None,
    with_receipt: bool = True,
    approved_by=None,
    reason: str = "",
    refund_method: str = "original",
    request_key: str = "",
    shift=None,
) -> SalesReturn:
    """Return `lines` ([(order line or its id, qty)]) of `order` (see the module's docstring)."""
    request_key = (request_key or "").strip()
    if len(request_key) > MAX_KEY:
        raise DomainError("IDEMPOTENCY_KEY_INVALID", field="request_key")
    store = store or actor.store or order.store
    if not with_receipt and not (
        can_return_without_receipt(actor.operator, store)
        or can_return_without_receipt(approved_by, store)
    ):
        message = _("无小票退货需要店长授权")
        raise DomainError("PERMISSION_DENIED", message, fields={"approved_by": message})
    try:
        with transaction.atomic():
            return _return(
                actor=actor,
                order=order,
                lines=lines,
                store=store,
                with_receipt=with_receipt,
                approved_by=approved_by if not with_receipt else None,
                reason=(reason or "").strip()[:200],
                refund_method=refund_method,
                request_key=request_key or None,
                shift=shift,
            )
    except IntegrityError:
        if request_key and (earlier := _earlier(order, request_key)):
            return _replayed(earlier, lines)
        raise


def _earlier(order, request_key):
    return SalesReturn.objects.filter(order=order, request_key=request_key).first()


def _replayed(earlier: SalesReturn, lines) -> SalesReturn:
    asked = defaultdict(Decimal)
    for line, qty in lines:
        asked[line.pk if isinstance(line, OrderLine) else line] += Decimal(str(qty))
    done = {row.order_line_id: row.qty for row in earlier.lines.all()}
    if done != dict(asked):
        raise DomainError("IDEMPOTENCY_KEY_REUSED", field="request_key")
    return earlier


def _return(
    *, actor, order, lines, store, request_key, refund_method, shift, **fields
) -> SalesReturn:
    order = Order.objects.select_for_update().get(pk=order.pk)
    if request_key and (earlier := _earlier(order, request_key)):
        return _replayed(earlier, lines)
    member = kept_member(order.member) if order.member else None
    balance = None
    if member is not None and order.points_earned:
        account = points_services.locked_account(member)
        points_services.expire_account(account, timezone.localdate())
        balance = account.balance
    plan = plan_return(order, lines, refund_method=refund_method, points_balance=balance)
    shift = shifts.hold_open(shift or shifts.current_shift(actor.operator, store))
    sales_return = SalesReturn.objects.create(
        return_no=return_number(store),
        order=order,
        store=store,
        cashier=actor.operator,
        request_key=request_key,
        refund_fen=plan.refund_fen,
        points_clawed_back=plan.points_taken,
        points_debt=plan.points_debt,
        points_shortfall_fen=plan.points_shortfall_fen,
        shift=shift,
        **fields,
    )
    ReturnLine.objects.bulk_create(
        ReturnLine(
            sales_return=sales_return,
            order_line=line.line,
            qty=line.qty,
            refund_fen=line.refund_fen,
            points_clawed_back=line.points,
        )
        for line in plan.lines
    )
    Refund.objects.bulk_create(
        Refund(
            sales_return=sales_return,
            tender=refund.tender,
            method=refund.method,
            amount_fen=refund.amount_fen,
            principal_fen=refund.principal_fen,
            bonus_fen=refund.bonus_fen,
            points=refund.points,
        )
        for refund in plan.refunds
    )
    if member is not None:
        _move_accounts(actor, member, plan, sales_return)
    _move_coupons(actor, plan, sales_return)
    _move_stock(actor, store, plan, sales_return)
    order.status = Order.Status.RETURNED if plan.fully_returned else Order.Status.PARTLY_RETURNED
    order.save(update_fields=["status"])
    audit.record(
        actor,
        "sales_return.create",
        sales_return,
        after=_summary(plan, sales_return),
        store=store,
    )
    return sales_return


def return_number(store) -> str:
    """R + the store code + the day + a daily sequence: RSH01202611240001."""
    stamp = timezone.localdate().strftime("%Y%m%d")
    [number] = sequences.take(f"return:{store.code}:{stamp}")
    return f"R{store.code}{stamp}{number:04d}"


def _move_accounts(actor, member, plan: ReturnPlan, sales_return: SalesReturn) -> None:
    """Points (paid back, then clawed back, then debt), then stored value: the lock order."""
    refs = {"ref_type": REF_TYPE, "ref_no": plan.order.order_no}
    by_tender = {refund.tender: refund for refund in plan.refunds}
    if (points := by_tender.get(Tender.POINTS)) and points.points:
        points_services.refund_points(actor=actor, member=member, points=points.points, **refs)
    if plan.points_taken:
        points_services.clawback_points(
            actor=actor,
            member=member,
            points=plan.points_taken,
            **refs,
            reason=_("退货 %(no)s 扣回积分") % {"no": sales_return.return_no},
        )
    if plan.points_debt:
        points_services.owe_points(member=member, points=plan.points_debt)
    if stored := by_tender.get(Tender.STORED_VALUE):
        restore_stored_value(
            actor=actor,
            member=member,
            principal_fen=stored.principal_fen,
            bonus_fen=stored.bonus_fen,
            ref_type=REF_TYPE,
            ref_no=sales_return.return_no,
            reason=_("退货 %(no)s") % {"no": plan.order.order_no},
        )


def _move_coupons(actor, plan: ReturnPlan, sales_return: SalesReturn) -> None:
    for item in plan.coupons:
        if item.action == "restore":
            coupon_services.restore(item.coupon, ref=sales_return.return_no, actor=actor)
        elif item.action == "revoke":
            coupon_services.revoke(
                item.coupon,
                actor=actor,
                reason=_("销售单 %(no)s 退货，收回赠券") % {"no": plan.order.order_no},
            )


def _move_stock(actor, store, plan: ReturnPlan, sales_return: SalesReturn) -> None:
    floor = location_for(store)
    for line in sorted(plan.lines, key=lambda item: (item.line.product_id, item.line.line_no)):
        post_move(
            actor=actor,
            location=floor,
            product=line.line.product,
            kind=MoveKind.CUSTOMER_RETURN,
            qty=line.qty,
            ref_type=REF_TYPE,
            ref_no=sales_return.return_no,
        )


def _summary(plan: ReturnPlan, sales_return: SalesReturn) -> dict:
    return {
        "order_no": plan.order.order_no,
        "lines": {str(line.line.line_no): _qty_text(line.qty) for line in plan.lines},
        "refund_fen": plan.refund_fen,
        "refunds": {r.tender: r.amount_fen for r in plan.refunds},
        "points_clawed_back": plan.points_taken,
        "points_debt": plan.points_debt,
        "deducted_fen": plan.points_shortfall_fen + plan.coupon_deduction_fen,
        "coupons": {item.coupon.code: item.action for item in plan.coupons},
        "with_receipt": sales_return.with_receipt,
    }


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
