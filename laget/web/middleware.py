"""The web's answers to a view over its rate limit (laget.core.ratelimit): a 429 page with
Retry-After, in the page layout, saying how long to wait; and to a database outage
(laget.core.outage): a 503 page with Retry-After that needs neither the database nor the
session."""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from laget.core.outage import RETRY_AFTER_SECONDS, database_unavailable
from laget.core.ratelimit import RateLimited
from laget.core.requestlog import method_name, route_name

logger = logging.getLogger("laget.web")


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception
                          ) -> HttpResponse | None:
        if not isinstance(exception, RateLimited):
            return None
        minutes = max(1, -(-exception.retry_after // 60))
        response = render(request, "web/errors/429.html", {"minutes": minutes}, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the static page, rendered without the request's context processors
    (they read the user and the session, which live in the database), or under /api/ a problem
    document (the API's own handler, laget.api.problems, answers the same inside the API; this
    one serves a failure in a middleware before it)."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"type": "about:blank", "title": "Service Unavailable", "status": 503,
             "detail": _("Tjenesten er midlertidig utilgjengelig. Prøv igjen om litt.")},
            status=503, content_type="application/problem+json",
            json_dumps_params={"ensure_ascii": False})
    else:
        html = render_to_string("web/errors/503.html", {
            "LANGUAGE_CODE": get_language(), "retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """A view that loses the database answers 503, not 500. A middleware that loses it (the
    session or the user, read before the view) ends in `handler500`, which answers the same
    (laget.web.views.pages.error_500): Django turns an exception into a response at each
    middleware, so no outer middleware would see it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception
                          ) -> HttpResponse | None:
        if not database_unavailable(exception):
            return None
        logger.error("Database unavailable on %s %s", method_name(request), route_name(request),
                     exc_info=exception)
        return database_unavailable_response(request)
