"""Small helpers that back-office views share."""

from django.core.paginator import Paginator

from huiyuan.core.errors import DomainError

PAGE_SIZE = 50


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
