"""Merging two records of one person (members/merging.py)."""

import datetime

import pytest
from django.core.management import call_command

from huiyuan.cards import services as card_services
from huiyuan.cards.models import Card, CardEvent
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import AuditEvent
from huiyuan.members import selectors, services
from huiyuan.members.merging import find_duplicate, merge_members
from huiyuan.members.models import Member, Tag
from huiyuan.points import selectors as points_selectors
from huiyuan.points.models import PointsEntry
from huiyuan.tiers.selectors import tier_of
from huiyuan.wallet import services as wallet
from huiyuan.wallet.models import CountCardEntry, StoredValueEntry
from huiyuan.wallet.selectors import stored_value_of

pytestmark = pytest.mark.django_db

DESK = Actor.system()


@pytest.fixture
def kept(register, stored_value_card_type):
    return register(name="张三", phone="13800138000", card_type=stored_value_card_type)


@pytest.fixture
def absorbed(register, stored_value_card_type):
    return register(
        name="张三",
        phone="13900139000",
        card_type=stored_value_card_type,
        id_type="resident_id",
        id_number="110101199003074477",
    )


def merge(absorbed, kept, reason="同一人重复登记"):
    return merge_members(actor=DESK, absorbed=absorbed, kept=kept, reason=reason)


def test_balances_lots_and_count_cards_move_as_transfer_rows(
    kept, absorbed, earn, travel, bonus_rules, car_wash
):
    travel(2026, 1, 10)
    earn(absorbed, 70, ref_no="A1")
    earn(kept, 5, ref_no="K1")
    wallet.top_up(actor=DESK, member=absorbed, amount_fen=50_000, payment_method="cash")
    wallet.top_up(actor=DESK, member=kept, amount_fen=1_000, payment_method="cash")
    holding = wallet.sell_count_card(
        actor=DESK, member=absorbed, package=car_wash, payment_method="cash"
    )
    wallet.use_count_card(actor=DESK, member=absorbed, holding_id=holding.pk, uses=3)

    assert merge(absorbed, kept) == kept

    assert points_selectors.points_balance(absorbed) == 0
    assert points_selectors.points_balance(kept) == 75
    lots = {(lot.remaining, lot.expires_on) for lot in points_selectors.live_lots(kept)}
    assert (70, datetime.date(2027, 1, 9)) in lots
    assert stored_value_of(absorbed) == (0, 0)
    assert stored_value_of(kept) == (51_000, 5_000)
    assert kept.count_cards.get(status="active").remaining == 7
    assert PointsEntry.objects.filter(kind="transfer").count() == 2
    assert StoredValueEntry.objects.filter(kind="transfer").count() == 4
    assert CountCardEntry.objects.filter(kind="transfer").count() == 2
    call_command("verify_ledgers")
    absorbed.refresh_from_db()
    assert (absorbed.status, absorbed.merged_into) == (Member.Status.MERGED, kept)


def test_the_merge_is_audited_on_both_members(kept, absorbed, earn):
    earn(absorbed, 40)
    card = absorbed.cards.get()

    merge(absorbed, kept)

    on_absorbed = AuditEvent.objects.get(action="member.merge", target_id=str(absorbed.pk))
    assert on_absorbed.before == {"status": "active"}
    assert on_absorbed.after["merged_into"] == kept.member_no
    assert on_absorbed.after["points"] == 40
    assert on_absorbed.after["cancelled_card"] == card.number
    on_kept = AuditEvent.objects.get(action="member.merge", target_id=str(kept.pk))
    assert on_kept.after["absorbed"] == absorbed.member_no
    assert (on_kept.after["points"], on_kept.after["principal_fen"]) == (40, 0)
    assert on_kept.after["cards"] == [card.number]
    assert on_kept.after["reason"] == "同一人重复登记"


def test_the_live_card_is_cancelled_when_the_kept_member_holds_one(kept, absorbed):
    theirs, ours = absorbed.cards.get(), kept.cards.get()

    merge(absorbed, kept)

    theirs.refresh_from_db()
    assert (theirs.member, theirs.status) == (kept, Card.Status.CANCELLED)
    event = theirs.events.get(kind=CardEvent.Kind.CANCEL)
    assert (event.reason, event.member_id) == ("合并会员", absorbed.pk)
    assert list(kept.cards.filter(status__in=Card.LIVE)) == [ours]


def test_the_live_card_moves_when_the_kept_member_has_none(register, absorbed):
    kept = register(name="张三", phone="13700137000", card_type=None)
    old = absorbed.cards.get()
    live = card_services.replace_card(actor=DESK, card=old, reason="遗失")

    merge(absorbed, kept)

    assert set(kept.cards.values_list("number", flat=True)) == {old.number, live.number}
    assert kept.cards.get(status=Card.Status.ACTIVE) == live
    assert selectors.lookup_member(live.number) == (kept, live)
    assert not absorbed.cards.exists()


def test_tags_are_united_and_referrals_follow(register, kept, absorbed):
    regular, vip, wine = (Tag.objects.create(name=name) for name in ("常客", "VIP", "红酒"))
    kept.tags.add(regular, vip)
    absorbed.tags.add(vip, wine)
    referee = register(name="李四", phone="13600136000", referrer=absorbed)

    merge(absorbed, kept)

    assert set(kept.tags.all()) == {regular, vip, wine}
    referee.refresh_from_db()
    assert referee.referrer == kept
    on_kept = AuditEvent.objects.get(action="member.merge", target_id=str(kept.pk))
    assert (on_kept.after["tags"], on_kept.after["referrals"]) == (["红酒"], [referee.member_no])


def test_a_kept_member_referred_by_the_absorbed_record_refers_nobody(register, absorbed):
    kept = register(name="张三", phone="13700137000", referrer=absorbed)

    merge(absorbed, kept)

    kept.refresh_from_db()
    assert kept.referrer is None


def test_the_absorbed_phone_and_id_no_longer_count(kept, absorbed, register):
    merge(absorbed, kept)

    assert services.phone_holder("13900139000") is None
    assert services.id_holder("resident_id", "110101199003074477") is None
    # The desk may now put the person's ID on the kept record, and the old phone is free.
    services.update_member(
        actor=DESK, member=kept, id_type="resident_id", id_number="110101199003074477"
    )
    assert register(name="王五", phone="13900139000").status == Member.Status.ACTIVE


def test_the_absorbed_number_resolves_to_the_kept_member(kept, absorbed):
    merge(absorbed, kept)

    assert selectors.lookup_member(absorbed.member_no)[0] == kept
    assert selectors.member_by_no(absorbed.member_no) == kept
    with pytest.raises(DomainError) as error:
        selectors.lookup_member("13900139000")  # the absorbed phone is nobody's now
    assert error.value.code == "MEMBER_NOT_FOUND"
    found = set(selectors.search_members(absorbed.member_no))
    assert found == {kept, Member.objects.get(pk=absorbed.pk)}


def test_a_chain_of_merges_resolves_to_the_last_kept_member(kept, absorbed, register):
    third = register(name="张三", phone="13700137000", card_type=None)
    merge(absorbed, kept)
    merge(kept, third)

    assert selectors.lookup_member(absorbed.member_no)[0] == third


def test_the_better_tier_is_kept(tiers, register, earn):
    kept = register(name="张三", phone="13800138001")
    absorbed = register(name="张三", phone="13800138002")
    earn(absorbed, 1200)

    merge(absorbed, kept)

    assert tier_of(kept).name == "金卡"


def _refused(code, absorbed, kept, reason="重复"):
    points, audits = PointsEntry.objects.count(), AuditEvent.objects.count()
    with pytest.raises(DomainError) as error:
        merge(absorbed, kept, reason)
    assert error.value.code == code
    assert (PointsEntry.objects.count(), AuditEvent.objects.count()) == (points, audits)
    return error.value


def test_refusals_write_nothing(kept, absorbed, register, earn):
    earn(absorbed, 10)
    _refused("MERGE_NOT_ALLOWED", kept, kept)
    error = _refused("VALIDATION_ERROR", absorbed, kept, reason="  ")
    assert error.fields["reason"] == "请填写合并原因"
    _refused("VALIDATION_ERROR", absorbed, kept, reason="长" * 201)
    cancelled = register(name="王五", phone="13500135000", card_type=None)
    services.cancel_member(actor=DESK, member=cancelled, reason="本人申请")
    _refused("MEMBER_CANCELLED", cancelled, kept)
    _refused("MEMBER_CANCELLED", absorbed, cancelled)
    merge(absorbed, kept)
    absorbed.refresh_from_db()
    _refused("MERGE_NOT_ALLOWED", absorbed, kept)
    _refused("MERGE_NOT_ALLOWED", kept, absorbed)


def test_a_failure_half_way_rolls_everything_back(kept, absorbed, earn, monkeypatch):
    earn(absorbed, 10)
    wallet.top_up(actor=DESK, member=absorbed, amount_fen=1_000, payment_method="cash")

    def broken(**kwargs):
        raise DomainError("MERGE_NOT_ALLOWED")

    monkeypatch.setattr("huiyuan.members.merging.merge_tiers", broken)
    _refused("MERGE_NOT_ALLOWED", absorbed, kept)

    assert points_selectors.points_balance(absorbed) == 10
    assert stored_value_of(absorbed) == (1_000, 0)
    absorbed.refresh_from_db()
    assert absorbed.status == Member.Status.ACTIVE
    call_command("verify_ledgers")


def test_the_other_record_is_found_by_number_card_or_phone(kept, absorbed):
    card = absorbed.cards.get()
    card_services.report_card_loss(actor=DESK, card=card)
    for typed in (absorbed.member_no, card.number, "139 0013 9000"):
        assert find_duplicate(typed) == absorbed
    with pytest.raises(DomainError) as error:
        find_duplicate("13700137000")
    assert error.value.code == "MEMBER_NOT_FOUND"


def test_the_absorbed_record_takes_no_more_points_or_money(kept, absorbed):
    """Writes aimed at the absorbed record say it was merged (not that it was cancelled)."""
    from huiyuan.points.services import adjust_points

    merge(absorbed, kept)
    absorbed.refresh_from_db()

    for write in (
        lambda: adjust_points(actor=DESK, member=absorbed, delta=10, reason="补"),
        lambda: wallet.top_up(actor=DESK, member=absorbed, amount_fen=100, payment_method="cash"),
    ):
        with pytest.raises(DomainError) as refused:
            write()
        assert refused.value.code == "MEMBER_MERGED"
