"""The auditor's view of the audit log."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from laget.accounts.access import Actor, actor_required
from laget.accounts.models import Role
from laget.audit.forms import EventSearchForm
from laget.audit.selectors import audit_event_search


@actor_required([Role.AUDITOR])
def event_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = EventSearchForm(request.GET or None)
    page = None
    if not request.GET or form.is_valid():
        filters = form.cleaned_data if request.GET else {}
        page = audit_event_search(
            actor=actor,
            action=filters.get("action", ""),
            username=filters.get("username", ""),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            page=request.GET.get("side", 1),
        )
    return render(request, "audit/event_list.html", {"form": form, "page": page})
