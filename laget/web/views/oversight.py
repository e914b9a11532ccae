"""The auditor's oversight pages in the web layer: emergency accesses whose review is overdue, and
the unusual-access report (it needs cases and teams, which the audit app may not import)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from laget.accounts.access import actor_required
from laget.accounts.actor import Actor
from laget.accounts.models import Role
from laget.audit.actions import Action, Purpose
from laget.audit.forms import ReportPeriodForm
from laget.audit.services import audit_record
from laget.core import clock
from laget.sharing import selectors as sharing
from laget.web.selectors.unusual import unusual_access_report


@actor_required([Role.AUDITOR])
def emergency_overdue(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Who opened what kind of information in an emergency, from which agency, and how long the
    source agency's leader has let the review wait. No case, person or entry content."""
    accesses = list(sharing.emergency_overdue().order_by("review_due", "created_at"))
    audit_record(action=Action.AUDIT_SEARCH, actor=actor, purpose=Purpose.TILSYN,
                 details={"view": "emergency_overdue", "results": len(accesses)})
    today = clock.today()
    rows = [(access, (today - access.review_due).days) for access in accesses]
    return render(request, "web/oversight/emergency_overdue.html", {"rows": rows})


@actor_required([Role.AUDITOR])
def unusual_access(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Reads outside the reader's bydel, many persons in a short time, and reads by someone on no
    team of an open case for the person, for a period (the last 30 days unless chosen)."""
    form = ReportPeriodForm(request.GET or ReportPeriodForm.defaults())
    report = None
    if form.is_valid():
        report = unusual_access_report(actor=actor, date_from=form.cleaned_data["date_from"],
                                       date_to=form.cleaned_data["date_to"])
    return render(request, "web/oversight/unusual_access.html", {"form": form, "report": report})
