"""Laget's JSON API, version 1, mounted at /api/v1/ (OpenAPI docs at /api/v1/docs). A contract:
codes are stable, labels and explanations follow the request's language. Each app's router is
added here; errors are RFC 9457 problem details (laget.api.problems)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from laget.api.audit import router as audit_router
from laget.api.auth import install_auth_handlers
from laget.api.cases import cases_router, persons_router
from laget.api.concerns import router as concerns_router
from laget.api.fasttrack import router as fasttrack_router
from laget.api.notifications import router as notifications_router
from laget.api.notify import router as notify_router
from laget.api.parser import StorableTextParser
from laget.api.policing import router as policing_router
from laget.api.problems import install_problem_handlers, problem, problem_media_types
from laget.api.sharing import router as sharing_router


class LagetAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        """The schema with errors declared as the problem documents they are."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        problem_media_types(schema)
        return schema


api = LagetAPI(
    title="Laget API",
    version="1",
    description=(
        "Laget's JSON API. Errors are RFC 9457 problem details (application/problem+json); "
        "explanations follow Accept-Language (nb, en)."
    ),
    urls_namespace="api",
    docs_url="/docs",
    parser=StorableTextParser(),
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
api.add_router("/police", policing_router)
api.add_router("/fasttrack", fasttrack_router)


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other path under /api/: a problem document, not the HTML 404 page (nor, for a POST,
    the CSRF check's HTML 403: nothing is done here, and the API's clients send no cookies)."""
    return problem(404, _("Fant ikke det du ba om."))
