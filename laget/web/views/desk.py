"""The SaLTo coordinator's desk, the agency's open tasks, and the case search.

The search takes its query from a POST body and renders the results from that POST: a
fødselsnummer never appears in a URL, a redirect or the browser's history."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from laget.accounts.access import Actor, actor_required
from laget.cases import selectors_desk
from laget.core.ratelimit import by_user, rate_limited_view
from laget.records.services import CASE_ROLES
from laget.sharing.selectors import SEARCH_LIMIT, case_search_for
from laget.web.forms.concerns import CaseSearchForm


@actor_required(selectors_desk.DESK_ROLES)
def desk(request: HttpRequest, actor: Actor) -> HttpResponse:
    if not selectors_desk.may_use_desk(actor):
        raise PermissionDenied
    return render(request, "web/desk/desk.html", {"desk": selectors_desk.desk_for(actor=actor)})


@actor_required(CASE_ROLES)
def agency_tasks(request: HttpRequest, actor: Actor) -> HttpResponse:
    page = selectors_desk.agency_tasks_for(actor=actor, page=request.GET.get("side", 1))
    return render(request, "web/desk/tasks.html", {"page": page})


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
@rate_limited_view("search", by=by_user)
def case_search(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = CaseSearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = case_search_for(actor=actor, name=form.cleaned_data["name"],
                                  national_id=form.cleaned_data["national_id"])
    response = render(request, "web/desk/search.html", {"form": form, "results": results,
                                          "limit": SEARCH_LIMIT})
    # The results page may hold a number the user typed: never keep it in a cache.
    response["Cache-Control"] = "no-store"
    return response
