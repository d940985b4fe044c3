"""Stored value: top-up with bonus rules, refund, spend in each order, restore, password."""

import pytest
from django.core.management import call_command
from django.db import connection

from huiyuan.cards import services as card_services
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import AuditEvent
from huiyuan.members.services import cancel_member
from huiyuan.wallet import services
from huiyuan.wallet.models import (
    StoredValueAccount,
    StoredValueEntry,
    TopUp,
    TopUpBonusRule,
    WalletSettings,
)
from huiyuan.wallet.selectors import stored_value_of

pytestmark = pytest.mark.django_db


def rows(member):
    return list(
        StoredValueEntry.objects.filter(member=member)
        .order_by("id")
        .values_list("kind", "pot", "delta", "balance_after")
    )


def top_up(desk, member, amount_fen, method="cash", **more):
    return services.top_up(
        actor=desk, member=member, amount_fen=amount_fen, payment_method=method, **more
    )


def test_top_up_500_with_the_500_rule_credits_principal_and_bonus_in_two_rows(
    desk, member, bonus_rules
):
    topup = top_up(desk, member, 50_000, "wechat", external_ref="WX123")

    assert (topup.amount_fen, topup.bonus_fen, topup.rule) == (50_000, 5_000, bonus_rules[0])
    assert topup.number.startswith("CZ")
    assert topup.external_ref == "WX123"
    assert stored_value_of(member) == (50_000, 5_000)
    assert rows(member) == [
        ("topup", "principal", 50_000, 50_000),
        ("bonus", "bonus", 5_000, 5_000),
    ]
    assert AuditEvent.objects.filter(action="wallet.top_up").count() == 1


@pytest.mark.parametrize(
    ("amount", "bonus"), [(49_999, 0), (80_000, 5_000), (100_000, 15_000), (300_000, 15_000)]
)
def test_the_highest_threshold_reached_wins_and_is_not_multiplied(
    desk, member, bonus_rules, amount, bonus
):
    assert top_up(desk, member, amount).bonus_fen == bonus


def test_rules_out_of_their_dates_or_inactive_or_used_once_give_nothing(desk, member):
    import datetime

    today = datetime.date.today()
    TopUpBonusRule.objects.create(
        name="过期", threshold_fen=100, bonus_fen=10, ends_on=today - datetime.timedelta(days=1)
    )
    TopUpBonusRule.objects.create(name="停用", threshold_fen=200, bonus_fen=20, is_active=False)
    TopUpBonusRule.objects.create(name="首充", threshold_fen=50, bonus_fen=5, once_per_member=True)

    assert top_up(desk, member, 1_000).bonus_fen == 5
    assert top_up(desk, member, 1_000).bonus_fen == 0


@pytest.mark.parametrize("amount", [0, -100, True])
def test_zero_or_negative_top_up_is_refused_and_writes_nothing(desk, member, amount):
    with pytest.raises(DomainError) as error:
        top_up(desk, member, amount)
    assert error.value.code == "VALIDATION_ERROR"
    assert error.value.fields["amount_fen"] == "必须是大于 0 的整数"
    assert not TopUp.objects.exists()
    assert not StoredValueEntry.objects.exists()


def test_unknown_payment_method_is_refused(desk, member):
    with pytest.raises(DomainError) as error:
        top_up(desk, member, 100, "bitcoin")
    assert error.value.fields == {"payment_method": "请选择支付方式"}


def test_a_card_type_without_stored_value_is_refused(desk, register):
    member = register()  # the standard card: points only
    with pytest.raises(DomainError) as error:
        top_up(desk, member, 100)
    assert error.value.code == "ACCOUNT_NOT_AVAILABLE"
    assert not TopUp.objects.exists()


@pytest.mark.parametrize(
    ("action", "code"),
    [
        (card_services.report_card_loss, "CARD_LOST"),
        (card_services.freeze_card, "CARD_FROZEN"),
        (card_services.cancel_card, "CARD_CANCELLED"),
    ],
)
def test_a_card_that_is_not_usable_refuses_the_top_up(desk, member, action, code):
    action(actor=Actor.system(), card=member.cards.get())
    with pytest.raises(DomainError) as error:
        top_up(desk, member, 100)
    assert error.value.code == code


def test_a_cancelled_member_cannot_top_up(desk, member):
    cancel_member(actor=Actor.system(), member=member, reason="搬家")
    with pytest.raises(DomainError) as error:
        top_up(desk, member, 100)
    assert error.value.code == "MEMBER_CANCELLED"


def test_cancelling_a_member_with_stored_value_is_refused_until_refunded(desk, member, admin):
    topup = top_up(desk, member, 1_000)
    with pytest.raises(DomainError) as error:
        cancel_member(actor=Actor.system(), member=member, reason="搬家")
    assert error.value.code == "STORED_VALUE_REMAINS"

    services.refund_top_up(actor=Actor(operator=admin), topup=topup, reason="退卡")
    cancel_member(actor=Actor.system(), member=member, reason="搬家")


def test_refund_returns_the_principal_and_forfeits_what_is_left_of_the_bonus(
    desk, member, bonus_rules, admin
):
    topup = top_up(desk, member, 50_000)
    services.spend_stored_value(
        actor=desk, member=member, amount_fen=1_100, ref_type="order", ref_no="S1"
    )
    # proportional: 1,100 = 1,000 principal + 100 bonus
    assert stored_value_of(member) == (49_000, 4_900)
    top_up(desk, member, 1_000)  # 50,000 principal now

    services.refund_top_up(actor=Actor(operator=admin), topup=topup, reason="顾客要求")

    topup.refresh_from_db()
    assert topup.status == "refunded"
    assert topup.refund_reason == "顾客要求"
    assert topup.refunded_by == admin
    assert topup.refunded_at is not None
    assert stored_value_of(member) == (0, 0)
    assert rows(member)[-2:] == [
        ("refund", "principal", -50_000, 0),
        ("forfeit", "bonus", -4_900, 0),
    ]
    # ¥1 of the ¥50 bonus paid for goods: it is kept back from the ¥500 returned.
    assert topup.refund_fen == 50_000 - 100


def test_refund_refused_when_the_principal_was_spent_twice_or_without_reason(desk, member, admin):
    topup = top_up(desk, member, 1_000)
    finance = Actor(operator=admin)
    for reason, code in (("", "VALIDATION_ERROR"),):
        with pytest.raises(DomainError) as error:
            services.refund_top_up(actor=finance, topup=topup, reason=reason)
        assert error.value.code == code
    services.spend_stored_value(
        actor=desk, member=member, amount_fen=1, ref_type="order", ref_no="S"
    )
    with pytest.raises(DomainError) as error:
        services.refund_top_up(actor=finance, topup=topup, reason="退")
    assert error.value.code == "STORED_VALUE_INSUFFICIENT"

    services.restore_stored_value(
        actor=desk, member=member, principal_fen=1, bonus_fen=0, ref_type="return", ref_no="R"
    )
    services.refund_top_up(actor=finance, topup=topup, reason="退")
    with pytest.raises(DomainError) as error:
        services.refund_top_up(actor=finance, topup=topup, reason="退")
    assert error.value.code == "TOPUP_ALREADY_REFUNDED"


def test_refund_needs_the_permission(desk, member, make_operator):
    topup = top_up(desk, member, 1_000)
    cashier = make_operator("cashier")
    with pytest.raises(DomainError) as error:
        services.refund_top_up(actor=Actor(operator=cashier), topup=topup, reason="退")
    assert error.value.code == "PERMISSION_DENIED"
    finance = make_operator("finance")
    services.refund_top_up(actor=Actor(operator=finance), topup=topup, reason="退")


@pytest.mark.parametrize(
    ("order", "split"),
    [
        ("proportional", (7_500, 750)),
        ("principal_first", (8_250, 0)),
        ("bonus_first", (3_250, 5_000)),
    ],
)
def test_spending_order(desk, member, bonus_rules, order, split):
    WalletSettings.objects.update_or_create(pk=1, defaults={"spending_order": order})
    top_up(desk, member, 50_000)

    result = services.spend_stored_value(
        actor=desk, member=member, amount_fen=8_250, ref_type="order", ref_no="S1"
    )

    assert (result.principal_fen, result.bonus_fen) == split
    assert stored_value_of(member) == (50_000 - split[0], 5_000 - split[1])


def test_spending_beyond_the_balance_is_refused_and_writes_nothing(desk, member):
    top_up(desk, member, 1_000)
    with pytest.raises(DomainError) as error:
        services.spend_stored_value(
            actor=desk, member=member, amount_fen=1_001, ref_type="order", ref_no="S"
        )
    assert error.value.code == "STORED_VALUE_INSUFFICIENT"
    assert stored_value_of(member) == (1_000, 0)
    assert len(rows(member)) == 1


def test_payment_password(desk, member):
    top_up(desk, member, 1_000)
    spend = {"actor": desk, "member": member, "amount_fen": 100, "ref_type": "order", "ref_no": "S"}
    with pytest.raises(DomainError) as error:
        services.set_payment_password(actor=desk, member=member, password="12ab56")
    assert error.value.fields == {"password": "支付密码须为 6 位数字"}
    services.spend_stored_value(**spend)  # no password set, none required

    services.set_payment_password(actor=desk, member=member, password="135790")
    stored = StoredValueAccount.objects.get(member=member).payment_password
    assert stored
    assert "135790" not in stored
    for password, code in (
        (None, "PAYMENT_PASSWORD_REQUIRED"),
        ("000000", "PAYMENT_PASSWORD_WRONG"),
    ):
        with pytest.raises(DomainError) as error:
            services.spend_stored_value(**spend, password=password)
        assert error.value.code == code
    services.spend_stored_value(**spend, password="135790")
    assert stored_value_of(member) == (800, 0)


def test_password_required_by_the_program_even_when_the_member_has_none(desk, member):
    top_up(desk, member, 1_000)
    WalletSettings.objects.update_or_create(pk=1, defaults={"password_required": True})
    with pytest.raises(DomainError) as error:
        services.spend_stored_value(
            actor=desk, member=member, amount_fen=1, ref_type="order", ref_no="S"
        )
    assert error.value.code == "PAYMENT_PASSWORD_REQUIRED"


def test_restore_puts_back_each_pot(desk, member, bonus_rules):
    top_up(desk, member, 50_000)
    services.spend_stored_value(
        actor=desk, member=member, amount_fen=11_000, ref_type="order", ref_no="S"
    )
    services.restore_stored_value(
        actor=desk, member=member, principal_fen=5_000, bonus_fen=500, ref_type="return", ref_no="R"
    )
    assert stored_value_of(member) == (45_000, 4_500)
    with pytest.raises(DomainError):
        services.restore_stored_value(
            actor=desk, member=member, principal_fen=0, bonus_fen=0, ref_type="return", ref_no="R"
        )


def test_verify_ledgers_passes_and_catches_a_corrupted_balance(desk, member, bonus_rules):
    top_up(desk, member, 50_000)
    call_command("verify_ledgers")

    # The balance table is not append-only: a bad hand edit is exactly what the check is for.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE wallet_storedvalueaccount SET bonus_fen = 4000")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("verify_ledgers")


def test_the_database_refuses_to_update_or_delete_ledger_rows(desk, member):
    from django.db import DatabaseError, transaction

    top_up(desk, member, 1_000)
    for sql in (
        "UPDATE wallet_storedvalueentry SET delta = 5",
        "DELETE FROM wallet_storedvalueentry",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert rows(member) == [("topup", "principal", 1_000, 1_000)]


def test_points_for_top_ups_when_the_program_gives_them_and_back_on_refund(desk, member, admin):
    from huiyuan.points.selectors import points_balance

    WalletSettings.objects.update_or_create(pk=1, defaults={"topup_points_per_yuan": 2})
    topup = top_up(desk, member, 50_050)  # ¥500.50: whole yuan only

    assert topup.points == 1_000
    assert points_balance(member) == 1_000
    services.refund_top_up(actor=Actor(operator=admin), topup=topup, reason="退卡")
    assert points_balance(member) == 0
    call_command("verify_ledgers")


def test_no_points_for_top_ups_by_default_or_on_a_card_without_points(
    desk, member, stored_value_card_type
):
    from huiyuan.points.selectors import points_balance

    assert top_up(desk, member, 10_000).points == 0
    WalletSettings.objects.update_or_create(pk=1, defaults={"topup_points_per_yuan": 1})
    stored_value_card_type.has_points = False
    stored_value_card_type.save()
    assert top_up(desk, member, 10_000).points == 0
    assert points_balance(member) == 0


def test_a_rule_kept_to_a_tier_gives_its_bonus_only_to_that_tier(
    desk, register, stored_value_card_type, tiers, earn
):
    from huiyuan.wallet import config

    gold_rule = config.save_bonus_rule(
        actor=desk, name="金卡充500送80", threshold_fen=50_000, bonus_fen=8_000,
        tiers=[tiers["金卡"]],
    )  # fmt: skip
    config.save_bonus_rule(
        actor=desk, name="充500送50", threshold_fen=50_000, bonus_fen=5_000, tiers=[tiers["普通"]]
    )
    gold = register(name="金", phone="13800000001", card_type=stored_value_card_type)
    earn(gold, 1_000)  # lifts them to 金卡 at once
    plain = register(name="普", phone="13800000002", card_type=stored_value_card_type)

    assert top_up(desk, gold, 50_000).rule == gold_rule
    assert top_up(desk, plain, 50_000).bonus_fen == 5_000
    with pytest.raises(DomainError) as error:  # a rule for every tier clashes with both
        config.save_bonus_rule(actor=desk, name="全部", threshold_fen=50_000, bonus_fen=1)
    assert error.value.code == "RULE_OVERLAP"
    with pytest.raises(DomainError) as error:
        config.save_bonus_rule(
            actor=desk, name="金钻", threshold_fen=50_000, bonus_fen=1,
            tiers=[tiers["金卡"], tiers["钻石"]],
        )  # fmt: skip
    assert error.value.code == "RULE_OVERLAP"
    config.save_bonus_rule(
        actor=desk, name="钻石", threshold_fen=50_000, bonus_fen=1, tiers=[tiers["钻石"]]
    )


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE wallet_storedvalueaccount SET principal_fen = -1",
        "UPDATE wallet_storedvalueaccount SET bonus_fen = -1",
    ],
)
def test_the_database_refuses_a_negative_balance(desk, member, sql):
    from django.db import IntegrityError, transaction

    top_up(desk, member, 100)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def test_a_payment_reference_credits_one_top_up(desk, member):
    top_up(desk, member, 1_000, "wechat", external_ref="4200000001")
    with pytest.raises(DomainError) as error:
        top_up(desk, member, 1_000, "wechat", external_ref=" 4200000001 ")
    assert error.value.fields["external_ref"].startswith("该支付流水号已用于充值单 CZ")
    top_up(desk, member, 1_000, "alipay", external_ref="4200000001")  # another channel's number
    assert TopUp.objects.count() == 2


def test_a_reference_keyed_twice_at_the_same_moment_is_refused_by_the_database(
    desk, member, monkeypatch
):
    top_up(desk, member, 1_000, "wechat", external_ref="4200000009")
    monkeypatch.setattr(services, "_check_not_used", lambda *args: None)  # both passed the check
    with pytest.raises(DomainError) as error:
        top_up(desk, member, 1_000, "wechat", external_ref="4200000009")
    assert error.value.fields == {"external_ref": "该支付流水号已用于另一笔充值"}
    assert TopUp.objects.count() == 1


def test_a_once_per_member_bonus_does_not_come_back_after_a_refund(desk, member, admin):
    TopUpBonusRule.objects.create(
        name="首充送20", threshold_fen=10_000, bonus_fen=2_000, once_per_member=True
    )
    first = top_up(desk, member, 10_000)
    services.refund_top_up(actor=Actor(operator=admin), topup=first, reason="退")
    assert top_up(desk, member, 10_000).bonus_fen == 0
