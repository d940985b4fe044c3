import pytest
from django.contrib.auth.models import Permission

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import AuditEvent
from huiyuan.staff import services
from huiyuan.staff.models import Role
from huiyuan.staff.roles import BUILTIN_ROLES, grantable_permissions, permission_label

pytestmark = pytest.mark.django_db


def test_the_six_builtin_roles_exist_with_their_permissions(roles):
    assert {role.name for role in roles.values()} == {
        "系统管理员",
        "店长",
        "收银员",
        "会员专员",
        "营销",
        "财务",
    }
    admin_perms = {
        f"{p.content_type.app_label}.{p.codename}" for p in roles["admin"].permissions.all()
    }
    assert admin_perms == set(BUILTIN_ROLES[0].permissions)


def test_create_update_and_delete_a_custom_role(admin):
    actor = Actor(operator=admin)
    view_store = Permission.objects.get(codename="view_store")
    role = services.create_role(
        actor=actor, name="督导", description="巡店", permissions=[view_store]
    )
    assert list(role.permissions.all()) == [view_store]
    services.update_role(
        actor=actor, role=role, name="区域督导", description="巡店", permissions=[]
    )
    role.refresh_from_db()
    assert role.name == "区域督导"
    assert not role.permissions.exists()
    services.delete_role(actor=actor, role=role)
    assert not Role.objects.filter(pk=role.pk).exists()
    assert list(
        AuditEvent.objects.filter(target_type="staff.role")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["role.create", "role.update", "role.delete"]


def test_builtin_roles_cannot_be_renamed_or_deleted(admin, roles):
    actor = Actor(operator=admin)
    with pytest.raises(DomainError):
        services.update_role(
            actor=actor, role=roles["cashier"], name="收款员", description="", permissions=[]
        )
    with pytest.raises(DomainError):
        services.delete_role(actor=actor, role=roles["cashier"])
    assert Role.objects.filter(code="cashier", name="收银员").exists()


def test_role_names_are_unique(admin, roles):
    with pytest.raises(DomainError) as refused:
        services.create_role(actor=Actor(operator=admin), name="收银员")
    assert refused.value.code == "ROLE_NAME_EXISTS"


def test_grantable_permissions_are_labelled_in_chinese_and_skip_system_records(roles):
    labels = {permission_label(p) for p in grantable_permissions()}
    assert {"新增门店", "查看审计日志", "可查看全部门店的数据"} <= labels
    assert not any("幂等" in label for label in labels)
    assert "新增审计日志" not in labels
