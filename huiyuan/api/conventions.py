"""API.md's conventions: bearer API keys, one error shape, JSON-only bodies, Idempotency-Key."""

import functools
import json
import logging

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser
from ninja.security import HttpBearer

from huiyuan.api.services import authenticate_api_key
from huiyuan.core import idempotency
from huiyuan.core.errors import DomainError
from huiyuan.core.jsonbody import storable as json_storable

logger = logging.getLogger(__name__)


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer <key>`; the key's store becomes the request's store."""

    def authenticate(self, request: HttpRequest, token: str):
        cached = getattr(request, "_api_key", None)
        if cached is None:
            cached = request._api_key = authenticate_api_key(token)
        return cached


class JsonOnlyParser(Parser):
    """Bodies must be JSON with a JSON content type; anything else gets a stable error code."""

    def parse_body(self, request: HttpRequest):
        if request.content_type != "application/json":
            raise DomainError("UNSUPPORTED_MEDIA_TYPE")
        try:
            data = json.loads(request.body)
            storable = json_storable(data)
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            raise DomainError("MALFORMED_JSON") from None
        if not storable:
            raise DomainError(
                "MALFORMED_JSON", _("请求体含有无法保存的字符（NUL 或不成对的代理项）")
            )
        # Every body of the contract is an object; ninja would read `[]` or `"x"` as `{}` when all
        # of an operation's fields are optional.
        if not isinstance(data, dict):
            raise DomainError("VALIDATION_ERROR", fields={"__all__": _("请求体须为 JSON 对象")})
        return data


class Pagination(LimitOffsetPagination):
    """`?limit=&offset=` → `{"items": [...], "count": N}`. Both are bounded, so an absurd number
    is a 422 rather than an overflow in the database."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=200)
        offset: int = Field(0, ge=0, le=2**31 - 1)

    def __init__(self, **kwargs):
        super().__init__(max_limit=200, **kwargs)


class JsonMethodNotAllowedMiddleware:
    """ninja answers a wrong method with a plain-text 405; the API's callers get the error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and request.path_info.startswith("/api/"):
            allowed = response.get("Allow", "")
            response = error_response(DomainError("METHOD_NOT_ALLOWED"))
            response["Allow"] = allowed
        return response


def error_response(error: DomainError) -> JsonResponse:
    return JsonResponse(
        error.as_dict(), status=error.status, json_dumps_params={"ensure_ascii": False}
    )


def _validation_fields(errors: list[dict]) -> dict[str, str]:
    fields = {}
    for item in errors:
        location = [str(part) for part in item.get("loc", ()) if part not in ("body", "payload")]
        fields[".".join(location) or "__all__"] = item.get("msg", "")
    return fields


def install_error_handlers(api: NinjaAPI) -> None:
    """Every failure leaves as `{"error": {"code", "message", "fields"}}`."""

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return error_response(exc)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        return error_response(
            DomainError("VALIDATION_ERROR", fields=_validation_fields(exc.errors))
        )

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        return error_response(DomainError("AUTH_REQUIRED"))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        # ninja wraps parser failures in HttpError(400); our parser raised a DomainError inside.
        if isinstance(exc.__cause__, DomainError):
            return error_response(exc.__cause__)
        if isinstance(exc.__cause__, RequestDataTooBig):
            return error_response(DomainError("PAYLOAD_TOO_LARGE"))
        code = {401: "AUTH_REQUIRED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND"}.get(
            exc.status_code, "VALIDATION_ERROR"
        )
        return error_response(DomainError(code))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return error_response(DomainError("PAYLOAD_TOO_LARGE"))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error_response(DomainError("NOT_FOUND"))

    @api.exception_handler(Exception)
    def unexpected(request, exc):
        logger.exception("unhandled API error on %s %s", request.method, request.path)
        return error_response(DomainError("INTERNAL_ERROR"))


def idempotent(operation_run):
    """Apply with `@decorate_view(idempotent)` to a money- or points-moving POST.

    Wraps the whole operation (authentication, parsing, the view, serialisation) in one
    transaction with the idempotency record, so a refused request writes nothing.

    The caller is authenticated first, exactly as ninja will (`Bearer` only), so a stored answer
    is never replayed to a request the operation itself would refuse. A key is scoped to the
    caller and the route (`POST api/v1/members/<code>/…`); the concrete path is part of the
    request's fingerprint, so reusing a key on another path of the same route with the same body
    is IDEMPOTENCY_KEY_REUSED (409), like reusing it with another body.
    """

    @functools.wraps(operation_run)
    def run(request: HttpRequest, *args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return operation_run(request, *args, **kwargs)
        try:
            api_key = ApiKeyAuth()(request)  # cached on the request for ninja's own check
            if api_key is None:
                raise DomainError("AUTH_REQUIRED")
            body = request.body
        except DomainError as exc:
            return error_response(exc)
        except RequestDataTooBig:
            return error_response(DomainError("PAYLOAD_TOO_LARGE"))

        def action() -> idempotency.StoredResponse:
            response = operation_run(request, *args, **kwargs)
            return idempotency.StoredResponse(
                response.status_code, response["Content-Type"], response.content.decode()
            )

        try:
            stored = idempotency.run_once(
                caller=f"api_key:{api_key.pk}",
                endpoint=f"{request.method} {request.resolver_match.route}",
                key=key,
                fingerprint=idempotency.request_fingerprint(
                    body, request.META.get("QUERY_STRING", ""), request.path
                ),
                action=action,
            )
        except DomainError as exc:
            return error_response(exc)
        response = HttpResponse(
            stored.body, status=stored.status_code, content_type=stored.content_type
        )
        if stored.replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    return run
