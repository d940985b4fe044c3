"""Merging duplicate members: stored value and live count cards move as transfer rows."""

import pytest
from django.core.management import call_command

from huiyuan.core.errors import DomainError
from huiyuan.wallet import services
from huiyuan.wallet.merging import transfer_wallet
from huiyuan.wallet.models import CountCardEntry, StoredValueEntry
from huiyuan.wallet.selectors import stored_value_of

pytestmark = pytest.mark.django_db


def test_stored_value_and_count_cards_move_to_the_kept_member(
    desk, member, register, stored_value_card_type, bonus_rules, car_wash
):
    duplicate = register(name="张三", phone="13900139000", card_type=stored_value_card_type)
    services.top_up(actor=desk, member=duplicate, amount_fen=50_000, payment_method="cash")
    services.top_up(actor=desk, member=member, amount_fen=1_000, payment_method="cash")
    holding = services.sell_count_card(
        actor=desk, member=duplicate, package=car_wash, payment_method="cash"
    )
    services.use_count_card(actor=desk, member=duplicate, holding_id=holding.pk, uses=4)

    moved = transfer_wallet(actor=desk, source=duplicate, target=member, reason="重复登记")

    assert (moved.principal_fen, moved.bonus_fen, moved.count_cards) == (50_000, 5_000, 1)
    assert stored_value_of(duplicate) == (0, 0)
    assert stored_value_of(member) == (51_000, 5_000)
    transfers = StoredValueEntry.objects.filter(kind="transfer")
    assert sorted(transfers.values_list("member_id", "pot", "delta")) == sorted(
        [
            (duplicate.pk, "principal", -50_000),
            (duplicate.pk, "bonus", -5_000),
            (member.pk, "principal", 50_000),
            (member.pk, "bonus", 5_000),
        ]
    )
    holding.refresh_from_db()
    assert (holding.status, holding.remaining) == ("transferred", 0)
    copy = member.count_cards.get()
    assert (copy.package, copy.remaining, copy.expires_on) == (car_wash, 6, holding.expires_on)
    assert CountCardEntry.objects.filter(kind="transfer").count() == 2
    call_command("verify_ledgers")


def test_a_member_cannot_be_merged_into_itself(desk, member):
    with pytest.raises(DomainError) as error:
        transfer_wallet(actor=desk, source=member, target=member, reason="x")
    assert error.value.code == "MERGE_NOT_ALLOWED"
