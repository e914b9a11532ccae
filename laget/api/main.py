"""Laget's JSON API, version 1, mounted at /api/v1/ (OpenAPI docs at /api/v1/docs). A contract:
codes are stable, labels and explanations follow the request's language. Each app's router is
added here; errors are RFC 9457 problem details (laget.api.problems)."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from laget.api.audit import router as audit_router
from laget.api.auth import install_auth_handlers
from laget.api.cases import cases_router, persons_router
from laget.api.concerns import router as concerns_router
from laget.api.notifications import router as notifications_router
from laget.api.notify import router as notify_router
from laget.api.problems import install_problem_handlers, problem
from laget.api.sharing import router as sharing_router

api = NinjaAPI(
    title="Laget API",
    version="1",
    description=(
        "Laget's JSON API. Errors are RFC 9457 problem details (application/problem+json); "
        "explanations follow Accept-Language (nb, en)."
    ),
    urls_namespace="api",
    docs_url="/docs",
)
install_problem_handlers(api)
install_auth_handlers(api)
api.add_router("/sharing/", sharing_router)
api.add_router("/audit/", audit_router)
api.add_router("/notify/", notify_router)
# For agencies' own systems, with API client tokens (laget.api.auth) and idempotency keys.
api.add_router("/concerns", concerns_router)
api.add_router("/notifications/", notifications_router)
api.add_router("/cases", cases_router)
api.add_router("/persons", persons_router)


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other path under /api/: a problem document, not the HTML 404 page."""
    return problem(404, _("Fant ikke det du ba om."))
