"""The probes of a process supervisor or load balancer: `/healthz` (the process answers; no
database) and `/readyz` (the database answers, its migrations are applied, the audit sequencer and
the notify outbox keep up). Both are answered by `laget.web.probes.ProbeMiddleware` before any
other middleware, so neither a login, the second factor, the idle timeout, a rate limit, the host
check nor the HTTPS redirect stands in their way, and a database outage does not turn /healthz into
a 503. Neither says more than a check's name and reason: the numbers are in /metrics."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from laget.web.selectors.operations import readiness


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    return _no_store(HttpResponse("ok", content_type="text/plain; charset=utf-8"))


@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    checks = readiness()
    ready = all(check.ok for check in checks)
    body = {"status": "ready" if ready else "unready",
            "checks": {check.name: "ok" if check.ok else check.reason for check in checks}}
    return _no_store(JsonResponse(body, status=200 if ready else 503))
