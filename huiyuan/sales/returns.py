"""退货: `return_lines` takes lines of one order back and refunds them; `plan_return`
(return_plans.py) is the plan the cashier confirms (the page and the API preview it with the
same function the return runs).

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
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.core import audit, sequences
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.coupons import services as coupon_services
from huiyuan.inventory.models import MoveKind
from huiyuan.inventory.services import location_for, post_move
from huiyuan.members.selectors import kept_member
from huiyuan.points import services as points_services
from huiyuan.sales import shifts
from huiyuan.sales.models import (
    Order,
    OrderLine,
    Refund,
    ReturnLine,
    ReturnSettings,
    SalesReturn,
    Tender,
)
from huiyuan.sales.return_plans import ReturnPlan, plan_return, qty_text
from huiyuan.staff.scope import sees_all_stores
from huiyuan.wallet.services import restore_stored_value

REF_TYPE = "return"
MAX_KEY = 64

SETTINGS_FIELDS = ["points_shortfall", "used_issued_coupon"]


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
        "lines": {str(line.line.line_no): qty_text(line.qty) for line in plan.lines},
        "refund_fen": plan.refund_fen,
        "refunds": {r.tender: r.amount_fen for r in plan.refunds},
        "points_clawed_back": plan.points_taken,
        "points_debt": plan.points_debt,
        "deducted_fen": plan.points_shortfall_fen + plan.coupon_deduction_fen,
        "coupons": {item.coupon.code: item.action for item in plan.coupons},
        "with_receipt": sales_return.with_receipt,
    }
