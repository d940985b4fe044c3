import pytest

from huiyuan.core.actors import Actor


@pytest.fixture
def member(register, stored_value_card_type):
    return register(card_type=stored_value_card_type)


@pytest.fixture
def desk(store):
    return Actor(store=store)
