"""The coordinator's consent proposals on the case's consent page: prepare one for the family to
give digitally on the family pages, or take it back. Thin: laget.sharing.proposals checks and
audits."""

import datetime as dt
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from laget.accounts.access import Actor, actor_required
from laget.audit.actions import Purpose
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.records.models import Case
from laget.records.services import CASE_ROLES, is_district_coordinator
from laget.sharing import proposals
from laget.sharing import selectors as sharing
from laget.web.forms.consent_proposals import ConsentProposalForm

#: Consents are records of agreed follow-up (as on the other consent pages).
PURPOSE = Purpose.OPPFOLGING


def _case(actor: Actor, case_id: uuid.UUID) -> Case:
    try:
        return sharing.case_get_for(actor=actor, case_id=case_id, purpose=PURPOSE)
    except NotFound:
        raise Http404 from None


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def consent_proposal_create(request: HttpRequest, actor: Actor,
                            case_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id)
    if not is_district_coordinator(actor, case.district_id):
        raise PermissionDenied
    today = clock.today()
    form = ConsentProposalForm(request.POST or None, initial={
        "purposes": [Purpose.FOREBYGGING], "valid_from": today,
        "valid_to": today + dt.timedelta(days=365),
    })
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposals.consent_propose(
                actor=actor, case=case, given_by=data["given_by"],
                categories=data["categories"], recipients=data["recipients"],
                purposes=data["purposes"], valid_from=data["valid_from"],
                valid_to=data["valid_to"], youth_view=data["youth_view"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Forslaget er klart. Familien ser det når de logger inn "
                                        "på familiesiden."))
            return redirect("web:consent_list", case_id=case.pk)
    return render(request, "web/cases/consent_proposal_form.html",
                  {"case": case, "form": form, "may_write": case.is_open})


@actor_required(CASE_ROLES)
@require_POST
def consent_proposal_withdraw(request: HttpRequest, actor: Actor, case_id: uuid.UUID,
                              proposal_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id)
    try:
        proposal = proposals.consent_proposal_get_for(actor=actor, case=case,
                                                      proposal_id=proposal_id)
        proposals.consent_proposal_withdraw(actor=actor, proposal=proposal)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Forslaget er trukket. Familien ser det ikke lenger."))
    return redirect("web:consent_list", case_id=case.pk)
