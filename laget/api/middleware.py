"""The API answers every error as problem+json, including the 405 that django-ninja writes itself
(as plain text) when an operation exists for the path but not for the method."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _

from laget.api.problems import PROBLEM_JSON, problem

API_PREFIX = "/api/"


class ProblemMethodNotAllowedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (response.status_code == 405 and request.path.startswith(API_PREFIX)
                and response.get("Content-Type") != PROBLEM_JSON):
            allowed = response.get("Allow", "")
            response = problem(405, _("Metoden er ikke tillatt her. Tillatt: %(methods)s")
                               % {"methods": allowed})
            response["Allow"] = allowed
        return response
