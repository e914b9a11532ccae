"""The auditor's view of the audit log: search (with a person found by number through a POST, so
the number never reaches a URL) and the export of a search to XLSX. The unusual-access report
needs cases and teams and lives in the web layer (laget.web.views.oversight)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from laget.accounts.access import Actor, actor_required
from laget.accounts.freshness import recent_auth_required
from laget.accounts.models import Role
from laget.audit.export import XLSX_CONTENT_TYPE, ExportTooLarge, audit_event_export
from laget.audit.forms import EventSearchForm, PersonLookupForm
from laget.audit.selectors import EventFilters, audit_event_search, audit_person_lookup
from laget.core.dbrouter import reads_from_replica


def _search_url(query: QueryDict, name: str = "audit:event_list") -> str:
    """The search (or its export) with these filters, from the first page."""
    query = query.copy()
    query.pop("side", None)
    encoded = query.urlencode()
    return reverse(name) + (f"?{encoded}" if encoded else "")


@actor_required([Role.AUDITOR])
@require_http_methods(["GET", "POST"])
def event_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    lookup = PersonLookupForm(request.POST or None)
    if request.method == "POST" and lookup.is_valid():
        person_id = audit_person_lookup(actor=actor, number=lookup.cleaned_data["national_id"])
        if person_id is not None:
            query = request.GET.copy()
            query["person"] = str(person_id)
            return redirect(_search_url(query))
        lookup.add_error("national_id", _("Fant ingen person med dette nummeret i Laget."))
    form = EventSearchForm(request.GET or None)
    page = None
    if not request.GET or form.is_valid():
        filters = form.filters() if request.GET else EventFilters()
        page = audit_event_search(actor=actor, filters=filters, page=request.GET.get("side", 1))
    return render(request, "audit/event_list.html", {
        "form": form, "lookup": lookup, "page": page,
        "export_url": _search_url(request.GET, name="audit:event_export"),
    })


@actor_required([Role.AUDITOR])
@require_GET
@recent_auth_required
@reads_from_replica
def event_export(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = EventSearchForm(request.GET or None)
    if request.GET and not form.is_valid():
        # the search page shows what is wrong with the filters
        return redirect(_search_url(request.GET))
    filters = form.filters() if request.GET else EventFilters()
    try:
        export = audit_event_export(actor=actor, filters=filters)
    except ExportTooLarge as error:
        messages.error(request, error.message)
        return redirect(_search_url(request.GET))
    return HttpResponse(export.content, content_type=XLSX_CONTENT_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{export.file_name}"',
        "Cache-Control": "no-store",
    })
