"""The coordinator's desk, the start page's figures and the agency's open tasks: what each holds,
what it leaves out (confidential agencies, other bydeler), its audit event and its query count."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from laget.accounts.actor import Actor
from laget.accounts.tests.factories import AgencyFactory
from laget.areas.models import District
from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.cases import concerns
from laget.cases import selectors_desk as desk
from laget.cases.models import (
    CaseStatusChange,
    Handover,
    HandoverConfirmation,
    Meeting,
    MeetingStatus,
    Task,
)
from laget.cases.plan import plan_get_or_create
from laget.cases.selectors_meetings import day_bounds
from laget.cases.services import case_open, case_transition
from laget.cases.tests.conftest import actor_of
from laget.core import clock
from laget.core.errors import DomainError
from laget.people.tests.factories import PersonFactory
from laget.records.models import Case, CaseStatus, TeamMember
from laget.records.services import team_member_add
from laget.sharing import services as sharing_services

pytestmark = pytest.mark.django_db

STOVNER = "030111"


@dataclass
class Bydel:
    coordinator: Actor
    leader: Actor
    caseworker: Actor
    school: Actor
    barnevern: Actor
    other_coordinator: Actor


@pytest.fixture
def member(make_member):
    return lambda role, **kwargs: actor_of(make_member(role, password=None, **kwargs))


@pytest.fixture
def bydel(member, rulebook) -> Bydel:
    coordinator = member("coordinator")
    return Bydel(
        coordinator=coordinator,
        leader=member("leader", agency=coordinator.agency),
        caseworker=member("caseworker", agency=coordinator.agency),
        school=member("caseworker", agency=AgencyFactory(type="skole", name="Haugen skole")),
        barnevern=member("caseworker", agency=AgencyFactory(type="barnevern",
                                                            name="Barnevernet Stovner")),
        other_coordinator=member("coordinator", district="030112"),
    )


def open_case(b: Bydel, *, status: str = CaseStatus.ASSESSMENT, team=("school",)) -> Case:
    case = case_open(actor=b.coordinator, person=PersonFactory(district_id=STOVNER))
    for name in team:
        who = getattr(b, name)
        team_member_add(actor=b.coordinator, case=case, user=who.user, agency=who.agency)
    if status in (CaseStatus.ACTIVE, CaseStatus.CLOSING):
        case_transition(actor=b.coordinator, case=case, to=CaseStatus.ACTIVE, reason="Behov.")
    if status == CaseStatus.CLOSING:
        case_transition(actor=b.coordinator, case=case, to=CaseStatus.CLOSING, reason="Bedre.")
    return case


def task(case: Case, who: Actor, *, days_late: int, title: str = "Ring hjem") -> Task:
    # Made directly: task_create refuses a due date in the past, and an overdue task is one
    # whose date has passed since.
    return Task.objects.create(plan=plan_get_or_create(case), title=title, agency=who.agency,
                               due_on=clock.today() - dt.timedelta(days=days_late),
                               created_by=who.user)


def meeting(case: Case, b: Bydel) -> Meeting:
    return Meeting.objects.create(case=case, starts_at=day_bounds(clock.today())[0]
                                  + dt.timedelta(minutes=1), place="Stovner bydelshus",
                                  created_by=b.coordinator.user)


def concern(b: Bydel, **kwargs) -> object:
    data = {"given_name": "Ny", "family_name": "Bekymring", "text": "Bekymret.",
            "birth_date": clock.today() - dt.timedelta(days=14 * 366)}
    data.update(kwargs)
    return concerns.concern_submit(actor=b.school, district=District.objects.get(pk=STOVNER),
                                   **data)


def grow(b: Bydel, n: int) -> None:
    """n more cases with everything the desk shows: a task (overdue), a meeting, an entry, a
    concern that landed, one about an unregistered person, a confidential agency's task."""
    for _ in range(n):
        case = open_case(b, status=CaseStatus.ACTIVE, team=("school", "barnevern"))
        task(case, b.school, days_late=2)
        task(case, b.barnevern, days_late=2)
        meeting(case, b)
        sharing_services.entry_add(actor=b.school, case=case, category="skole", text="Fravær.")
        concern(b, national_id=case.person.national_id, birth_date=None)
        concern(b)


def test_the_desk_holds_my_cases_concerns_tasks_meetings_and_questions(bydel):
    b = bydel
    assessment = open_case(b)
    active = open_case(b, status=CaseStatus.ACTIVE, team=("school", "barnevern"))
    closing = open_case(b, status=CaseStatus.CLOSING)
    elsewhere = case_open(actor=b.other_coordinator,
                          person=PersonFactory(district_id="030112"))
    not_mine = open_case(b)
    TeamMember.objects.filter(case=not_mine, user=b.coordinator.user).update(
        left_on=clock.today())
    late = task(active, b.school, days_late=3, title="Møte med rektor")
    task(active, b.barnevern, days_late=3, title="Hjemmebesøk")  # barnevern: not known to me
    task(active, b.school, days_late=-3, title="Ikke forfalt ennå")
    task(elsewhere, b.other_coordinator, days_late=3)
    this_week = meeting(active, b)
    new = concern(b)
    landed = concern(b, national_id=active.person.national_id, birth_date=None)
    handover = Handover.objects.create(
        case=active, from_district_id="030112", to_district_id=STOVNER,
        to_coordinator=b.coordinator.user, note="Flyttet.", handed_over_by=b.coordinator.user)
    HandoverConfirmation.objects.create(
        handover=handover, member=TeamMember.objects.get(case=active, user=b.school.user))

    result = desk.desk_for(actor=b.coordinator)

    groups = {g.status: [r.case for r in g.cases] for g in result.groups}
    assert groups == {"assessment": [assessment], "active": [active], "closing": [closing]}
    assert result.new_concerns == [new]
    assert result.landed == [landed]
    assert result.overdue == [late]
    assert result.meetings == [this_week]
    assert result.handover_questions == 1
    assert result.idle == []
    event = AuditEvent.objects.get(action=Action.DESK_VIEW)
    shown = set(event.subjects.values_list("person_id", flat=True))
    assert {assessment.person_id, active.person_id, closing.person_id} <= shown
    assert elsewhere.person_id not in shown and not_mine.person_id not in shown


def test_a_confidential_agency_task_shows_once_the_rules_give_a_basis(bydel):
    b = bydel
    case = open_case(b, status=CaseStatus.ACTIVE, team=("barnevern",))
    visit = task(case, b.barnevern, days_late=1, title="Hjemmebesøk")
    assert desk.desk_for(actor=b.coordinator).overdue == []
    guardian = case.person.guardians.create(given_name="Mor", family_name="Syntetisk",
                                            relation="mor", parental_responsibility=True)
    sharing_services.consent_register(
        actor=b.coordinator, case=case, given_by="both", guardian_ids=[guardian.pk],
        method="signed_form", categories=["barnevern"], recipients=["bydel"],
        purposes=["forebygging"], valid_from=clock.today(),
        valid_to=clock.today() + dt.timedelta(days=30), youth_view="Greit.")
    assert desk.desk_for(actor=b.coordinator).overdue == [visit]


def test_cases_without_activity_for_thirty_days(bydel):
    b = bydel
    quiet = open_case(b, team=("school", "barnevern"))
    entry_lately = open_case(b, team=("school",))
    task_lately = open_case(b, team=("school",))
    long_ago = clock.now() - dt.timedelta(days=40)
    for case in (quiet, entry_lately, task_lately):
        Case.objects.filter(pk=case.pk).update(created_at=long_ago)
        CaseStatusChange.objects.filter(case=case).update(changed_at=long_ago)
    fresh = open_case(b)
    # a barnevern entry the coordinator may not know of does not count as activity
    sharing_services.entry_add(actor=b.barnevern, case=quiet, category="barnevern",
                               text="Hemmelig.")
    sharing_services.entry_add(actor=b.school, case=entry_lately, category="skole", text="Ny.")
    task(task_lately, b.school, days_late=-5)
    result = desk.desk_for(actor=b.coordinator)
    assert [r.case for r in result.idle] == [quiet]
    assert result.idle[0].last_activity < clock.now() - dt.timedelta(days=39)
    assert fresh not in [r.case for r in result.idle]


def test_the_desk_is_for_the_bydel_coordinator_and_leader(bydel, member):
    b = bydel
    assert desk.may_use_desk(b.coordinator) and desk.may_use_desk(b.leader)
    school_leader = member("leader", agency=b.school.agency)
    for outsider in (b.caseworker, b.school, school_leader, None):
        assert not desk.may_use_desk(outsider)
    with pytest.raises(DomainError):
        desk.desk_for(actor=b.caseworker)
    assert desk.desk_for(actor=b.leader).groups[0].cases == []  # the leader is on no team


def test_the_desk_takes_the_same_number_of_queries_for_many_cases(bydel):
    b = bydel
    grow(b, 1)
    desk.desk_for(actor=b.coordinator)  # the rule snapshot is loaded once per process
    with CaptureQueriesContext(connection) as few:
        small = desk.desk_for(actor=b.coordinator)
    grow(b, 6)
    with CaptureQueriesContext(connection) as many:
        big = desk.desk_for(actor=b.coordinator)
    assert len(big.groups[1].cases) == 7 and len(big.overdue) == 7 and len(big.meetings) == 7
    assert len(big.new_concerns) == 7 and len(big.landed) == 7
    assert len(small.groups[1].cases) == 1
    assert len(many) == len(few), "\n".join(
        [q["sql"][:150] for q in few.captured_queries] + ["----"]
        + [q["sql"][:150] for q in many.captured_queries])
    assert len(many) <= 16


# --- start page figures and the agency's tasks ---------------------------------------------------

def test_start_figures_count_the_agency_cases_and_tasks(bydel, member):
    b = bydel
    one = open_case(b, team=("school",))
    two = open_case(b, team=("school",))
    open_case(b, team=())
    closed = open_case(b, team=("school",))
    task(one, b.school, days_late=2)
    task(two, b.school, days_late=-2)
    task(closed, b.school, days_late=2)
    case_transition(actor=b.coordinator, case=closed, to=CaseStatus.CLOSED, reason="Ferdig.")
    concern(b)
    colleague = member("caseworker", agency=b.school.agency)  # on no team, same agency
    figures = desk.start_figures_for(actor=colleague)
    assert (figures.team_cases, figures.open_tasks, figures.overdue_tasks) == (2, 2, 1)
    assert figures.new_concerns is None
    assert desk.start_figures_for(actor=b.coordinator).new_concerns == 1
    assert desk.start_figures_for(actor=member("analyst")) is None


def test_the_agency_tasks_list_overdue_first_and_names_only_cases_i_may_open(bydel, member):
    b = bydel
    mine = open_case(b, team=("school",))
    theirs = open_case(b, team=())
    colleague = member("caseworker", agency=b.school.agency)
    team_member_add(actor=b.coordinator, case=theirs, user=colleague.user, agency=colleague.agency)
    later = task(mine, b.school, days_late=-4, title="Samtale")
    overdue = task(theirs, colleague, days_late=1, title="Hemmelig tittel")
    undated = Task.objects.create(plan=plan_get_or_create(mine), title="Uten frist",
                                  agency=b.school.agency, created_by=b.school.user)
    task(mine, b.coordinator, days_late=5)  # another agency's task
    rows = list(desk.agency_tasks_for(actor=b.school))
    assert [r.task for r in rows] == [overdue, later, undated]
    assert [r.case_visible for r in rows] == [False, True, True]
    event = AuditEvent.objects.get(action=Action.CASE_LIST, details__view="agency_tasks")
    assert set(event.subjects.values_list("person_id", flat=True)) == {mine.person_id}
    # the bydel's coordinator may open every case of the bydel
    assert all(r.case_visible for r in desk.agency_tasks_for(actor=b.coordinator))


def test_meetings_held_or_cancelled(bydel):
    b = bydel
    case = open_case(b)
    held = meeting(case, b)
    held.status = MeetingStatus.HELD
    held.save()
    cancelled = meeting(case, b)
    cancelled.status = MeetingStatus.CANCELLED
    cancelled.save()
    assert desk.desk_for(actor=b.coordinator).meetings == [held]
