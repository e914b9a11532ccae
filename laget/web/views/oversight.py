"""The auditor's oversight of the sharing engine: emergency accesses whose review is overdue."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from laget.accounts.access import actor_required
from laget.accounts.actor import Actor
from laget.accounts.models import Role
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.core import clock
from laget.sharing import selectors as sharing


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
