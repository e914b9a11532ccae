"""The web's answer to a view over its rate limit (laget.core.ratelimit): a 429 page with
Retry-After, in the page layout, saying how long to wait."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from laget.core.ratelimit import RateLimited


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
