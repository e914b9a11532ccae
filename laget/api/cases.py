"""Cases, their team, plan and entries, and persons, for an agency's own system. The client acts as
its service user (laget.apiclients): it sees what that user would see on the web — the cases whose
team it is on (a bydel client with a coordinator membership: the bydel's cases), the entries the
sharing engine lets it read, every read and write audited by the same selectors and services as
the web pages, plus one `api.call` event naming the client.

Lists are paged by cursor (`?cursor=…&limit=…`, newest first; `next_cursor` is null on the last
page). A person's number goes in a POST body, never in a URL."""

import datetime as dt
import uuid

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from laget.accounts.models import Agency
from laget.api.auth import api_actor, audited, callers
from laget.api.idempotency import OPENAPI_PARAMETERS, idempotent, json_response
from laget.api.problems import Problem, problem
from laget.apiclients.models import Scope
from laget.cases import plan as plan_services
from laget.cases.selectors_plan import PlanPanel, TaskRow, plan_panel_for
from laget.core.errors import DomainError
from laget.core.keyset import DEFAULT_LIMIT, MAX_LIMIT
from laget.records.models import Case
from laget.records.vocabulary import InfoCategory, SharingPurpose
from laget.sharing import persons, selectors, services
from laget.sharing.selectors import ShownEntry

#: cases and entries are read for coordinated follow-up, as on the case page
PURPOSE = SharingPurpose.FOREBYGGING

cases_router = Router(tags=["cases"])
persons_router = Router(tags=["persons"])

ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem}


class PageQuery(Schema):
    cursor: str | None = Field(None, max_length=200,
                               description="The `next_cursor` of the previous page.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class PersonRef(Schema):
    id: uuid.UUID
    given_name: str
    family_name: str
    birth_date: dt.date


class TeamOut(Schema):
    items: list["TeamMemberOut"]


class CaseSummary(Schema):
    id: uuid.UUID
    person: PersonRef
    district: str
    district_name: str
    status: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None


class CasePage(Schema):
    items: list[CaseSummary]
    next_cursor: str | None


class TeamMemberOut(Schema):
    user_name: str
    agency: uuid.UUID
    agency_name: str
    agency_type: str
    team_role: str
    is_contact: bool
    joined_on: dt.date


class TaskOut(Schema):
    id: uuid.UUID
    title: str
    agency: uuid.UUID
    agency_name: str
    assignee_name: str | None
    due_on: dt.date | None
    status: str
    overdue: bool
    goal: uuid.UUID | None


class GoalOut(Schema):
    id: uuid.UUID
    title: str
    tasks: list[TaskOut]


class PlanOut(Schema):
    version: int
    goals: list[GoalOut]
    tasks: list[TaskOut] = Field(description="Tasks not under a goal.")


class TaskIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    due_on: dt.date | None = None
    family_visible: bool = True


class EntryOut(Schema):
    id: uuid.UUID
    case: uuid.UUID
    source_agency: uuid.UUID
    source_agency_name: str
    category: str
    purpose: str
    text: str
    created_at: dt.datetime
    basis: str = Field(description="own, rule or consent: why the caller may read it.")
    rule_id: str | None


class EntryPage(Schema):
    items: list[EntryOut]
    next_cursor: str | None


class EntryIn(Schema):
    model_config = ConfigDict(extra="forbid")

    category: str = Field(description="An information category code (see the sharing guide).")
    text: str = Field(min_length=1, max_length=20_000)


class PersonLookupIn(Schema):
    model_config = ConfigDict(extra="forbid")

    national_id: str = Field(pattern=r"^[0-9]{11}$",
                             description="Fødselsnummer or D-number (11 digits).")


class PersonOut(PersonRef):
    district: str | None
    has_open_case: bool = Field(description="Whether the caller may open an open case for them.")


# --- shaping -------------------------------------------------------------------------------------

def _case_out(case: Case) -> CaseSummary:
    person = case.person
    return CaseSummary(
        id=case.pk, person=PersonRef(id=person.pk, given_name=person.given_name,
                                     family_name=person.family_name,
                                     birth_date=person.birth_date),
        district=case.district_id, district_name=case.district.name, status=case.status,
        opened_at=case.created_at, closed_at=case.closed_at)


def _task_out(row: TaskRow) -> TaskOut:
    task = row.task
    return TaskOut(id=task.pk, title=task.title, agency=task.agency_id,
                   agency_name=task.agency.name,
                   assignee_name=task.assignee.get_full_name() if task.assignee else None,
                   due_on=task.due_on, status=task.status, overdue=row.overdue,
                   goal=task.goal_id)


def _plan_out(panel: PlanPanel | None) -> PlanOut:
    if panel is None:
        return PlanOut(version=0, goals=[], tasks=[])
    return PlanOut(
        version=panel.version,
        goals=[GoalOut(id=g.goal.pk, title=g.goal.title, tasks=[_task_out(t) for t in g.tasks])
               for g in panel.goals],
        tasks=[_task_out(t) for t in panel.tasks])


def _entry_out(shown: ShownEntry) -> EntryOut:
    entry, decision = shown.entry, shown.decision
    return EntryOut(id=entry.pk, case=entry.case_id, source_agency=entry.source_agency_id,
                    source_agency_name=entry.source_agency.name, category=entry.category,
                    purpose=entry.purpose, text=entry.text, created_at=entry.created_at,
                    basis=decision.basis,
                    rule_id=decision.rule.rule_id if decision.rule else None)


def _case(request: HttpRequest, case_id: uuid.UUID) -> Case:
    case = selectors.case_get_for(actor=api_actor(request), case_id=case_id, purpose=PURPOSE)
    request.audit_persons = [case.person_id]  # type: ignore[attr-defined]
    return case


# --- cases ---------------------------------------------------------------------------------------

@cases_router.get("", response={200: CasePage, **ERRORS}, url_name="api_case_list",
                  operation_id="case_list", summary="Cases the client may open",
                  auth=callers(Scope.CASES_READ))
@audited
def case_list(request: HttpRequest, page: Query[PageQuery]) -> HttpResponse:
    result = selectors.case_page_for(actor=api_actor(request), cursor=page.cursor,
                                     limit=page.limit)
    return json_response(200, CasePage(items=[_case_out(c) for c in result.items],
                                       next_cursor=result.next_cursor))


@cases_router.get("/{uuid:case_id}", response={200: CaseSummary, **ERRORS},
                  url_name="api_case_get", operation_id="case_get", summary="A case's summary",
                  auth=callers(Scope.CASES_READ))
@audited
def case_get(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    return json_response(200, _case_out(_case(request, case_id)))


@cases_router.get("/{uuid:case_id}/team", response={200: TeamOut, **ERRORS},
                  url_name="api_case_team", operation_id="case_team",
                  summary="The case's team as the client may see it",
                  auth=callers(Scope.CASES_READ))
@audited
def case_team(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id)
    members = selectors.team_for(actor=api_actor(request), case=case, purpose=PURPOSE)
    rows = [TeamMemberOut(user_name=m.user.get_full_name(), agency=m.agency_id,
                          agency_name=m.agency.name, agency_type=m.agency.type,
                          team_role=m.team_role, is_contact=m.is_contact, joined_on=m.joined_on)
            for m in members]
    return json_response(200, TeamOut(items=rows))


@cases_router.get("/{uuid:case_id}/plan", response={200: PlanOut, **ERRORS},
                  url_name="api_case_plan", operation_id="case_plan",
                  summary="The case's plan: goals and tasks the client may see",
                  auth=callers(Scope.CASES_READ))
@audited
def case_plan(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id)
    return json_response(200, _plan_out(plan_panel_for(actor=api_actor(request), case=case)))


@cases_router.post(
    "/{uuid:case_id}/tasks", response={201: TaskOut, **ERRORS, 409: Problem, 422: Problem},
    url_name="api_task_create", operation_id="task_create",
    summary="Add a task for the client's own agency to the case's plan",
    description="Requires an `Idempotency-Key` header.", openapi_extra=OPENAPI_PARAMETERS,
    auth=callers(Scope.TASKS_WRITE))
@audited
@idempotent
def task_create(request: HttpRequest, case_id: uuid.UUID, payload: TaskIn) -> HttpResponse:
    actor = api_actor(request)
    case = _case(request, case_id)
    agency = Agency.objects.get(pk=actor.membership.agency_id)  # type: ignore[union-attr]
    task = plan_services.task_create(actor=actor, case=case, title=payload.title, agency=agency,
                                     due_on=payload.due_on,
                                     family_visible=payload.family_visible)
    return json_response(201, TaskOut(
        id=task.pk, title=task.title, agency=agency.pk, agency_name=agency.name,
        assignee_name=None, due_on=task.due_on, status=task.status, overdue=False, goal=None))


# --- entries -------------------------------------------------------------------------------------

@cases_router.get("/{uuid:case_id}/entries", response={200: EntryPage, **ERRORS},
                  url_name="api_entry_list", operation_id="entry_list",
                  summary="The case's entries the client may read, newest first",
                  auth=callers(Scope.ENTRIES_READ))
@audited
def entry_list(request: HttpRequest, case_id: uuid.UUID, page: Query[PageQuery]
               ) -> HttpResponse:
    case = _case(request, case_id)
    result, shown = selectors.case_entries_page_for(
        actor=api_actor(request), case=case, purpose=PURPOSE, cursor=page.cursor,
        limit=page.limit)
    return json_response(200, EntryPage(items=[_entry_out(s) for s in shown],
                                        next_cursor=result.next_cursor))


@cases_router.get("/{uuid:case_id}/entries/{uuid:entry_id}", response={200: EntryOut, **ERRORS},
                  url_name="api_entry_get", operation_id="entry_get", summary="One entry",
                  auth=callers(Scope.ENTRIES_READ))
@audited
def entry_get(request: HttpRequest, case_id: uuid.UUID, entry_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id)
    shown = selectors.entry_get_for(actor=api_actor(request), case=case, entry_id=entry_id,
                                    purpose=PURPOSE)
    return json_response(200, _entry_out(shown))


@cases_router.post(
    "/{uuid:case_id}/entries", response={201: EntryOut, **ERRORS, 409: Problem, 422: Problem},
    url_name="api_entry_create", operation_id="entry_create",
    summary="Add an entry from the client's agency to the case",
    description="Requires an `Idempotency-Key` header.", openapi_extra=OPENAPI_PARAMETERS,
    auth=callers(Scope.ENTRIES_WRITE))
@audited
@idempotent
def entry_create(request: HttpRequest, case_id: uuid.UUID, payload: EntryIn) -> HttpResponse:
    if payload.category not in InfoCategory.values:
        raise DomainError(_("Ukjent kategori."), code="category")
    actor = api_actor(request)
    case = _case(request, case_id)
    entry = services.entry_add(actor=actor, case=case, category=payload.category,
                               text=payload.text, purpose=PURPOSE)
    return json_response(201, EntryOut(
        id=entry.pk, case=case.pk, source_agency=entry.source_agency_id,
        source_agency_name=entry.source_agency.name, category=entry.category,
        purpose=entry.purpose, text=entry.text, created_at=entry.created_at, basis="own",
        rule_id=None))


# --- persons -------------------------------------------------------------------------------------

@persons_router.post("/lookup", response={200: PersonOut, **ERRORS},
                     url_name="api_person_lookup", operation_id="person_lookup",
                     summary="Look a person up by number, within what the client may see",
                     description=("The number is in the body, never the URL. 404 when the "
                                  "person is not registered or not visible to the client: "
                                  "the two are not told apart."),
                     auth=callers(Scope.PERSONS_READ))
@audited
def person_lookup(request: HttpRequest, payload: PersonLookupIn) -> HttpResponse:
    actor = api_actor(request)
    person = persons.person_find_by_number_for(actor=actor, number=payload.national_id)
    if person is None:
        return problem(404, _("Fant ingen person med dette nummeret som klienten har tilgang "
                              "til."))
    request.audit_persons = [person.pk]  # type: ignore[attr-defined]
    return json_response(200, PersonOut(
        id=person.pk, given_name=person.given_name, family_name=person.family_name,
        birth_date=person.birth_date, district=person.district_id,
        has_open_case=selectors.case_open_for_person(actor=actor, person_id=person.pk)
        is not None))
