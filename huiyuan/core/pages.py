"""Small helpers that back-office views share."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator

from huiyuan.core.errors import DomainError

PAGE_SIZE = 50


def permission_page(permission: str):
    """A page for one permission: anonymous visitors go to the login page, others without the
    permission get the 403 page."""

    def decorate(view):
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorate


def show_domain_error(form, error: DomainError) -> None:
    """Put a service's refusal on the form: next to its field, or above the form."""
    placed = False
    for name, message in error.fields.items():
        if name in form.fields:
            form.add_error(name, message or error.message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """The requested page of a list (bad page numbers fall back to the nearest page)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
