import pytest

from huiyuan.core.actors import Actor
from huiyuan.promotions import services
from huiyuan.promotions.engine_values import Draft
from huiyuan.promotions.models import MemberDay, Promotion, PromotionRow


@pytest.fixture
def system():
    return Actor.system()


@pytest.fixture
def make_promotion(db):
    """make_promotion(kind="percent", rows=[PromotionRow(…)], stores=[…], permille=800, …) →
    an active promotion saved through the service (status "active" unless told)."""

    def make(kind=Promotion.Kind.PERCENT, *, rows=(), relations=None, **fields):
        fields.setdefault("name", f"促销{Promotion.objects.count() + 1}")
        fields.setdefault("status", Promotion.Status.ACTIVE)
        draft = Draft(Promotion(kind=kind, **fields), rows=list(rows), **(relations or {}))
        return services.save_promotion(actor=Actor.system(), draft=draft)

    return make


@pytest.fixture
def row():
    """row(threshold=68, amount=5, …) in yuan → an unsaved PromotionRow."""

    def make(threshold=0, amount=0, **more):
        return PromotionRow(
            threshold_fen=round(threshold * 100), amount_fen=round(amount * 100), **more
        )

    return make


@pytest.fixture
def tuesday(db):
    return MemberDay.objects.create(name="周二会员日", weekdays=[2])


@pytest.fixture
def products(make_product):
    """Four products: P001 ¥12.80 … P004 ¥50.00."""
    return [
        make_product("P001", "红富士苹果", retail_price_fen=1280),
        make_product("P002", "砀山梨", retail_price_fen=860),
        make_product("P003", "阳光玫瑰葡萄", retail_price_fen=2990),
        make_product("P004", "智利车厘子", retail_price_fen=5000),
    ]


@pytest.fixture
def marketer(make_operator):
    """A 营销 operator holding the promotions permissions (granted directly until the built-in
    role has them)."""
    from django.contrib.auth.models import Permission

    operator = make_operator("marketing")
    operator.user_permissions.add(*Permission.objects.filter(content_type__app_label="promotions"))
    return operator


@pytest.fixture
def marketing(client, marketer):
    client.force_login(marketer)
    return client
