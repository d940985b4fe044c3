"""Self-service registration: a phone verified by SMS code, then the member and an e-card."""

from django.db import transaction

from huiyuan.cards.models import CardType
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import Store
from huiyuan.members import validation
from huiyuan.members.models import Member
from huiyuan.members.services import phone_holder, register_member
from huiyuan.notifications import otp

PURPOSE = "join"
SELF_SERVICE_CARD_TYPE = "STD"


def send_join_code(*, phone: str, ip: str | None) -> str:
    """Sends the code to a phone that is not a member yet; returns the normalised phone."""
    phone = validation.normalize_phone(phone)
    if phone_holder(phone) is not None:
        raise DomainError("MEMBER_EXISTS", field="phone")
    otp.send_code(phone=phone, purpose=PURPOSE, ip=ip)
    return phone


def join(*, actor: Actor, phone: str, code: str, store: Store, **profile) -> Member:
    phone = validation.normalize_phone(phone)
    one_time = otp.check_code(phone=phone, purpose=PURPOSE, code=code)
    with transaction.atomic():
        otp.consume(one_time)
        return register_member(
            actor=actor,
            phone=phone,
            store=store,
            channel=Member.Channel.SELF_SERVICE,
            card_type=CardType.objects.filter(code=SELF_SERVICE_CARD_TYPE, is_active=True).first(),
            card_medium="e_card",
            **profile,
        )
