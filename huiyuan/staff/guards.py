"""Limits on managing operators and roles.

Holding the operator or role permissions must not become a way to more rights than one has, nor
to locking everyone out: an operator grants only permissions they hold themselves, manages only
operators whose rights are within their own, and at least one active administrator remains.
"""

from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.utils.translation import gettext as _

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError

ADMIN_ROLE = "admin"


def labels(permissions: Iterable[Permission]) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in permissions}


def check_may_grant(actor: Actor, permissions: set[str], *, field: str) -> None:
    """Refuse to hand out a permission the acting operator doesn't hold (the system may)."""
    operator = actor.operator
    if operator is None or operator.is_superuser:
        return
    if not permissions <= operator.get_all_permissions():
        raise DomainError("PERMISSION_DENIED", _("不能授予自己没有的权限"), field=field)


def check_may_grant_roles(actor: Actor, roles: Iterable, *, field: str = "roles") -> None:
    granted = Permission.objects.filter(group__in=list(roles)).select_related("content_type")
    check_may_grant(actor, labels(granted), field=field)


def check_may_manage(actor: Actor, operator) -> None:
    """Only operators whose rights are within one's own may be changed or have a password reset."""
    if actor.operator is None or actor.operator.pk == operator.pk:
        return
    try:
        check_may_grant(actor, operator.get_all_permissions(), field="roles")
    except DomainError:
        raise DomainError("PERMISSION_DENIED", _("不能管理权限比自己多的操作员")) from None


def check_an_administrator_remains() -> None:
    from huiyuan.staff.models import Operator

    if not Operator.objects.filter(is_active=True, groups__role__code=ADMIN_ROLE).exists():
        raise DomainError("VALIDATION_ERROR", _("至少要保留一名启用的系统管理员"), field="roles")


def check_admin_role_keeps_its_permissions(role, new_permissions: Iterable[Permission]) -> None:
    if role.code == ADMIN_ROLE and not set(role.permissions.all()) <= set(new_permissions):
        raise DomainError(
            "VALIDATION_ERROR", _("系统管理员角色的权限不能减少"), field="permissions"
        )
