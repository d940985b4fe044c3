"""Holding the operator or role permissions must not turn into more rights, or lock everyone out."""

import pytest
from django.contrib.auth.models import Permission

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import AuditEvent
from huiyuan.staff import services
from huiyuan.staff.models import Operator

pytestmark = pytest.mark.django_db

OPERATOR_DESK = ("view_operator", "add_operator", "change_operator")


@pytest.fixture
def desk(admin, make_operator, roles):
    """An operator whose custom role may manage operators, and nothing else."""
    role = services.create_role(
        actor=Actor(operator=admin),
        name="人事",
        permissions=Permission.objects.filter(codename__in=OPERATOR_DESK),
    )
    clerk = make_operator("cashier", username="hr")
    clerk.groups.set([role])
    return Operator.objects.get(pk=clerk.pk)  # fresh, so its permission cache is empty


def update(actor_operator, target, **changes):
    fields = {
        "full_name": target.full_name,
        "phone": target.phone,
        "stores": list(target.stores.all()),
        "roles": list(target.groups.all()),
        "default_store": None,
        "is_active": target.is_active,
    } | changes
    return services.update_operator(actor=Actor(operator=actor_operator), operator=target, **fields)


def test_an_operator_cannot_grant_a_role_with_permissions_they_lack(desk, roles, store):
    with pytest.raises(DomainError) as refused:
        services.create_operator(
            actor=Actor(operator=desk),
            username="sneaky",
            password="Secret-pass-2026",
            stores=[store],
            roles=[roles["admin"]],
        )
    assert refused.value.code == "PERMISSION_DENIED"
    assert "roles" in refused.value.fields
    assert not Operator.objects.filter(username="sneaky").exists()


def test_an_operator_cannot_promote_themself(desk, roles):
    with pytest.raises(DomainError) as refused:
        update(desk, desk, roles=[roles["admin"]])
    assert refused.value.code == "PERMISSION_DENIED"
    assert not desk.groups.filter(name="系统管理员").exists()


def test_an_operator_cannot_manage_or_reset_someone_with_more_rights(desk, admin):
    with pytest.raises(DomainError) as refused:
        services.reset_password(
            actor=Actor(operator=desk), operator=admin, new_password="Hijack-2026-x"
        )
    assert refused.value.code == "PERMISSION_DENIED"
    with pytest.raises(DomainError):
        update(desk, admin, is_active=False)
    admin.refresh_from_db()
    assert admin.is_active
    assert not AuditEvent.objects.filter(action="operator.reset_password").exists()


def test_an_operator_can_manage_someone_with_fewer_rights(desk, admin, store):
    trainee = services.create_operator(
        actor=Actor(operator=admin), username="trainee", password="Secret-pass-2026", stores=[store]
    )
    update(desk, trainee, full_name="改名")
    trainee.refresh_from_db()
    assert trainee.full_name == "改名"


def test_the_last_active_administrator_cannot_lose_the_role(admin, roles):
    with pytest.raises(DomainError) as refused:
        update(admin, admin, roles=[roles["store_manager"]])
    assert "roles" in refused.value.fields
    assert admin.groups.filter(role__code="admin").exists()


def test_one_administrator_may_step_down_when_another_remains(admin, make_operator, roles):
    make_operator("admin", username="admin2")
    update(admin, admin, roles=[roles["store_manager"]])
    assert not admin.groups.filter(role__code="admin").exists()


def test_the_administrator_roles_permissions_cannot_be_reduced(admin, roles):
    role = roles["admin"]
    with pytest.raises(DomainError) as refused:
        services.update_role(
            actor=Actor(operator=admin),
            role=role,
            name=role.name,
            description=role.description,
            permissions=list(role.permissions.all())[1:],
        )
    assert "permissions" in refused.value.fields


def test_roles_only_carry_grantable_permissions(admin):
    internal = Permission.objects.get(codename="delete_auditevent")
    with pytest.raises(DomainError) as refused:
        services.create_role(actor=Actor(operator=admin), name="删日志", permissions=[internal])
    assert "permissions" in refused.value.fields


def test_a_deactivated_store_cannot_be_assigned(admin, roles, store, other_store):
    other_store.is_active = False
    other_store.save()
    with pytest.raises(DomainError) as refused:
        services.create_operator(
            actor=Actor(operator=admin),
            username="closed",
            password="Secret-pass-2026",
            stores=[other_store],
            roles=[roles["cashier"]],
        )
    assert "stores" in refused.value.fields
