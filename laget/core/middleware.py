"""Gives every request an id (echoed in the X-Request-ID response header) for audit events."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from laget.core import requestcontext


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = requestcontext.begin(ip_address=request.META.get("REMOTE_ADDR"),
                                     read_only=request.method in ("GET", "HEAD"))
        try:
            context = requestcontext.current()
            assert context is not None
            request.request_id = context.request_id  # type: ignore[attr-defined]
            response = self.get_response(request)
            response["X-Request-ID"] = context.request_id
            return response
        finally:
            requestcontext.end(token)
