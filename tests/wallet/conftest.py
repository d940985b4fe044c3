import pytest

from huiyuan.cards.models import CardType
from huiyuan.core.actors import Actor
from huiyuan.wallet.models import CountCardPackage, TopUpBonusRule


@pytest.fixture
def stored_value_card_type(db):
    """A card type that carries stored value and count cards."""
    return CardType.objects.get_or_create(
        code="SV",
        defaults={
            "name": "储值卡",
            "has_stored_value": True,
            "has_count_cards": True,
            "number_prefix": "6600",
            "media": ["e_card", "ic"],
        },
    )[0]


@pytest.fixture
def member(register, stored_value_card_type):
    return register(card_type=stored_value_card_type)


@pytest.fixture
def desk(store):
    return Actor(store=store)


@pytest.fixture
def bonus_rules(db):
    """The seeds' 充500送50 and 充1000送150."""
    return [
        TopUpBonusRule.objects.create(name="充500送50", threshold_fen=50_000, bonus_fen=5_000),
        TopUpBonusRule.objects.create(name="充1000送150", threshold_fen=100_000, bonus_fen=15_000),
    ]


@pytest.fixture
def car_wash(db):
    return CountCardPackage.objects.create(
        code="WASH10", name="洗车10次卡", covers=["SVC-WASH"], uses=10, price_fen=30_000,
        validity_months=12,
    )  # fmt: skip
