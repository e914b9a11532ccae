"""One log line per request on the `laget.request` logger (INFO): the route's name — the URL
pattern's name, never the path, which may hold ids, nor the query string — the method, the
status and the duration, with the request id (laget.core.requestcontext). Put after
`RequestContextMiddleware`, so the request id is set. Static files (WhiteNoise, before it) and the
probes (laget.web.probes, first) are left out."""

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from laget.core import requestcontext

logger = logging.getLogger("laget.request")

#: any other method is named «other», so a client cannot make up label values or log fields
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
#: the route of a request no URL pattern matched (a 404, or an answer before resolving)
UNMATCHED = "unmatched"


def route_name(request: HttpRequest) -> str:
    """The matched URL pattern's name with its namespace (`web:case_detail`); for a pattern
    without a name the view's dotted path, which is as bounded."""
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else UNMATCHED


def method_name(request: HttpRequest) -> str:
    method = (request.method or "").upper()
    return method if method in METHODS else "other"


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        route, method = route_name(request), method_name(request)
        context = requestcontext.current()
        logger.info("%s %s %s %.1f ms", method, route, response.status_code, duration_ms,
                    extra={"route": route, "method": method, "status": response.status_code,
                           "duration_ms": duration_ms,
                           "request_id": context.request_id if context else None})
        return response


class PathAsRoute(logging.Filter):
    """On Django's own `django.request` and `django.security` loggers, whose lines end with the
    request's path («Internal Server Error: /saker/…/»): the path is replaced by the method and
    the route's name, as in the request log. A path holds only ids, but ids of persons' cases are
    what an outsider must not learn from a log either."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if path and isinstance(record.args, tuple) and record.args:
            paths = {path, path.encode("unicode_escape").decode("ascii")}
            named = f"{method_name(request)} {route_name(request)}"
            record.args = tuple(named if isinstance(arg, str) and arg in paths else arg
                                for arg in record.args)
        return True
