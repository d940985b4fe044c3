import pytest

from huiyuan.cards import services
from huiyuan.cards.models import Card, CardEvent
from huiyuan.cards.numbers import is_well_formed
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.members.selectors import lookup_member, search_members

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(admin, store):
    return Actor(operator=admin, store=store)


def test_card_numbers_carry_a_luhn_check_digit(register):
    card = register().cards.get()
    assert is_well_formed(card.number)
    assert not is_well_formed(card.number[:-1] + str((int(card.number[-1]) + 1) % 10))


def test_lost_card_is_refused_and_the_replacement_finds_the_member(register, desk):
    member = register()
    card = member.cards.get()
    services.report_card_loss(actor=desk, card=card, reason="顾客电话挂失")
    with pytest.raises(DomainError) as refused:
        lookup_member(card.number)
    assert refused.value.code == "CARD_LOST"
    new_card = services.replace_card(actor=desk, card=card, fee_fen=500)
    card.refresh_from_db()
    assert card.status == Card.Status.REPLACED
    assert lookup_member(new_card.number) == (member, new_card)
    with pytest.raises(DomainError) as refused:
        lookup_member(card.number)
    assert refused.value.code == "CARD_REPLACED"
    replace = CardEvent.objects.get(kind="replace")
    assert (replace.new_card, replace.fee_fen) == (new_card, 500)


@pytest.mark.parametrize(
    ("action", "status", "code"),
    [
        (services.freeze_card, Card.Status.FROZEN, "CARD_FROZEN"),
        (services.cancel_card, Card.Status.CANCELLED, "CARD_CANCELLED"),
    ],
)
def test_each_unusable_status_has_its_own_code(register, desk, action, status, code):
    card = register().cards.get()
    action(actor=desk, card=card)
    card.refresh_from_db()
    assert card.status == status
    with pytest.raises(DomainError) as refused:
        services.check_usable(card)
    assert refused.value.code == code


def test_actions_not_allowed_from_the_cards_state_write_nothing(register, desk):
    card = register().cards.get()
    events = CardEvent.objects.count()
    for action in (services.unlock_card, services.unfreeze_card):
        with pytest.raises(DomainError) as refused:
            action(actor=desk, card=card)
        assert refused.value.code == "CARD_ACTION_NOT_ALLOWED"
    assert CardEvent.objects.count() == events


def test_unlock_and_unfreeze_bring_the_card_back(register, desk):
    card = register().cards.get()
    services.report_card_loss(actor=desk, card=card)
    services.unlock_card(actor=desk, card=card)
    services.freeze_card(actor=desk, card=card)
    services.unfreeze_card(actor=desk, card=card)
    card.refresh_from_db()
    assert card.status == Card.Status.ACTIVE
    assert list(card.events.order_by("id").values_list("kind", flat=True)) == [
        "issue",
        "report_loss",
        "unlock",
        "freeze",
        "unfreeze",
    ]


def test_renew_exchanges_the_card_for_a_new_medium(register, desk):
    card = register(card_medium="magnetic").cards.get()
    new_card = services.renew_card(actor=desk, card=card, medium="ic")
    assert new_card.medium == "ic"
    assert new_card.member_id == card.member_id


def test_a_member_holds_one_live_card(register, desk, card_type, store):
    member = register()
    with pytest.raises(DomainError) as refused:
        services.issue_card(
            actor=desk, member=member, card_type=card_type, medium="e_card", store=store
        )
    assert refused.value.code == "MEMBER_ALREADY_HAS_CARD"


def test_a_medium_the_type_does_not_allow_is_refused(register):
    with pytest.raises(DomainError) as refused:
        register(card_medium="rfid")
    assert refused.value.code == "CARD_MEDIUM_NOT_ALLOWED"


def test_search_by_phone_card_member_number_name_pinyin_and_initials(register):
    zhang = register(name="张三", phone="13800138000")
    register(name="李四", phone="13900139000")
    card = zhang.cards.get()
    for q in ("13800138000", card.number, zhang.member_no, "张", "zhangsan", "zhang", "zs"):
        assert list(search_members(q)) == [zhang], q


def test_lookup_by_phone_refuses_when_the_members_card_is_lost(register, desk):
    member = register()
    services.report_card_loss(actor=desk, card=member.cards.get())
    with pytest.raises(DomainError) as refused:
        lookup_member(member.phone)
    assert refused.value.code == "CARD_LOST"


def test_unknown_lookup_is_member_not_found(db):
    with pytest.raises(DomainError) as refused:
        lookup_member("13700000000")
    assert refused.value.code == "MEMBER_NOT_FOUND"
