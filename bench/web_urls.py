"""The URLconf bench_web.py measures with: the project's own URLs, and before them one bare view
that returns a tiny response without touching the database itself — the baseline that pays only
Django's request path (the same middleware stack: session, user, second factor, CSRF, CSP,
messages, axes …), for the case page and the desk to be compared with in the same run.

Bench only: nothing in the project imports it (bench_web.py sets ROOT_URLCONF to it)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from laget.urls import handler400, handler403, handler404, handler500
from laget.urls import urlpatterns as project_urlpatterns

BARE_PATH = "/bench/bare/"


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain; charset=utf-8")


urlpatterns = [path(BARE_PATH.strip("/") + "/", bare, name="bench_bare"), *project_urlpatterns]

__all__ = ["BARE_PATH", "handler400", "handler403", "handler404", "handler500", "urlpatterns"]
