"""Demo promotions, after the seeds, on the demo catalogue (run catalog.demo first):

- 周二会员日 (every Tuesday) with ten 会员惊爆价 items and the 满68送5 ladder (68→5, 128→10,
  198→15, 298→20, 398→30; the steps between 128 and the ¥30 top are a guess, NOTES.md), whose
  coupons "会员日代金券N元" are valid on the next 周二会员日 only;
- 加1元换购: spend 19, take a cheap item for ¥1; spend 29, a dearer one;
- 满减 满100减10 / 满200减25, 乳品第二件半价, 满188赠洗洁精;
- 感恩日: every Saturday double points (a promotion multiplier, kind "promotion"; the points
  program's own 周二会员日双倍积分 is a PointsDay, kind "day": the two days never meet).

`load()` is idempotent: the member day, coupon templates and promotions are matched by name.
Everything goes through the services, so the audit log shows it as the system's doing.
"""

from django.utils import timezone

from huiyuan.catalog.models import Category, Product
from huiyuan.core.actors import Actor
from huiyuan.coupons.models import CouponTemplate
from huiyuan.promotions import services
from huiyuan.promotions.engine_values import Draft
from huiyuan.promotions.models import MemberDay, Promotion, PromotionRow

Kind = Promotion.Kind
MEMBER_DAY = "周二会员日"
# Ten 会员惊爆价 items (the first demo product whose name holds each), at about 75% of retail.
SPECIALS = (
    "苏打饼干",
    "夹心饼干",
    "薯片原味",
    "虾条",
    "东北大米",
    "花生油",
    "生抽",
    "香醋",
    "纯牛奶",
    "酸奶",
)
LADDER = ((68, 5), (128, 10), (198, 15), (298, 20), (398, 30))  # 满 yuan → coupon yuan
ADD_PRICE = ((19, ("饮用天然水", "矿泉水")), (29, ("苏打饼干", "香醋")))  # 满 yuan → items for ¥1


def load() -> int:
    """Returns the number of promotions created."""
    actor = Actor.system()
    tuesday, _created = MemberDay.objects.get_or_create(
        name=MEMBER_DAY, defaults={"weekdays": [2], "note": "每周二会员日"}
    )
    created = 0
    for name, build in _promotions(tuesday):
        if Promotion.objects.filter(name=name).exists():
            continue
        draft = build()
        if draft is None:  # its products are not in the catalogue
            continue
        draft.promotion.name = name
        draft.promotion.status = Promotion.Status.ACTIVE
        draft.promotion.starts_on = timezone.localdate().replace(day=1)
        services.save_promotion(actor=actor, draft=draft)
        created += 1
    return created


def _product(name: str) -> Product | None:
    return Product.objects.filter(name__contains=name, status="active").order_by("code").first()


def _products(names) -> list[Product] | None:
    found = [_product(name) for name in names]
    return None if None in found else found


def _promotions(tuesday: MemberDay):
    return [
        ("会员日惊爆价", lambda: _specials(tuesday)),
        ("会员日满68送5", lambda: _ladder(tuesday)),
        ("加1元换购", _add_price),
        ("满100减10，满200减25", _full_reduction),
        ("乳品第二件半价", _second_half_price),
        ("感恩日双倍积分", _thanksgiving),
        ("满188赠洗洁精", _gift),
    ]


def _specials(tuesday):
    products = _products(SPECIALS)
    if products is None:
        return None
    rows = [
        PromotionRow(product=p, amount_fen=p.retail_price_fen * 75 // 1000 * 10) for p in products
    ]
    promotion = Promotion(
        kind=Kind.SPECIAL_PRICE, member_day=tuesday, members_only=True, priority=10,
        note="会员日当天会员专享",
    )  # fmt: skip
    return Draft(promotion, rows=rows)


def _ladder(tuesday):
    rows = []
    for threshold, face in LADDER:
        template, _created = CouponTemplate.objects.get_or_create(
            name=f"会员日代金券{face}元",
            defaults={
                "kind": "cash",
                "face_fen": face * 100,
                "validity": "next_member_day",
                "member_day": tuesday,
                "note": "仅限下一个会员日使用",
            },
        )
        rows.append(
            PromotionRow(
                threshold_fen=threshold * 100, amount_fen=face * 100, coupon_template=template
            )
        )
    promotion = Promotion(kind=Kind.ISSUE_COUPONS, member_day=tuesday, members_only=True)
    return Draft(promotion, rows=rows)


def _add_price():
    rows = []
    for threshold, names in ADD_PRICE:
        products = _products(names)
        if products is None:
            return None
        rows += [
            PromotionRow(threshold_fen=threshold * 100, amount_fen=100, product=p) for p in products
        ]
    return Draft(Promotion(kind=Kind.ADD_PRICE), rows=rows)


def _full_reduction():
    rows = [
        PromotionRow(threshold_fen=10000, amount_fen=1000),
        PromotionRow(threshold_fen=20000, amount_fen=2500),
    ]
    return Draft(Promotion(kind=Kind.FULL_REDUCTION), rows=rows)


def _second_half_price():
    dairy = Category.objects.filter(name="乳品").first()
    if dairy is None:
        return None
    promotion = Promotion(kind=Kind.BUY_N_GET_M, buy=1, get=1, permille=500, priority=5)
    return Draft(promotion, categories=[dairy])


def _thanksgiving():
    promotion = Promotion(
        kind=Kind.POINTS, weekdays=[6], points_permille=2000, members_only=True,
        note="每周六感恩日，会员消费双倍积分",
    )  # fmt: skip
    return Draft(promotion)


def _gift():
    gift = _product("洗洁精")
    if gift is None:
        return None
    promotion = Promotion(kind=Kind.GIFT, members_only=True)
    return Draft(promotion, rows=[PromotionRow(threshold_fen=18800, product=gift, qty=1)])
