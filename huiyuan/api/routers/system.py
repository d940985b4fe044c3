"""Health, and what a terminal needs to know about itself and the stores."""

from django.db import connection
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from huiyuan import __version__
from huiyuan.api.conventions import Pagination
from huiyuan.core.models import Store

router = Router(tags=["系统"])


class HealthOut(Schema):
    status: str
    database: str
    version: str


class StoreOut(Schema):
    code: str
    name: str
    address: str
    phone: str
    allow_negative_stock: bool
    is_active: bool


class TerminalOut(Schema):
    name: str
    store: StoreOut


@router.get("/health", auth=None, response={200: HealthOut, 503: HealthOut})
def health(request: HttpRequest):
    """Is the service up and its database reachable? No key needed (for monitoring)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:
        database = "unreachable"
    healthy = database == "ok"
    body = {"status": "ok" if healthy else "error", "database": database, "version": __version__}
    return Status(200 if healthy else 503, body)


@router.get("/terminal", response=TerminalOut)
def terminal(request: HttpRequest):
    """The calling terminal: its name and the store its key belongs to."""
    return {"name": request.auth.name, "store": request.auth.store}


@router.get("/stores", response=list[StoreOut])
@paginate(Pagination)
def stores(request: HttpRequest):
    """The chain's active stores."""
    return Store.objects.filter(is_active=True)
