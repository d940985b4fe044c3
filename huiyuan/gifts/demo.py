"""Demo gift catalogue, after the stores, tiers, points and inventory demos: five product gifts
(their own 积分礼品 category, stocked in every store by one confirmed purchase receipt each), a
coupon gift (积分兑换10元代金券), tier prices for the upper tiers, limits, and a few redemptions by
demo members who have the points — written through `redeem_gifts`, so the points ledger, the
stock moves and the coupons add up (verify_ledgers).

`load()` is idempotent: it writes only while no gift of the demo exists.
"""

from decimal import Decimal

from django.db import transaction

from huiyuan.catalog import categories
from huiyuan.catalog import services as catalog_services
from huiyuan.catalog.models import Category, Product, Supplier
from huiyuan.core.actors import Actor
from huiyuan.core.models import Store
from huiyuan.coupons.models import CouponKind, CouponTemplate, Validity
from huiyuan.gifts.models import Gift, GiftKind, LimitPeriod
from huiyuan.gifts.services import Wanted, redeem_gifts, save_gift
from huiyuan.inventory.documents import Line, confirm_document, create_document
from huiyuan.inventory.models import PurchaseReceipt
from huiyuan.inventory.services import location_for
from huiyuan.members.models import Member
from huiyuan.tiers.models import Tier

STOCK_NOTE = "演示礼品库存"
CATEGORY_CODE = "90"
VOUCHER = "积分兑换10元代金券"
# code, name, spec, cost (fen), points, {tier name: points}, per-member limit and period
PRODUCT_GIFTS = (
    ("GF0001", "环保购物袋", "大号", 300, 300, {}, None),
    ("GF0002", "抽纸", "3包装", 900, 800, {"金卡": 700, "钻石": 600}, (2, LimitPeriod.MONTH)),
    ("GF0003", "不锈钢保温杯", "500ml", 2500, 2000, {"钻石": 1800}, (1, LimitPeriod.YEAR)),
    ("GF0004", "金龙鱼食用油", "1.8L", 2200, 2500, {"金卡": 2300, "钻石": 2000}, None),
    ("GF0005", "不粘炒锅", "28cm", 6800, 6000, {"钻石": 5500}, (1, LimitPeriod.EVER)),
)
STOCK_PER_STORE = 30
REDEEMING_MEMBERS = 8


@transaction.atomic
def load() -> int:
    """Returns the number of demo redemptions written (0 when already loaded)."""
    if Gift.objects.filter(name=PRODUCT_GIFTS[0][1]).exists():
        return 0
    stores = list(Store.objects.filter(is_active=True).order_by("code"))
    if not stores:
        return 0
    actor = Actor.system()
    products = [_product(actor, row) for row in PRODUCT_GIFTS]
    _stock(actor, stores, products)
    tiers = {tier.name: tier for tier in Tier.objects.all()}
    for (_code, name, _spec, _cost, points, by_tier, limit), product in zip(
        PRODUCT_GIFTS, products, strict=True
    ):
        per_member, period = limit or (None, LimitPeriod.EVER)
        save_gift(
            actor=actor,
            name=name,
            kind=GiftKind.PRODUCT,
            product=product,
            points=points,
            per_member_limit=per_member,
            limit_period=period,
            sort_order=points,
            tier_points={tiers[t]: p for t, p in by_tier.items() if t in tiers},
        )
    voucher = save_gift(
        actor=actor,
        name="10元代金券",
        kind=GiftKind.COUPON,
        coupon_template=_voucher_template(),
        points=1000,
        per_member_limit=3,
        limit_period=LimitPeriod.MONTH,
        description="兑换后30天内有效，满50元可用",
        sort_order=1000,
    )
    return _redemptions(actor, stores, voucher)


def _product(actor, row) -> Product:
    code, name, spec, cost, *_rest = row
    existing = Product.objects.filter(code=code).first()
    if existing is not None:
        return existing
    category = Category.objects.filter(code=CATEGORY_CODE).first() or categories.create_category(
        actor=actor, name="积分礼品", code=CATEGORY_CODE
    )
    return catalog_services.create_product(
        actor=actor,
        code=code,
        name=name,
        category=category,
        spec=spec,
        retail_price_fen=cost * 2,
        cost_price_fen=cost,
        earns_points=False,
    )


def _stock(actor, stores, products) -> None:
    supplier = Supplier.objects.filter(is_active=True).first() or Supplier.objects.create(
        name="演示供应商"
    )
    for store in stores:
        receipt = create_document(
            PurchaseReceipt,
            actor=actor,
            location=location_for(store),
            supplier=supplier,
            lines=[Line(p, Decimal(STOCK_PER_STORE), p.cost_price_fen) for p in products],
            note=STOCK_NOTE,
        )
        confirm_document(receipt, actor=actor)


def _voucher_template() -> CouponTemplate:
    return CouponTemplate.objects.get_or_create(
        name=VOUCHER,
        defaults={
            "kind": CouponKind.CASH,
            "face_fen": 1000,
            "min_spend_fen": 5000,
            "validity": Validity.DAYS,
            "valid_days": 30,
            "note": "积分商城兑换",
        },
    )[0]


def _redemptions(actor, stores, voucher: Gift) -> int:
    """A few demo members with enough points redeem a gift or two at their own store."""
    members = (
        Member.objects.filter(status=Member.Status.ACTIVE, points_account__balance__gte=3000)
        .select_related("store")
        .order_by("member_no")[:REDEEMING_MEMBERS]
    )
    gifts = list(Gift.objects.filter(kind=GiftKind.PRODUCT).order_by("points"))
    written = 0
    for number, member in enumerate(members):
        lines = [Wanted(gifts[number % 3].pk, 1)]
        if number % 2 == 0:
            lines.append(Wanted(voucher.pk, 1))
        store = member.store if member.store in stores else stores[0]
        redeem_gifts(
            actor=Actor(store=store),
            member=member,
            lines=lines,
            store=store,
            request_ref=f"demo-{number}",
        )
        written += 1
    return written
