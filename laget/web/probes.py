"""Answers the operations URLs (laget.web.urls_operations: /healthz, /readyz and /metrics) first
in the middleware chain, by calling their views directly. The rest of the chain is for people: it
reads the session and the user (the database, so a probe during an outage would get the 503
page), logs out idle sessions, asks for the second factor, rate-limits, checks the Host header
against ALLOWED_HOSTS (a supervisor probes by address) and redirects to HTTPS (a probe on the
loopback speaks plain HTTP). The probes need none of it, and the request log and latency metrics
leave them out: a probe every few seconds would drown the requests that matter."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import resolve, reverse

from laget.web import urls_operations


class ProbeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._paths: frozenset[str] | None = None

    def paths(self) -> frozenset[str]:
        if self._paths is None:
            self._paths = frozenset(reverse(f"web:{pattern.name}")
                                    for pattern in urls_operations.urlpatterns)
        return self._paths

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in self.paths():
            return self.get_response(request)
        match = resolve(request.path_info)
        request.resolver_match = match
        return match.func(request, *match.args, **match.kwargs)  # type: ignore[no-any-return]
