"""Operators and roles: every change audited in the same transaction."""

from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import Store
from huiyuan.staff import guards
from huiyuan.staff.models import Operator, Role
from huiyuan.staff.roles import grantable_permissions

OPERATOR_FIELDS = [
    "username",
    "full_name",
    "phone",
    "is_active",
    "stores",
    "default_store",
    "groups",
]
ROLE_FIELDS = ["name", "description", "permissions"]


@transaction.atomic
def create_operator(
    *,
    actor: Actor,
    username: str,
    password: str,
    full_name: str = "",
    phone: str = "",
    stores: Iterable[Store],
    roles: Iterable[Role] = (),
    default_store: Store | None = None,
    is_active: bool = True,
) -> Operator:
    roles = list(roles)
    guards.check_may_grant_roles(actor, roles)
    username = username.strip()
    if Operator.objects.filter(username__iexact=username).exists():
        raise DomainError("USERNAME_EXISTS", field="username")
    operator = Operator(
        username=username, full_name=full_name.strip(), phone=phone.strip(), is_active=is_active
    )
    _check_password(password, operator, field="password")
    operator.set_password(password)
    _save_valid(operator)
    _assign(operator, stores=list(stores), roles=roles, default_store=default_store)
    audit.record(
        actor, "operator.create", operator, after=audit.snapshot(operator, OPERATOR_FIELDS)
    )
    return operator


@transaction.atomic
def update_operator(
    *,
    actor: Actor,
    operator: Operator,
    full_name: str,
    phone: str,
    stores: Iterable[Store],
    roles: Iterable[Role],
    default_store: Store | None,
    is_active: bool,
) -> Operator:
    operator = Operator.objects.select_for_update().get(pk=operator.pk)
    if not is_active and actor.operator is not None and actor.operator.pk == operator.pk:
        raise DomainError("CANNOT_DEACTIVATE_SELF")
    guards.check_may_manage(actor, operator)
    roles = list(roles)
    guards.check_may_grant_roles(actor, roles)
    before = audit.snapshot(operator, OPERATOR_FIELDS)
    operator.full_name, operator.phone = full_name.strip(), phone.strip()
    operator.is_active = is_active
    _save_valid(operator)
    _assign(operator, stores=list(stores), roles=roles, default_store=default_store)
    guards.check_an_administrator_remains()
    old, new = audit.changes(before, audit.snapshot(operator, OPERATOR_FIELDS))
    if new:
        audit.record(actor, "operator.update", operator, before=old, after=new)
    return operator


@transaction.atomic
def reset_password(*, actor: Actor, operator: Operator, new_password: str) -> None:
    """An administrator sets a new password for someone who forgot theirs."""
    _set_password(actor, operator, new_password, "operator.reset_password")


@transaction.atomic
def change_own_password(*, actor: Actor, new_password: str) -> None:
    """The logged-in operator's new password; the page has checked the old one (authenticate()),
    so that wrong guesses count towards the lockout."""
    _set_password(actor, actor.operator, new_password, "operator.change_password")


@transaction.atomic
def create_role(
    *, actor: Actor, name: str, description: str = "", permissions: Iterable[Permission] = ()
) -> Role:
    name = name.strip()
    _check_role_name(name)
    permissions = _grantable(actor, permissions)
    role = Role.objects.create(name=name, description=description.strip())
    role.permissions.set(permissions)
    audit.record(actor, "role.create", role, after=audit.snapshot(role, ROLE_FIELDS))
    return role


@transaction.atomic
def update_role(
    *, actor: Actor, role: Role, name: str, description: str, permissions: Iterable[Permission]
) -> Role:
    role = Role.objects.select_for_update().get(pk=role.pk)
    name = name.strip()
    if role.is_builtin and name != role.name:
        raise DomainError("VALIDATION_ERROR", fields={"name": _("内置角色不能改名")})
    _check_role_name(name, exclude=role)
    permissions = _grantable(actor, permissions)
    guards.check_admin_role_keeps_its_permissions(role, permissions)
    before = audit.snapshot(role, ROLE_FIELDS)
    role.name, role.description = name, description.strip()
    role.save()
    role.permissions.set(permissions)
    old, new = audit.changes(before, audit.snapshot(role, ROLE_FIELDS))
    if new:
        audit.record(actor, "role.update", role, before=old, after=new)
    return role


@transaction.atomic
def delete_role(*, actor: Actor, role: Role) -> None:
    if role.is_builtin:
        raise DomainError("VALIDATION_ERROR", fields={"name": _("内置角色不能删除")})
    audit.record(actor, "role.delete", role, before=audit.snapshot(role, ROLE_FIELDS))
    role.delete()


def _assign(operator, *, stores, roles, default_store) -> None:
    if not stores:
        raise DomainError("OPERATOR_NEEDS_STORE", fields={"stores": _("至少选择一个门店")})
    if not all(store.is_active for store in stores):
        raise DomainError("VALIDATION_ERROR", fields={"stores": _("不能分配已停用的门店")})
    if default_store is not None and default_store not in stores:
        raise DomainError("VALIDATION_ERROR", fields={"default_store": _("默认门店须在所属门店中")})
    operator.stores.set(stores)
    operator.groups.set(roles)
    operator.default_store = default_store or stores[0]
    operator.save(update_fields=["default_store"])


def _set_password(actor: Actor, operator: Operator, new_password: str, action: str) -> None:
    operator = Operator.objects.select_for_update().get(pk=operator.pk)
    guards.check_may_manage(actor, operator)
    _check_password(new_password, operator, field="new_password")
    operator.set_password(new_password)
    operator.save(update_fields=["password"])
    audit.record(actor, action, operator)


def _check_password(password: str, operator: Operator, *, field: str) -> None:
    try:
        validate_password(password, operator)
    except ValidationError as exc:
        # Translators: joins several error messages into one line.
        separator = _("；")
        raise DomainError(
            "PASSWORD_TOO_WEAK", fields={field: separator.join(exc.messages)}
        ) from exc


def _grantable(actor: Actor, permissions: Iterable[Permission]) -> list[Permission]:
    """Only permissions a role may carry, and only those the actor holds."""
    permissions = list(permissions)
    allowed = set(grantable_permissions())
    if not set(permissions) <= allowed:
        raise DomainError("VALIDATION_ERROR", fields={"permissions": _("包含不可授予的权限")})
    guards.check_may_grant(actor, guards.labels(permissions), field="permissions")
    return permissions


def _check_role_name(name: str, exclude: Role | None = None) -> None:
    if not name:
        raise DomainError("VALIDATION_ERROR", fields={"name": _("请填写角色名称")})
    clash = Role.objects.filter(name=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise DomainError("ROLE_NAME_EXISTS", field="name")


def _save_valid(operator: Operator) -> None:
    try:
        operator.full_clean(exclude=["password", "last_login", "date_joined"])
    except ValidationError as exc:
        raise DomainError.from_validation(exc) from exc
    operator.save()
