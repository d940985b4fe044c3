import pytest
from django.urls import reverse

from huiyuan.cards.card_types import create_card_type, update_card_type
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import AuditEvent

pytestmark = pytest.mark.django_db

VALUE_CARD = {
    "code": "vip",
    "name": "储值卡",
    "has_points": True,
    "has_stored_value": True,
    "discount_permille": 950,
    "fee_fen": 1000,
    "number_prefix": "9900",
    "number_length": 16,
    "media": ["ic", "e_card"],
}


def test_create_and_edit_a_card_type_is_audited(admin):
    card_type = create_card_type(actor=Actor(operator=admin), **VALUE_CARD)
    assert card_type.code == "VIP"
    update_card_type(actor=Actor(operator=admin), card_type=card_type, fee_fen=500)
    assert list(
        AuditEvent.objects.filter(target_type="cards.cardtype").values_list("action", flat=True)
    ) == ["card_type.update", "card_type.create"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"number_prefix": "AB"}, "number_prefix"),
        ({"number_length": 6}, "number_length"),
        ({"discount_permille": 0}, "discount_permille"),
        ({"media": []}, "media"),
        ({"media": ["floppy"]}, "media"),
        ({"code": "std"}, "code"),
    ],
)
def test_bad_card_types_are_refused_on_their_field(admin, changes, field):
    with pytest.raises(DomainError) as refused:
        create_card_type(actor=Actor(operator=admin), **(VALUE_CARD | changes))
    assert field in refused.value.fields


def test_the_numbering_of_a_type_with_cards_is_fixed(admin, register, card_type):
    register()
    with pytest.raises(DomainError):
        update_card_type(actor=Actor(operator=admin), card_type=card_type, number_prefix="7700")
    update_card_type(actor=Actor(operator=admin), card_type=card_type, name="普通卡")


def test_card_type_pages(admin_client, client, make_operator):
    page = admin_client.get(reverse("card_types:list"))
    assert "普通会员卡" in page.text
    created = admin_client.post(reverse("card_types:create"), VALUE_CARD | {"is_active": "on"})
    assert created.status_code == 302
    refused = admin_client.post(reverse("card_types:create"), VALUE_CARD | {"code": "STD"})
    assert "卡类型编码已存在" in refused.text
    client.force_login(make_operator("cashier"))
    assert client.get(reverse("card_types:create")).status_code == 403
