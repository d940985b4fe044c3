import datetime

import pytest
from django.db import connection

from huiyuan.cards.models import Card, CardEvent
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import AuditEvent
from huiyuan.members.models import Member
from huiyuan.members.services import cancel_member, name_search_keys, update_member
from tests.conftest import RESIDENT_IDS

pytestmark = pytest.mark.django_db


def test_register_issues_a_card_and_audits(register, admin, store):
    member = register(
        actor=Actor(operator=admin, store=store),
        id_type="resident_id",
        id_number=RESIDENT_IDS[0].lower(),
    )
    assert member.member_no.isdigit()
    assert len(member.member_no) == 8
    assert (member.name_pinyin, member.name_initials) == ("zhangsan", "zs")
    card = member.cards.get()
    assert card.status == Card.Status.ACTIVE
    assert card.number.startswith("8800")
    assert len(card.number) == 12
    assert CardEvent.objects.get(card=card).kind == "issue"
    actions = set(
        AuditEvent.objects.filter(
            target_type="members.member", target_id=str(member.pk)
        ).values_list("action", flat=True)
    )
    assert actions == {"member.register", "card.issue"}
    assert member.id_number == RESIDENT_IDS[0]
    assert member.id_number_masked == "1101**********002X"


def test_the_id_number_is_never_stored_in_clear(register):
    register(id_type="resident_id", id_number=RESIDENT_IDS[1])
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM members_member")
        raw = repr(cursor.fetchall())
        cursor.execute("SELECT before, after FROM core_auditevent")
        raw += repr(cursor.fetchall())
    assert RESIDENT_IDS[1] not in raw
    assert RESIDENT_IDS[1][6:14] not in raw  # not even the birth date part


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"phone": "12345"}, "PHONE_INVALID"),
        ({"phone": "021-63220001"}, "PHONE_INVALID"),
        ({"id_type": "resident_id", "id_number": "110101199003074478"}, "ID_NUMBER_INVALID"),
        ({"id_type": "spaceship", "id_number": "X1"}, "ID_NUMBER_INVALID"),
        ({"birthday": datetime.date(2999, 1, 1)}, "VALIDATION_ERROR"),
        ({"name": "  "}, "VALIDATION_ERROR"),
        ({"email": "not-an-email"}, "VALIDATION_ERROR"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(register, changes, code):
    with pytest.raises(DomainError) as refused:
        register(**changes)
    assert refused.value.code == code
    assert not Member.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="member.").exists()


def test_a_phone_is_unique_among_active_members(register):
    first = register(phone="13800138000")
    with pytest.raises(DomainError) as refused:
        register(name="李四", phone="+86 138-0013-8000")
    assert refused.value.code == "MEMBER_EXISTS"
    assert refused.value.fields["holder"] == first.member_no
    assert Member.objects.count() == 1


def test_one_card_per_id_document(register):
    first = register(id_type="resident_id", id_number=RESIDENT_IDS[0])
    with pytest.raises(DomainError) as refused:
        register(name="李四", phone="13900139000", id_type="resident_id", id_number=RESIDENT_IDS[0])
    assert refused.value.code == "ID_NUMBER_ALREADY_HAS_CARD"
    assert refused.value.fields["holder"] == first.member_no


def test_a_cancelled_members_phone_and_id_may_register_again(register, admin):
    first = register(id_type="resident_id", id_number=RESIDENT_IDS[0])
    cancel_member(actor=Actor(operator=admin), member=first, reason="本人申请")
    assert first.cards.get().status == Card.Status.CANCELLED
    again = register(id_type="resident_id", id_number=RESIDENT_IDS[0])
    assert again.pk != first.pk


def test_profile_edits_are_audited_with_before_and_after_and_no_clear_id(register, admin):
    member = register()
    update_member(
        actor=Actor(operator=admin),
        member=member,
        name="张叁",
        id_type="resident_id",
        id_number=RESIDENT_IDS[2],
    )
    event = AuditEvent.objects.get(action="member.update")
    assert event.before["name"] == "张三"
    assert event.after["name"] == "张叁"
    assert event.after["id_number_masked"] == "4403**********0012"
    assert RESIDENT_IDS[2] not in repr(event.after)
    member.refresh_from_db()
    assert member.name_initials == "zs"


def test_name_search_keys_for_mixed_names():
    assert name_search_keys("欧阳 娜娜") == ("ouyangnana", "oynn")
    assert name_search_keys("Anna 王") == ("annawang", "annaw")
