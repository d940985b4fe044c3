import pytest
from django.conf import settings as project_settings
from django.test import override_settings

from huiyuan import settings as real_settings
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import AuditEvent
from huiyuan.staff import services
from huiyuan.staff.models import Operator
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_create_operator_assigns_stores_and_roles_and_audits(admin, roles, store, other_store):
    cashier = services.create_operator(
        actor=Actor(operator=admin),
        username="zhangli",
        password=TEST_PASSWORD,
        full_name="张丽",
        stores=[store, other_store],
        roles=[roles["cashier"]],
    )
    assert set(cashier.stores.all()) == {store, other_store}
    assert cashier.default_store == store
    assert list(cashier.groups.values_list("name", flat=True)) == ["收银员"]
    assert cashier.check_password(TEST_PASSWORD)
    event = AuditEvent.objects.get(action="operator.create", target_id=str(cashier.pk))
    assert event.operator == admin
    assert event.after["username"] == "zhangli"
    assert "password" not in event.after


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"username": "ADMIN"}, "USERNAME_EXISTS"),
        ({"password": "12345678"}, "PASSWORD_TOO_WEAK"),
        ({"stores": []}, "OPERATOR_NEEDS_STORE"),
    ],
)
def test_bad_operator_input_is_refused_and_writes_nothing(admin, roles, store, changes, code):
    before = (Operator.objects.count(), AuditEvent.objects.count())
    arguments = {
        "actor": Actor(operator=admin),
        "username": "lifang",
        "password": TEST_PASSWORD,
        "stores": [store],
        "roles": [roles["cashier"]],
    } | changes
    with pytest.raises(DomainError) as refused:
        services.create_operator(**arguments)
    assert refused.value.code == code
    assert (Operator.objects.count(), AuditEvent.objects.count()) == before


def test_update_operator_audits_the_change(admin, make_operator, roles, other_store):
    cashier = make_operator("cashier")
    services.update_operator(
        actor=Actor(operator=admin),
        operator=cashier,
        full_name="刘芳",
        phone="13800000000",
        stores=[other_store],
        roles=[roles["store_manager"]],
        default_store=None,
        is_active=False,
    )
    cashier.refresh_from_db()
    assert not cashier.is_active
    assert cashier.default_store == other_store
    event = AuditEvent.objects.get(action="operator.update")
    assert event.before["is_active"] is True
    assert event.after["is_active"] is False
    assert event.after["groups"] == [roles["store_manager"].pk]


def test_an_operator_cannot_deactivate_themself(admin, roles, store):
    with pytest.raises(DomainError) as refused:
        services.update_operator(
            actor=Actor(operator=admin),
            operator=admin,
            full_name="",
            phone="",
            stores=[store],
            roles=[roles["admin"]],
            default_store=None,
            is_active=False,
        )
    assert refused.value.code == "CANNOT_DEACTIVATE_SELF"


def test_default_store_must_be_one_of_the_operators_stores(
    admin, make_operator, roles, store, other_store
):
    cashier = make_operator("cashier")
    with pytest.raises(DomainError) as refused:
        services.update_operator(
            actor=Actor(operator=admin),
            operator=cashier,
            full_name="",
            phone="",
            stores=[store],
            roles=[roles["cashier"]],
            default_store=other_store,
            is_active=True,
        )
    assert "default_store" in refused.value.fields


def test_change_own_password_sets_it_and_audits(make_operator):
    cashier = make_operator("cashier")
    services.change_own_password(actor=Actor(operator=cashier), new_password="Another-pass-1")
    cashier.refresh_from_db()
    assert cashier.check_password("Another-pass-1")
    assert AuditEvent.objects.filter(action="operator.change_password", operator=cashier).exists()


def test_a_weak_new_password_is_refused_on_the_new_password_field(make_operator):
    cashier = make_operator("cashier")
    with pytest.raises(DomainError) as refused:
        services.change_own_password(actor=Actor(operator=cashier), new_password="12345678")
    assert list(refused.value.fields) == ["new_password"]


def test_reset_password_is_audited_without_the_password(admin, make_operator):
    cashier = make_operator("cashier")
    services.reset_password(
        actor=Actor(operator=admin), operator=cashier, new_password="Brand-new-77"
    )
    cashier.refresh_from_db()
    assert cashier.check_password("Brand-new-77")
    event = AuditEvent.objects.get(action="operator.reset_password")
    assert event.before is None
    assert event.after is None


def test_production_hashes_passwords_with_argon2(make_operator):
    cashier = make_operator("cashier")
    with override_settings(PASSWORD_HASHERS=real_settings.PASSWORD_HASHERS):
        services.reset_password(
            actor=Actor.system(), operator=cashier, new_password="Argon-pass-42"
        )
        cashier.refresh_from_db()
        assert cashier.check_password("Argon-pass-42")
    assert cashier.password.startswith("argon2$argon2id$")
    assert project_settings.AXES_FAILURE_LIMIT == 5
