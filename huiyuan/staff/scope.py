"""Store scope: an operator sees only the stores assigned to them (administrators see all).

Every selector that lists store-owned rows passes its queryset through `scope_to_stores`.
"""

from django.db.models import QuerySet

from huiyuan.core.models import Store


def sees_all_stores(operator) -> bool:
    return operator.is_superuser or operator.has_perm("core.view_all_stores")


def stores_for(operator) -> QuerySet[Store]:
    """The active stores this operator may work in and see."""
    stores = Store.objects.filter(is_active=True)
    if sees_all_stores(operator):
        return stores
    # A subquery, not a join: a join on `operators` would narrow later annotations over it.
    return stores.filter(pk__in=operator.stores.values("pk"))


def scope_to_stores(queryset: QuerySet, operator, field: str = "store") -> QuerySet:
    """Only the rows of the operator's stores (rows with no store are shown to all-store roles)."""
    if sees_all_stores(operator):
        return queryset
    return queryset.filter(**{f"{field}__in": operator.stores.all()})


def scope_operators(queryset: QuerySet, operator) -> QuerySet:
    """Only the operators who work in one of this operator's stores."""
    if sees_all_stores(operator):
        return queryset
    return queryset.filter(stores__in=operator.stores.all()).distinct()
