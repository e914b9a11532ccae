"""Errors of the JSON API as RFC 9457 problem details (`application/problem+json`): `type`,
`title`, `status`, `detail`, and `errors` (one per field) for invalid input. Invalid input is
always 400, never ninja's default 422 shape, and no error escapes as an HTML page."""

import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.db.utils import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from laget.api.parser import UnstorableText
from laget.core.errors import DomainError, NotFound
from laget.core.outage import RETRY_AFTER_SECONDS
from laget.core.ratelimit import RateLimited
from laget.core.requestlog import method_name, route_name

logger = logging.getLogger("laget.api")

PROBLEM_JSON = "application/problem+json"


class FieldError(Schema):
    field: str
    pointer: str
    detail: str


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldError] | None = None


PROBLEM_REF = "#/components/schemas/Problem"


def problem_media_types(schema: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI document with every response that is a `Problem` declared as
    `application/problem+json`, the type it is sent as (ninja declares each response with the
    renderer's `application/json`)."""
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for response in (operation.get("responses") or {}).values():
                content = response.get("content") or {}
                body = content.get("application/json")
                if body is not None and body.get("schema", {}).get("$ref") == PROBLEM_REF:
                    response["content"] = {PROBLEM_JSON: content.pop("application/json"),
                                           **content}
    return schema


def problem(
    status: int, detail: str = "", *, errors: list[dict[str, str]] | None = None
) -> HttpResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": HTTPStatus(status).phrase,
                            "status": status}
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    return JsonResponse(body, status=status, content_type=PROBLEM_JSON,
                        json_dumps_params={"ensure_ascii": False})


def _field_errors(exc: ValidationError) -> list[dict[str, str]]:
    errors = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        # ("body", "<parameter>", "field", ...) for a JSON body; ("query", "field") for a query
        path = loc[2:] if loc[:1] == ["body"] else loc[1:]
        errors.append({
            "field": ".".join(path) or (loc[0] if loc else "body"),
            "pointer": "#/" + "/".join(path),
            "detail": str(error.get("msg", "invalid")),
        })
    return errors


def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = _field_errors(exc)
    fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
    return problem(400, _("Ugyldig eller manglende verdi i: %(fields)s") % {"fields": fields},
                   errors=errors)


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    status = 400 if exc.status_code == 422 else exc.status_code
    # ninja answers any failure of the body parser with its own English words; the parser's own
    # refusal (laget.api.parser) says what is wrong.
    cause = exc.__cause__
    return problem(status, cause.message if isinstance(cause, UnstorableText) else str(exc))


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(404, _("Fant ikke det du ba om."))


def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(403, _("Du har ikke tilgang til dette."))


def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return problem(404 if isinstance(exc, NotFound) else 400, exc.message)


def _too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(413, _("Forespørselen er for stor."))


def _suspicious(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(400, _("Forespørselen kunne ikke leses."))


def _database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The database unreachable (laget.core.outage): 503 with Retry-After. A retry under the
    same Idempotency-Key is safe: it replays the answer if the call did commit after all."""
    logger.error("Database unavailable on %s %s", method_name(request), route_name(request),
                 exc_info=exc)
    response = problem(503, _("Tjenesten er midlertidig utilgjengelig. Prøv igjen om litt."))
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", method_name(request), route_name(request))
    return problem(500, _("Noe gikk galt. Feilen er logget."))


def _unauthorized(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = problem(401, _("Du må logge inn eller oppgi en gyldig nøkkel."))
    response["WWW-Authenticate"] = "Bearer"
    return response


def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = problem(429, _("For mange forespørsler. Prøv igjen om %(seconds)s sekunder.")
                       % {"seconds": exc.retry_after})
    response["Retry-After"] = str(exc.retry_after)
    return response


def install_problem_handlers(api: NinjaAPI) -> None:
    api.add_exception_handler(AuthenticationError, _unauthorized)
    api.add_exception_handler(ValidationError, _validation)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(PermissionDenied, _forbidden)
    api.add_exception_handler(DomainError, _domain_error)
    # A body over DATA_UPLOAD_MAX_MEMORY_SIZE (was a 500, found by tests/fuzz).
    api.add_exception_handler(RequestDataTooBig, _too_big)
    api.add_exception_handler(SuspiciousOperation, _suspicious)
    api.add_exception_handler(RateLimited, _rate_limited)
    api.add_exception_handler(OperationalError, _database_unavailable)
    api.add_exception_handler(InterfaceError, _database_unavailable)
    api.add_exception_handler(Exception, _unexpected)
