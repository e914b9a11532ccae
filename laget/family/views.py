"""The family's pages under /familie/: the citizen's login (laget.family.oidc), the persons they
may see, the plan, consents with withdrawal, and innsyn. Thin: each view checks the citizen's
session, calls one selector or service (which audits) and renders."""

import functools
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from laget.audit import innsyn
from laget.audit.actions import Action, Outcome, Purpose
from laget.audit.services import audit_record
from laget.core.errors import DomainError, NotFound
from laget.family import oidc, selectors, services
from laget.family.citizen import (
    Citizen,
    citizen_from_session,
    citizen_session_end,
    citizen_session_start,
)
from laget.sharing.engine import context_at

View = Callable[..., HttpResponseBase]


def citizen_required(view: View) -> View:
    """Only a logged-in citizen; anyone else (staff included) goes to the family start page.
    A person or consent the citizen may not see gets the one «no access» page."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        citizen = citizen_from_session(request) if oidc.family_login_enabled() else None
        if citizen is None:
            return redirect("family:start")
        try:
            return view(request, citizen, *args, **kwargs)
        except NotFound:  # the same words whatever the reason, and whether or not it exists
            return render(request, "family/no_access.html", status=404)

    return wrapped


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    enabled = oidc.family_login_enabled()
    citizen = citizen_from_session(request) if enabled else None
    persons = selectors.family_start_for(citizen=citizen) if citizen is not None else []
    return render(request, "family/start.html", {
        "enabled": enabled, "citizen": citizen, "persons": persons,
    })


@require_GET
def login_start(request: HttpRequest) -> HttpResponseBase:
    if not oidc.family_login_enabled():
        return redirect("family:start")
    redirect_uri = request.build_absolute_uri(reverse("family:login_callback"))
    try:
        return oidc.family_authorize_redirect(request=request, redirect_uri=redirect_uri)
    except oidc.FamilyLoginRefused as refusal:
        return _refused(request, refusal)


@require_GET
def login_callback(request: HttpRequest) -> HttpResponseBase:
    if not oidc.family_login_enabled():
        return redirect("family:start")
    try:
        claims = oidc.family_claims_from_callback(request=request)
    except oidc.FamilyLoginRefused as refusal:
        return _refused(request, refusal)
    citizen_session_start(request=request, pid=claims.pid, acr=claims.acr)
    audit_record(action=Action.FAMILY_LOGIN, actor=None, purpose=Purpose.INNLOGGING,
                 details={**selectors.login_audit_details(pid=claims.pid), "acr": claims.acr})
    return redirect("family:start")


def _refused(request: HttpRequest, refusal: oidc.FamilyLoginRefused) -> HttpResponse:
    audit_record(action=Action.FAMILY_LOGIN_REFUSED, actor=None, outcome=Outcome.DENIED,
                 purpose=Purpose.INNLOGGING,
                 details={"via": "familie", "reason": refusal.reason, "detail": refusal.detail})
    return render(request, "family/refused.html", {"message": refusal.message}, status=403)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    citizen_session_end(request)
    return redirect("family:start")


@require_GET
@citizen_required
def person(request: HttpRequest, citizen: Citizen, person_id: uuid.UUID) -> HttpResponse:
    access = selectors.family_access_get(citizen=citizen, person_id=person_id, view="plan")
    plan = selectors.family_plan_for(access=access)
    consents = selectors.family_consents_for(access=access)
    proposals = selectors.family_proposals_for(access=access)
    return render(request, "family/person.html", {
        "access": access, "person": access.person, "plan": plan, "consents": consents,
        "proposals": proposals,
    })


@require_http_methods(["GET", "POST"])
@citizen_required
def consent_withdraw(request: HttpRequest, citizen: Citizen, person_id: uuid.UUID,
                     consent_id: uuid.UUID) -> HttpResponse:
    access = selectors.family_access_get(citizen=citizen, person_id=person_id, view="consent")
    consent = selectors.family_consent_get(access=access, consent_id=consent_id)
    if request.method == "POST":
        try:
            services.family_consent_withdraw(access=access, consent=consent)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Samtykket er trukket tilbake. Det gjelder fra nå."))
        return redirect("family:person", person_id=access.person.pk)
    return render(request, "family/withdraw.html", {
        "access": access, "person": access.person, "consent": consent,
    })


@require_http_methods(["GET", "POST"])
@citizen_required
def consent_proposal(request: HttpRequest, citizen: Citizen, person_id: uuid.UUID,
                     proposal_id: uuid.UUID) -> HttpResponse:
    """The proposal in plain words; the page is the confirm step, its buttons POST the answer."""
    access = selectors.family_access_get(citizen=citizen, person_id=person_id,
                                         view="consent_proposal")
    proposal = selectors.family_proposal_get(access=access, proposal_id=proposal_id)
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer not in ("accept", "decline"):
            messages.error(request, _("Velg om du samtykker eller ikke."))
            return redirect("family:consent_proposal", person_id=access.person.pk,
                            proposal_id=proposal.pk)
        try:
            answered = services.family_consent_proposal_answer(
                access=access, proposal=proposal, accepted=answer == "accept")
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if answered.consent_id is not None:
                messages.success(request, _("Takk. Samtykket gjelder fra nå, og teamet har fått "
                                            "beskjed."))
            elif answer == "accept":
                messages.success(request, _("Takk. Samtykket gjelder når alle som må samtykke, "
                                            "har sagt ja."))
            else:
                messages.success(request, _("Du har sagt nei. Ingenting blir delt på grunnlag "
                                            "av forslaget, og koordinatoren har fått beskjed."))
        return redirect("family:person", person_id=access.person.pk)
    return render(request, "family/proposal.html", {
        "access": access, "person": access.person, "proposal": proposal,
    })


@require_GET
@citizen_required
def innsyn_report(request: HttpRequest, citizen: Citizen, person_id: uuid.UUID) -> HttpResponse:
    access = selectors.family_access_get(citizen=citizen, person_id=person_id, view="innsyn")
    report = selectors.family_innsyn_for(access=access)
    citations = {rule.rule_id: rule.citation for rule in context_at().rules if rule.citation}
    return render(request, "family/innsyn.html", {
        "access": access, "person": access.person, "report": report,
        "rows": [(line, ", ".join(citations.get(b, b) for b in line.basis))
                 for line in report.lines],
        "site": request.build_absolute_uri("/").rstrip("/"),
        "proof_form": innsyn.PROOF_PATH.format(index="N", size="S"),
        "checkpoint_path": innsyn.CHECKPOINT_PATH,
        "key_path": innsyn.KEY_PATH,
    })
