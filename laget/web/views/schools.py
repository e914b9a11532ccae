"""The schools pages (issue 10): the school's overview (open incidents, activity plans due, the
ambulant team's requests and visits, forced changes), an incident report and its page, a request
to the ambulant team, the team's board and a request's page with its steps, a forced school change
(the sending school's full page; the receiving school's page with the decision's necessary parts),
the SaLTo coordinators' handovers, and the city's response-time statistics.

Pages for a school's staff are 403 for those who work for no school; an incident, request or
change that is not one's own is 404. Reads and writes (and their audit events) are
laget.schools'; the views parse, call and render."""

import datetime as dt
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from laget.accounts.access import Actor, actor_required
from laget.accounts.models import Role
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.people.models import Person
from laget.records.services import CASE_ROLES
from laget.schools import access, selectors, services
from laget.schools.models import (
    ChangeStatus,
    Incident,
    IncidentPupil,
    RequestStatus,
    School,
)
from laget.web.forms.schools import (
    PUPIL_ROWS,
    AmbulantRequestForm,
    AppealForm,
    AppealOutcomeForm,
    ChangeProposeForm,
    CloseForm,
    DecisionForm,
    HandoverForm,
    IncidentForm,
    StatementForm,
    TriageForm,
    VisitForm,
)

NOT_FOUND_PERSON = _("Fant ingen person med dette fødselsnummeret i Laget. Eleven må være "
                     "registrert av bydelen først.")


def _school(actor: Actor) -> School:
    school = access.school_of(actor)
    if school is None:
        raise PermissionDenied
    return school


def _person_by_number(number: str) -> Person | None:
    """A pupil named by fødselsnummer in the POST body (never in a URL); the service that uses
    the person audits it."""
    number = "".join(number.split())
    return Person.objects.filter(national_id=number).first() if number else None


# --- the overview --------------------------------------------------------------------------------

@actor_required(CASE_ROLES)
def overview(request: HttpRequest, actor: Actor) -> HttpResponse:
    if access.is_ambulant_team(actor):
        return redirect("web:schools_board")
    school = _school(actor)
    data = selectors.overview_for(actor=actor, school=school)
    received = selectors.changes_received_for(actor=actor, school=school)
    return render(request, "web/schools/overview.html", {
        "o": data, "received": received, "is_principal": access.is_principal_of(actor, school)})


# --- incidents -----------------------------------------------------------------------------------

@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    _school(actor)
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pupils = []
        for i in range(PUPIL_ROWS):
            number = data[f"pupil_{i}"].strip()
            if not number:
                continue
            person = _person_by_number(number)
            if person is None:
                form.add_error(f"pupil_{i}", NOT_FOUND_PERSON)
                continue
            pupils.append(services.Involvement(
                person, perpetrator=data[f"pupil_{i}_perpetrator"],
                victim=data[f"pupil_{i}_victim"], witness=data[f"pupil_{i}_witness"]))
        if not form.errors:
            occurred = data["occurred_at"]
            if occurred.tzinfo is None:
                occurred = occurred.replace(tzinfo=clock.OSLO)
            try:
                incident = services.incident_report(
                    actor=actor, occurred_at=occurred, kind=data["kind"],
                    description=data["description"], pupils=pupils,
                    staff_affected=data["staff_affected"], actions_taken=data["actions_taken"],
                    activity_plan_started=data["activity_plan_started"],
                    activity_plan_due=data["activity_plan_due"],
                    police_informed=data["police_informed"],
                    barnevern_informed=data["barnevern_informed"])
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Hendelsen er meldt."))
                return redirect("web:schools_incident", incident_id=incident.pk)
    return render(request, "web/schools/incident_form.html", {"form": form})


def _incident(actor: Actor, incident_id: uuid.UUID) -> Incident:
    try:
        return selectors.incident_get_for(actor=actor, incident_id=incident_id)
    except NotFound:
        raise Http404 from None


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def incident_detail(request: HttpRequest, actor: Actor, incident_id: uuid.UUID) -> HttpResponse:
    school = _school(actor)
    incident = _incident(actor, incident_id)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("op") == "close":
                services.incident_close(actor=actor, incident=incident)
                messages.success(request, _("Hendelsen er lukket."))
            elif request.POST.get("op") == "case_entry":
                row = IncidentPupil.objects.filter(
                    incident=incident, pk=request.POST.get("row") or None).first()
                if row is None:
                    raise DomainError(_("Ukjent elev."))
                services.incident_case_entry_add(actor=actor, incident=incident, row=row)
                messages.success(request, _("Hendelsen er ført i SaLTo-saken."))
            else:
                raise DomainError(_("Ukjent handling."))
        except (DomainError, ValueError) as exc:
            error = exc.message if isinstance(exc, DomainError) else _("Ugyldig valg.")
        else:
            return redirect("web:schools_incident", incident_id=incident.pk)
    return render(request, "web/schools/incident.html", {
        "incident": incident, "pending": selectors.incident_case_pending_for(
            actor=actor, incident=incident),
        "is_principal": access.is_principal_of(actor, school), "error": error,
        "requests": incident.ambulant_requests.all()})


# --- the ambulant team ---------------------------------------------------------------------------

@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def ambulant_request_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    school = _school(actor)
    if not access.is_principal_of(actor, school):
        raise PermissionDenied
    incidents = list(Incident.objects.filter(school=school, closed_at__isnull=True)
                     .order_by("-occurred_at")[:50])
    initial = {"incident": request.GET.get("hendelse", ""), "kind": "hendelse"}
    form = AmbulantRequestForm(request.POST or None, incidents=incidents, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        incident = next((i for i in incidents if str(i.pk) == data["incident"]), None)
        try:
            created = services.ambulant_request_create(
                actor=actor, kind=data["kind"], situation=data["situation"], incident=incident)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Det ambulante teamet har fått forespørselen."))
            return redirect("web:schools_request", request_id=created.pk)
    return render(request, "web/schools/request_form.html", {"form": form})


@actor_required(CASE_ROLES)
def board(request: HttpRequest, actor: Actor) -> HttpResponse:
    if not access.is_ambulant_team(actor):
        raise PermissionDenied
    return render(request, "web/schools/board.html", {
        "rows": selectors.ambulant_board(), "may_triage": access.may_triage(actor)})


_REQUEST_STEPS = {
    "triage": TriageForm, "dispatch": None, "arrive": None, "visit": VisitForm,
    "close": CloseForm,
}


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, actor: Actor, request_id: uuid.UUID) -> HttpResponse:
    if not (access.is_ambulant_team(actor) or access.school_of(actor)):
        raise PermissionDenied
    try:
        item = selectors.ambulant_request_get_for(actor=actor, request_id=request_id)
    except NotFound:
        raise Http404 from None
    team = access.is_ambulant_team(actor)
    op = request.POST.get("op", "") if request.method == "POST" else ""
    forms = {"triage": TriageForm(request.POST if op == "triage" else None),
             "visit": VisitForm(request.POST if op == "visit" else None,
                                initial={"visited_on": clock.today()}),
             "close": CloseForm(request.POST if op == "close" else None)}
    error = ""
    if request.method == "POST":
        if not team:
            raise PermissionDenied
        form = forms.get(op)
        if op not in _REQUEST_STEPS:
            error = _("Ukjent handling.")
        elif form is None or form.is_valid():
            data = form.cleaned_data if form is not None else {}
            try:
                if op == "triage":
                    services.ambulant_triage(actor=actor, request=item, urgency=data["urgency"],
                                             note=data["note"], decline=data["decline"])
                elif op == "dispatch":
                    services.ambulant_dispatch(actor=actor, request=item)
                elif op == "arrive":
                    services.ambulant_arrive(actor=actor, request=item)
                elif op == "visit":
                    services.ambulant_visit_add(actor=actor, request=item,
                                                visited_on=data["visited_on"], note=data["note"])
                else:
                    services.ambulant_close(actor=actor, request=item, measures=data["measures"],
                                            report=data["report"])
            except DomainError as exc:
                if form is not None:
                    form.add_error(None, exc.message)
                else:
                    error = exc.message
            else:
                messages.success(request, _("Lagret."))
                return redirect("web:schools_request", request_id=item.pk)
    return render(request, "web/schools/request.html", {
        "item": item, "team": team, "may_triage": access.may_triage(actor), "forms": forms,
        "error": error, "visits": item.visits.all(), "statuses": RequestStatus})


# --- statistics ----------------------------------------------------------------------------------

@actor_required()
def statistics_page(request: HttpRequest, actor: Actor | None) -> HttpResponse:
    since = clock.today() - dt.timedelta(days=365)
    return render(request, "web/schools/statistics.html", {
        "months": selectors.response_stats(since=since),
        "min_group": settings.LAGET_SCHOOL_STATS_MIN_GROUP,
        "min_cell": settings.LAGET_SCHOOL_MIN_CELL})


# --- forced school change ------------------------------------------------------------------------

@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def change_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    school = _school(actor)
    if not access.is_principal_of(actor, school):
        raise PermissionDenied
    incidents = list(Incident.objects.filter(school=school).order_by("-occurred_at")[:100])
    form = ChangeProposeForm(request.POST or None, school=school, incidents=incidents)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = _person_by_number(data["national_id"])
        if person is None:
            form.add_error("national_id", NOT_FOUND_PERSON)
        else:
            chosen = [i for i in incidents if str(i.pk) in set(data["incidents"])]
            try:
                change = services.change_propose(actor=actor, person=person,
                                                 to_school=data["to_school"],
                                                 grounds=data["grounds"], incidents=chosen)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Forslaget er registrert og sendt på høring."))
                return redirect("web:schools_change", change_id=change.pk)
    return render(request, "web/schools/change_form.html", {"form": form})


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def change_detail(request: HttpRequest, actor: Actor, change_id: uuid.UUID) -> HttpResponse:
    _school(actor)
    try:
        view = selectors.change_get_for(actor=actor, change_id=change_id)
    except NotFound:
        raise Http404 from None
    change = view.change
    principal = view.full and access.is_principal_of(actor, change.from_school)
    op = request.POST.get("op", "") if request.method == "POST" else ""
    forms = {
        "statement": StatementForm(request.POST if op == "statement" else None),
        "decide": DecisionForm(request.POST if op == "decide" else None),
        "appeal": AppealForm(request.POST if op == "appeal" else None),
        "outcome": AppealOutcomeForm(request.POST if op == "outcome" else None),
    }
    if request.method == "POST":
        if not principal or op not in forms:
            raise PermissionDenied
        form = forms[op]
        if form.is_valid():
            data = form.cleaned_data
            try:
                if op == "statement":
                    party = change.parties.filter(pk=data["party"]).first()
                    if party is None:
                        raise DomainError(_("Ukjent part."))
                    services.hearing_register(actor=actor, change=change, party=party,
                                              statement=data["statement"])
                elif op == "decide":
                    services.change_decide(
                        actor=actor, change=change, change_school=data["change_school"],
                        reasons=data["reasons"], effective_on=data["effective_on"],
                        measures_for_receiving=data["measures_for_receiving"])
                elif op == "appeal":
                    services.change_appeal(actor=actor, change=change,
                                           received_on=data["received_on"])
                else:
                    services.change_appeal_outcome(actor=actor, change=change,
                                                   upheld=data["upheld"],
                                                   decided_on=data["decided_on"])
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Lagret."))
                return redirect("web:schools_change", change_id=change.pk)
    parties = list(change.parties.select_related("guardian")) if view.full else []
    return render(request, "web/schools/change.html", {
        "view": view, "change": change, "principal": principal, "forms": forms,
        "parties": parties, "statuses": ChangeStatus})


@actor_required({Role.COORDINATOR, Role.LEADER})
@require_http_methods(["GET", "POST"])
def handovers(request: HttpRequest, actor: Actor) -> HttpResponse:
    rows = selectors.handovers_waiting_for(actor=actor)
    form = HandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        change = next((c for c, _case in rows if c.pk == form.cleaned_data["change"]), None)
        if change is None:
            raise Http404
        contact = next((u for u in services.receiving_contacts(change)
                        if u.pk == form.cleaned_data["contact"]), None)
        try:
            if contact is None:
                raise DomainError(_("Velg en kontaktperson ved den nye skolen."))
            services.handover_add_contact(actor=actor, change=change, contact=contact)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Kontaktpersonen ved den nye skolen er lagt til i "
                                        "teamet."))
            return redirect("web:schools_handovers")
    contacts = services.receiving_contacts_for(c for c, _case in rows)
    return render(request, "web/schools/handovers.html", {
        "rows": [(c, case, contacts[c.pk]) for c, case in rows], "form": form})
