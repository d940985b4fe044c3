"""Who performs an action: an operator on a page, a POS terminal's API key, or the system."""

from dataclasses import dataclass
from typing import Any

from huiyuan.core.models import Store


@dataclass(frozen=True)
class Actor:
    operator: Any = None  # staff.Operator
    api_key: Any = None  # api.ApiKey
    store: Store | None = None
    ip: str | None = None

    @classmethod
    def from_request(cls, request) -> "Actor":
        """The actor of a page request (logged-in operator) or an API request (API key)."""
        from huiyuan.api.models import ApiKey

        auth = getattr(request, "auth", None)
        api_key = auth if isinstance(auth, ApiKey) else None
        user = getattr(request, "user", None)
        operator = user if user is not None and user.is_authenticated else None
        store = api_key.store if api_key else getattr(request, "store", None)
        return cls(operator=operator, api_key=api_key, store=store, ip=client_ip(request))

    @classmethod
    def system(cls) -> "Actor":
        """Scheduled jobs and management commands."""
        return cls()


def client_ip(request) -> str | None:
    """The peer address. X-Forwarded-For is not trusted because anyone can send it, so behind a
    reverse proxy this is the proxy's address (see NOTES.md, "Left for later")."""
    return request.META.get("REMOTE_ADDR") or None
