"""办卡门槛: a card type with a registration threshold is issued only when the customer's
same-day receipts (entered by the desk) reach it; the card's event and audit record the total."""

import pytest

from huiyuan.cards import services
from huiyuan.cards.models import Card, CardEvent
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import AuditEvent
from huiyuan.members.models import Member
from huiyuan.members.services import register_member

pytestmark = pytest.mark.django_db


def refused(call, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as error:
        call(**kwargs)
    return error.value


@pytest.fixture
def member(register):
    return register(card_type=None)


@pytest.fixture
def issue(member, store, gold_card_type):
    def call(**more):
        return services.issue_card(
            actor=Actor.system(),
            member=member,
            card_type=gold_card_type,
            medium="e_card",
            store=store,
            **more,
        )

    return call


@pytest.mark.parametrize(("total", "shown"), [(None, "¥0.00"), (0, "¥0.00"), (19999, "¥199.99")])
def test_receipts_below_the_threshold_are_refused_and_nothing_is_written(
    member, issue, total, shown
):
    events = AuditEvent.objects.count()
    error = refused(issue, receipt_total_fen=total)
    assert error.code == "REGISTRATION_THRESHOLD_NOT_MET"
    assert error.fields["receipt_total_fen"] == f"金卡须当日消费满 ¥200.00，当日小票金额为 {shown}"
    assert not Card.objects.exists()
    assert AuditEvent.objects.count() == events


def test_receipts_that_reach_the_threshold_issue_the_card_and_are_recorded(member, issue):
    card = issue(receipt_total_fen=20000)
    assert card.card_type.code == "GOLD"
    event = CardEvent.objects.get(card=card, kind=CardEvent.Kind.ISSUE)
    assert event.reason == "当日小票金额 ¥200.00"
    audit = AuditEvent.objects.filter(action="card.issue").latest("id")
    assert audit.after["receipt_total_fen"] == 20000


def test_a_card_type_without_a_threshold_needs_no_receipts(member, store, card_type):
    card = services.issue_card(
        actor=Actor.system(), member=member, card_type=card_type, medium="e_card", store=store
    )
    assert CardEvent.objects.get(card=card).reason == ""
    assert (
        "receipt_total_fen" not in AuditEvent.objects.filter(action="card.issue").latest("id").after
    )


def test_a_negative_total_is_refused(member, issue):
    error = refused(issue, receipt_total_fen=-1)
    assert error.code == "VALIDATION_ERROR"
    assert error.fields["receipt_total_fen"] == "金额不能为负"


def test_registration_with_a_threshold_card_writes_no_member_when_refused(store, gold_card_type):
    kwargs = {
        "actor": Actor.system(),
        "name": "李四",
        "phone": "13900139000",
        "store": store,
        "card_type": gold_card_type,
    }
    error = refused(register_member, receipt_total_fen=15000, **kwargs)
    assert error.code == "REGISTRATION_THRESHOLD_NOT_MET"
    assert not Member.objects.exists()
    member = register_member(receipt_total_fen=25000, **kwargs)
    assert member.cards.get().card_type == gold_card_type
    assert CardEvent.objects.get(member=member).reason == "当日小票金额 ¥250.00"
