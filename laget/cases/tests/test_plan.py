"""The coordinated plan: every service rule and permission (coordinator, own-agency team member,
other team member, non-member), optimistic locking with two editors, a closed case, due dates,
unknown agencies, the measures registry, the panel's selectors and the printed plan's contents."""

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection, connections

from laget.accounts.models import AgencyType
from laget.accounts.tests.factories import AgencyFactory
from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.cases import measures
from laget.cases.models import Goal, GoalStatus, Plan, PlanMeasure, Task, TaskStatus
from laget.cases.plan import (
    goal_create,
    goal_update,
    task_cancel,
    task_complete,
    task_create,
    task_reopen,
    task_update,
)
from laget.cases.selectors_plan import (
    plan_document_for,
    plan_panel_for,
    task_agency_choices,
    task_get_for,
)
from laget.cases.services import case_transition
from laget.cases.tests.conftest import actor_of
from laget.cases.tests.factories import PlanMeasureFactory
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.people.tests.factories import GuardianFactory
from laget.records.models import Case
from laget.records.services import team_member_add

pytestmark = pytest.mark.django_db


def version(case) -> int:
    return Plan.objects.filter(case=case).values_list("version", flat=True).first() or 0


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=clock.OSLO)


@pytest.fixture
def school(scene, make_member):
    """A teacher on the team for a school (another team member than the police)."""
    teacher = actor_of(make_member("caseworker", agency_type="skole"))
    team_member_add(actor=scene.coordinator, case=scene.case, user=teacher.user,
                    agency=teacher.agency)
    return teacher


@pytest.fixture
def police_task(scene):
    return task_create(actor=scene.coordinator, case=scene.case, title="Bekymringssamtale",
                       agency=scene.police.agency, assignee=scene.police.user,
                       due_on=clock.today() + dt.timedelta(days=7))


def refused(code, call, **kwargs):
    with pytest.raises(DomainError) as error:
        call(**kwargs)
    assert error.value.code == code, error.value.message
    return error.value


# --- goals ---------------------------------------------------------------------------------------

def test_the_coordinator_sets_goals_with_indicators_and_each_change_bumps_the_version(scene):
    goal = goal_create(actor=scene.coordinator, case=scene.case, title="  Gå på skolen  ",
                       indicator="Oppmøte over 90 %", expected_version=0)
    second = goal_create(actor=scene.leader, case=scene.case, title="Fritidsaktivitet",
                         family_visible=False, expected_version=1)
    assert (goal.title, goal.indicator, goal.status) == ("Gå på skolen", "Oppmøte over 90 %",
                                                         GoalStatus.ACTIVE)
    assert (goal.position, second.position, second.family_visible) == (0, 1, False)
    assert version(scene.case) == 2
    updated = goal_update(actor=scene.coordinator, goal=goal, title="Gå på skolen hver dag",
                          indicator="Oppmøte over 95 %", status=GoalStatus.REACHED,
                          family_visible=False, expected_version=2)
    assert (updated.status, updated.family_visible) == (GoalStatus.REACHED, False)
    assert version(scene.case) == 3
    events = AuditEvent.objects.filter(action=Action.PLAN_CHANGE).order_by("id")
    assert [e.details["op"] for e in events] == ["goal_create", "goal_create", "goal_update"]
    assert events.last().details["fields"] == ["family_visible", "indicator", "status", "title"]
    assert all("skolen" not in str(e.details) for e in events)
    assert {str(p) for e in events for p in e.subjects.values_list("person_id", flat=True)} == {
        str(scene.case.person_id)}


@pytest.mark.parametrize(("who", "code"), [("police", "not_allowed"),
                                           ("caseworker", "not_on_team"),
                                           ("other_coordinator", "not_on_team")])
def test_only_the_coordinator_sets_goals(scene, who, code):
    refused(code, goal_create, actor=getattr(scene, who), case=scene.case, title="Mål",
            expected_version=0)
    goal = goal_create(actor=scene.coordinator, case=scene.case, title="Mål", expected_version=0)
    refused(code, goal_update, actor=getattr(scene, who), goal=goal, title="Annet", indicator="",
            status="active", family_visible=True, expected_version=1)
    assert Goal.objects.get().title == "Mål" and version(scene.case) == 1


def test_goal_input_is_checked(scene):
    refused("title", goal_create, actor=scene.coordinator, case=scene.case, title="  ",
            expected_version=0)
    refused("title", goal_create, actor=scene.coordinator, case=scene.case, title="x" * 201,
            expected_version=0)
    refused("indicator", goal_create, actor=scene.coordinator, case=scene.case, title="Mål",
            indicator="x" * 301, expected_version=0)
    goal = goal_create(actor=scene.coordinator, case=scene.case, title="Mål", expected_version=0)
    refused("status", goal_update, actor=scene.coordinator, goal=goal, title="Mål", indicator="",
            status="forgotten", family_visible=True, expected_version=1)
    assert version(scene.case) == 1


# --- tasks ---------------------------------------------------------------------------------------

def test_a_team_member_adds_tasks_for_their_own_agency_only(scene, school):
    task = task_create(actor=scene.police, case=scene.case, title="Hjemmebesøk",
                       agency=scene.police.agency, assignee=scene.police.user)
    assert task.agency == scene.police.agency and task.status == TaskStatus.OPEN
    refused("not_allowed", task_create, actor=scene.police, case=scene.case, title="Skolen gjør",
            agency=school.agency)
    refused("not_on_team", task_create, actor=scene.caseworker, case=scene.case, title="x",
            agency=scene.caseworker.agency)
    # the coordinator gives tasks to any agency on the team
    given = task_create(actor=scene.coordinator, case=scene.case, title="Oppfølging av fravær",
                        agency=school.agency, assignee=school.user)
    assert given.assignee == school.user
    assert Task.objects.count() == 2
    event = AuditEvent.objects.filter(action=Action.TASK_CHANGE).order_by("id").last()
    assert event.details == {"op": "create", "version": 2}


def test_an_agency_or_person_not_on_the_team_is_refused(scene, school, make_member):
    stranger = AgencyFactory(type=AgencyType.NAV)
    error = refused("agency_not_on_team", task_create, actor=scene.coordinator, case=scene.case,
                    title="x", agency=stranger)
    assert error.message == "Virksomheten er ikke med i teamet."
    refused("assignee_not_on_team", task_create, actor=scene.coordinator, case=scene.case,
            title="x", agency=school.agency, assignee=scene.police.user)
    colleague = make_member("caseworker", agency=school.agency)
    refused("assignee_not_on_team", task_create, actor=scene.coordinator, case=scene.case,
            title="x", agency=school.agency, assignee=colleague)
    assert not Task.objects.exists() and version(scene.case) == 0


def test_task_title_is_required_and_bounded(scene):
    for title, code in (("", "title"), ("   ", "title"), ("x" * 301, "title")):
        refused(code, task_create, actor=scene.coordinator, case=scene.case, title=title,
                agency=scene.coordinator.agency)


def test_the_responsible_agency_and_the_coordinator_edit_a_task(scene, school, police_task):
    v = version(scene.case)
    task = task_update(actor=scene.police, task=police_task, title="Bekymringssamtale med mor",
                       agency=scene.police.agency, assignee=None, due_on=police_task.due_on,
                       goal=None, family_visible=False, expected_version=v)
    assert (task.title, task.assignee, task.family_visible) == (
        "Bekymringssamtale med mor", None, False)
    event = AuditEvent.objects.filter(action=Action.TASK_CHANGE).order_by("id").last()
    assert event.details == {"op": "update", "fields": ["assignee", "family_visible", "title"],
                             "version": v + 1}
    # the responsible agency may not hand its task to another agency; the coordinator may
    refused("not_allowed", task_update, actor=scene.police, task=task, title=task.title,
            agency=school.agency, assignee=None, due_on=task.due_on, goal=None,
            family_visible=True, expected_version=v + 1)
    goal = goal_create(actor=scene.coordinator, case=scene.case, title="Trygg hjemme",
                       expected_version=v + 1)
    moved = task_update(actor=scene.coordinator, task=task, title=task.title, agency=school.agency,
                        assignee=school.user, due_on=task.due_on, goal=goal, family_visible=True,
                        expected_version=v + 2)
    assert (moved.agency, moved.assignee, moved.goal) == (school.agency, school.user, goal)


@pytest.mark.parametrize(("who", "code"), [("other", "not_allowed"),
                                           ("caseworker", "not_on_team"),
                                           ("other_coordinator", "not_on_team")])
def test_others_may_not_change_someone_elses_task(scene, school, police_task, who, code):
    actor = school if who == "other" else getattr(scene, who)
    v = version(scene.case)
    refused(code, task_update, actor=actor, task=police_task, title="Annet",
            agency=scene.police.agency, assignee=None, due_on=None, goal=None,
            family_visible=True, expected_version=v)
    refused(code, task_complete, actor=actor, task=police_task, outcome="Gjort.",
            expected_version=v)
    refused(code, task_cancel, actor=actor, task=police_task, reason="Trengs ikke.",
            expected_version=v)
    stored = Task.objects.get(pk=police_task.pk)
    assert (stored.title, stored.status) == ("Bekymringssamtale", TaskStatus.OPEN)
    assert version(scene.case) == v


def test_complete_needs_an_outcome_and_sets_the_time(scene, police_task):
    v = version(scene.case)
    refused("outcome", task_complete, actor=scene.police, task=police_task, outcome="  ",
            expected_version=v)
    refused("outcome", task_complete, actor=scene.police, task=police_task,
            outcome="x" * 2001, expected_version=v)
    done = task_complete(actor=scene.police, task=police_task, outcome="Samtale holdt 3. mars.",
                         expected_version=v)
    assert done.status == TaskStatus.DONE and done.completed_at is not None
    assert done.outcome == "Samtale holdt 3. mars."
    event = AuditEvent.objects.filter(action=Action.TASK_CHANGE).order_by("id").last()
    assert event.details == {"op": "complete", "version": v + 1}
    # a done task is not edited, completed or cancelled again until reopened
    refused("task_closed", task_complete, actor=scene.police, task=done, outcome="Igjen.",
            expected_version=v + 1)
    refused("task_closed", task_update, actor=scene.coordinator, task=done, title="x",
            agency=scene.police.agency, assignee=None, due_on=None, goal=None,
            family_visible=True, expected_version=v + 1)
    assert version(scene.case) == v + 1


def test_cancel_needs_a_reason_and_only_the_coordinator_reopens(scene, police_task):
    v = version(scene.case)
    refused("outcome", task_cancel, actor=scene.coordinator, task=police_task, reason="",
            expected_version=v)
    cancelled = task_cancel(actor=scene.coordinator, task=police_task,
                            reason="Familien flyttet.", expected_version=v)
    assert (cancelled.status, cancelled.outcome, cancelled.completed_at) == (
        TaskStatus.CANCELLED, "Familien flyttet.", None)
    refused("not_allowed", task_reopen, actor=scene.police, task=cancelled,
            expected_version=v + 1)
    reopened = task_reopen(actor=scene.coordinator, task=cancelled, expected_version=v + 1)
    assert reopened.status == TaskStatus.OPEN and reopened.completed_at is None
    refused("task_open", task_reopen, actor=scene.coordinator, task=reopened,
            expected_version=v + 2)
    assert [e.details["op"] for e in AuditEvent.objects.filter(
        action=Action.TASK_CHANGE).order_by("id")] == ["create", "cancel", "reopen"]


# --- due dates -----------------------------------------------------------------------------------

def test_due_dates_on_creation(scene):
    today = clock.today()
    refused("due_past", task_create, actor=scene.coordinator, case=scene.case, title="x",
            agency=scene.coordinator.agency, due_on=today - dt.timedelta(days=1))
    refused("due_far", task_create, actor=scene.coordinator, case=scene.case, title="x",
            agency=scene.coordinator.agency, due_on=today + dt.timedelta(days=3 * 366 + 1))
    task = task_create(actor=scene.coordinator, case=scene.case, title="I dag",
                       agency=scene.coordinator.agency, due_on=today)
    assert task.due_on == today and not task.is_overdue


def test_an_unchanged_past_due_date_is_kept_a_changed_one_may_not_be_past(scene, police_task):
    later = police_task.due_on + dt.timedelta(days=3)
    with clock.frozen(at(later)):
        assert Task.objects.get(pk=police_task.pk).is_overdue
        kept = task_update(actor=scene.police, task=police_task, title="Ny tittel",
                           agency=scene.police.agency, assignee=scene.police.user,
                           due_on=police_task.due_on, goal=None, family_visible=True,
                           expected_version=version(scene.case))
        assert kept.due_on == police_task.due_on and kept.title == "Ny tittel"
        refused("due_past", task_update, actor=scene.police, task=kept, title=kept.title,
                agency=scene.police.agency, assignee=None,
                due_on=later - dt.timedelta(days=1), goal=None, family_visible=True,
                expected_version=version(scene.case))
        moved = task_update(actor=scene.police, task=kept, title=kept.title,
                            agency=scene.police.agency, assignee=None, due_on=later,
                            goal=None, family_visible=True, expected_version=version(scene.case))
        assert moved.due_on == later
        cleared = task_update(actor=scene.police, task=moved, title=kept.title,
                              agency=scene.police.agency, assignee=None, due_on=None,
                              goal=None, family_visible=True,
                              expected_version=version(scene.case))
        assert cleared.due_on is None


# --- optimistic locking and closed cases ---------------------------------------------------------

def test_two_editors_the_second_gets_a_clear_message_and_nothing_is_written(scene, police_task):
    seen = version(scene.case)  # both opened the plan at this version
    task_update(actor=scene.coordinator, task=police_task, title="Koordinatorens tittel",
                agency=scene.police.agency, assignee=None, due_on=police_task.due_on, goal=None,
                family_visible=True, expected_version=seen)
    events = AuditEvent.objects.count()
    error = refused("stale", task_update, actor=scene.police, task=police_task,
                    title="Politiets tittel", agency=scene.police.agency, assignee=None,
                    due_on=police_task.due_on, goal=None, family_visible=True,
                    expected_version=seen)
    assert scene.coordinator.user.get_full_name() in error.message
    assert "ikke lagret" in error.message
    stored = Task.objects.get(pk=police_task.pk)
    assert stored.title == "Koordinatorens tittel"
    assert version(scene.case) == seen + 1 and AuditEvent.objects.count() == events
    for call, kwargs in (
        (goal_create, {"case": scene.case, "title": "Mål"}),
        (task_create, {"case": scene.case, "title": "x", "agency": scene.coordinator.agency}),
        (task_complete, {"task": police_task, "outcome": "Gjort."}),
        (task_cancel, {"task": police_task, "reason": "Nei."}),
    ):
        refused("stale", call, actor=scene.coordinator, expected_version=seen, **kwargs)
    assert version(scene.case) == seen + 1
    assert not Goal.objects.exists() and Task.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_from_the_same_version_one_is_refused(scene):
    if connection.vendor != "postgresql":
        pytest.skip("row locks across connections: PostgreSQL")
    barrier = threading.Barrier(2)
    results: list[str] = []

    def save(actor, title):
        try:
            barrier.wait()
            goal_create(actor=actor, case=Case.objects.get(pk=scene.case.pk), title=title,
                        expected_version=0)
            results.append("ok")
        except DomainError as error:
            results.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(scene.coordinator, "A")),
               threading.Thread(target=save, args=(scene.leader, "B"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "stale"]
    assert Goal.objects.count() == 1 and version(scene.case) == 1


def test_a_closed_case_refuses_every_change(scene, police_task):
    goal = goal_create(actor=scene.coordinator, case=scene.case, title="Mål",
                       expected_version=version(scene.case))
    done = task_create(actor=scene.coordinator, case=scene.case, title="Ferdig",
                       agency=scene.coordinator.agency)
    task_complete(actor=scene.coordinator, task=done, outcome="Ok.")
    case_transition(actor=scene.coordinator, case=scene.case, to="closed", reason="Flyttet.")
    v, events = version(scene.case), AuditEvent.objects.count()
    calls = [
        (goal_create, {"case": scene.case, "title": "Nytt"}),
        (goal_update, {"goal": goal, "title": "x", "indicator": "", "status": "active",
                       "family_visible": True}),
        (task_create, {"case": scene.case, "title": "x", "agency": scene.police.agency}),
        (task_update, {"task": police_task, "title": "x", "agency": scene.police.agency,
                       "assignee": None, "due_on": None, "goal": None,
                       "family_visible": True}),
        (task_complete, {"task": police_task, "outcome": "Gjort."}),
        (task_cancel, {"task": police_task, "reason": "Nei."}),
        (task_reopen, {"task": done}),
    ]
    for call, kwargs in calls:
        error = refused("closed", call, actor=scene.coordinator, expected_version=v, **kwargs)
        assert error.message == "Saken er avsluttet og kan bare leses."
    assert version(scene.case) == v and AuditEvent.objects.count() == events
    panel = plan_panel_for(actor=scene.coordinator, case=Case.objects.get(pk=scene.case.pk))
    assert not panel.editable and not panel.may_coordinate and not panel.may_add_task
    assert not any(r.may_edit or r.may_close or r.may_reopen
                   for g in panel.goals for r in g.tasks) and not any(
        r.may_edit or r.may_close or r.may_reopen for r in panel.tasks)


# --- measures registry ---------------------------------------------------------------------------

ACTIVITIES: dict[uuid.UUID, str] = {}


def _resolve_activity(ref):
    name = ACTIVITIES.get(ref)
    return None if name is None else (name, f"/aktiviteter/{ref}/")


@pytest.fixture
def activity_kind():
    measures.register("test-aktivitet", "Aktivitet", _resolve_activity)
    ref = uuid.uuid4()
    ACTIVITIES[ref] = "Fotball i Stovner IL"
    yield ref
    measures.unregister("test-aktivitet")
    ACTIVITIES.clear()


def test_a_registered_measure_is_linked_shown_and_ended(scene, activity_kind):
    goal = goal_create(actor=scene.coordinator, case=scene.case, title="Fritid",
                       expected_version=0)
    measure = measures.measure_link(actor=scene.coordinator, case=scene.case,
                                    kind="test-aktivitet", ref=activity_kind, goal=goal,
                                    expected_version=1)
    assert (measure.kind, measure.goal, measure.linked_by) == (
        "test-aktivitet", goal, scene.coordinator.user)
    panel = plan_panel_for(actor=scene.police, case=scene.case)
    row = panel.goals[0].measures[0]
    assert (row.view.name, row.view.url, row.view.label, row.view.known) == (
        "Fotball i Stovner IL", f"/aktiviteter/{activity_kind}/", "Aktivitet", True)
    assert not row.may_end
    assert plan_panel_for(actor=scene.coordinator, case=scene.case).goals[0].measures[0].may_end
    refused("measure_duplicate", measures.measure_link, actor=scene.coordinator,
            case=scene.case, kind="test-aktivitet", ref=activity_kind, expected_version=2)
    refused("not_allowed", measures.measure_end, actor=scene.police, case=scene.case,
            measure=measure, expected_version=2)
    ended = measures.measure_end(actor=scene.coordinator, case=scene.case, measure=measure,
                                 expected_version=2)
    assert ended.ended_on == clock.today()
    refused("measure_ended", measures.measure_end, actor=scene.coordinator, case=scene.case,
            measure=measure, expected_version=3)
    ops = [(e.details["op"], e.details["kind"])
           for e in AuditEvent.objects.filter(details__has_key="kind").order_by("id")]
    assert ops == [("measure_link", "test-aktivitet"), ("measure_end", "test-aktivitet")]


def test_unknown_kinds_and_measures_are_refused(scene, activity_kind):
    refused("measure_kind", measures.measure_link, actor=scene.coordinator, case=scene.case,
            kind="hurtigspor", ref=uuid.uuid4(), expected_version=0)
    refused("measure_ref", measures.measure_link, actor=scene.coordinator, case=scene.case,
            kind="test-aktivitet", ref=uuid.uuid4(), expected_version=0)
    refused("not_allowed", measures.measure_link, actor=scene.police, case=scene.case,
            kind="test-aktivitet", ref=activity_kind, expected_version=0)
    refused("not_on_team", measures.measure_link, actor=scene.caseworker, case=scene.case,
            kind="test-aktivitet", ref=activity_kind, expected_version=0)
    assert not PlanMeasure.objects.exists() and version(scene.case) == 0
    with pytest.raises(ValueError):
        measures.register("Ikke Gyldig", "x", _resolve_activity)
    with pytest.raises(ValueError):
        measures.register("test-aktivitet", "Annen", lambda ref: None)
    measures.register("test-aktivitet", "Aktivitet", _resolve_activity)  # same again: no-op


def test_an_app_may_let_its_own_staff_link_its_measures(scene, activity_kind):
    measures.unregister("test-aktivitet")
    measures.register("test-aktivitet", "Aktivitet", _resolve_activity,
                      may_link=lambda actor, case: actor.agency == scene.police.agency)
    measure = measures.measure_link(actor=scene.police, case=scene.case, kind="test-aktivitet",
                                    ref=activity_kind, expected_version=0)
    assert measures.may_end(scene.police, scene.case, measure)


def test_a_kind_whose_app_is_gone_shows_as_unknown(scene):
    PlanMeasureFactory(plan=Plan.objects.create(case=scene.case), kind="borte")
    view = plan_panel_for(actor=scene.coordinator, case=scene.case).measures[0].view
    assert (view.name, view.known, view.url) == ("ukjent tiltak", False, None)


# --- the panel -----------------------------------------------------------------------------------

def test_the_panel_groups_tasks_under_goals_and_says_who_may_do_what(scene, school):
    goal = goal_create(actor=scene.coordinator, case=scene.case, title="Skole",
                       expected_version=0)
    under = task_create(actor=scene.coordinator, case=scene.case, title="Møte med rektor",
                        agency=school.agency, goal=goal)
    loose = task_create(actor=scene.police, case=scene.case, title="Samtale",
                        agency=scene.police.agency)
    assert plan_panel_for(actor=scene.caseworker, case=scene.case) is None
    assert plan_panel_for(actor=scene.other_coordinator, case=scene.case) is None
    coordinator = plan_panel_for(actor=scene.coordinator, case=scene.case)
    assert coordinator.version == 3 and coordinator.may_coordinate
    assert [g.goal for g in coordinator.goals] == [goal]
    assert [r.task for r in coordinator.goals[0].tasks] == [under]
    assert [r.task for r in coordinator.tasks] == [loose]
    assert all(r.may_edit and r.may_close and not r.may_reopen
               for r in [*coordinator.goals[0].tasks, *coordinator.tasks])
    police = plan_panel_for(actor=scene.police, case=scene.case)
    assert not police.may_coordinate and police.may_add_task
    assert not police.goals[0].may_edit and not police.goals[0].tasks[0].may_edit
    assert police.tasks[0].may_edit and police.tasks[0].may_close
    # the bydel's leader sees and coordinates without being on the team
    assert plan_panel_for(actor=scene.leader, case=scene.case).may_coordinate
    assert list(task_agency_choices(actor=scene.police, case=scene.case)) == [
        scene.police.agency]
    assert set(task_agency_choices(actor=scene.coordinator, case=scene.case)) == {
        scene.coordinator.agency, scene.police.agency, school.agency}
    task_complete(actor=scene.police, task=loose, outcome="Ok.")
    assert plan_panel_for(actor=scene.coordinator, case=scene.case).tasks[0].may_reopen
    assert not plan_panel_for(actor=scene.police, case=scene.case).tasks[0].may_reopen


def test_overdue_tasks_are_flagged_for_the_coordinator_and_the_responsible_agency(
        scene, school, police_task):
    with clock.frozen(at(police_task.due_on + dt.timedelta(days=1))):
        for actor, flagged in ((scene.coordinator, True), (scene.leader, True),
                               (scene.police, True), (school, False)):
            panel = plan_panel_for(actor=actor, case=scene.case)
            assert panel.tasks[0].overdue is flagged
            assert panel.overdue == int(flagged)
    assert not plan_panel_for(actor=scene.coordinator, case=scene.case).tasks[0].overdue


def test_tasks_of_barnevern_are_shown_only_to_those_who_may_know_of_it(scene, make_member):
    worker = actor_of(make_member("caseworker", agency_type="barnevern"))
    team_member_add(actor=scene.coordinator, case=scene.case, user=worker.user,
                    agency=worker.agency)
    task = task_create(actor=worker, case=scene.case, title="Hjelpetiltak",
                       agency=worker.agency)
    assert [r.task for r in plan_panel_for(actor=worker, case=scene.case).tasks] == [task]
    assert plan_panel_for(actor=scene.police, case=scene.case).tasks == []
    with pytest.raises(NotFound):
        task_get_for(actor=scene.police, case=scene.case, task_id=task.pk)
    assert worker.agency not in task_agency_choices(actor=scene.police, case=scene.case)
    family = plan_document_for(actor=worker, case=scene.case, family=True)
    assert family.tasks == [] and all(m.agency != worker.agency for m in family.team)


# --- the printed plan ----------------------------------------------------------------------------

def test_the_family_version_leaves_out_what_is_not_for_the_family(scene, school):
    shown = goal_create(actor=scene.coordinator, case=scene.case, title="Skole",
                        expected_version=0)
    hidden = goal_create(actor=scene.coordinator, case=scene.case, title="Rus",
                         family_visible=False, expected_version=1)
    visible_task = task_create(actor=scene.coordinator, case=scene.case, title="Leksehjelp",
                               agency=school.agency, goal=shown)
    task_create(actor=scene.coordinator, case=scene.case, title="Intern avklaring",
                agency=school.agency, goal=shown, family_visible=False)
    task_create(actor=scene.coordinator, case=scene.case, title="Under skjult mål",
                agency=school.agency, goal=hidden)
    cancelled = task_create(actor=scene.coordinator, case=scene.case, title="Avlyst",
                            agency=school.agency)
    task_cancel(actor=scene.coordinator, task=cancelled, reason="Nei.")
    team = plan_document_for(actor=scene.coordinator, case=scene.case, family=False)
    assert [g.goal for g in team.goals] == [shown, hidden]
    assert len(team.goals[0].tasks) == 2 and team.tasks == [cancelled]
    family = plan_document_for(actor=scene.coordinator, case=scene.case, family=True)
    assert [g.goal for g in family.goals] == [shown]
    assert family.goals[0].tasks == [visible_task] and family.tasks == []
    assert plan_document_for(actor=scene.caseworker, case=scene.case, family=True) is None


def test_the_family_version_is_addressed_to_the_young_person_alone_from_18(scene):
    person = scene.case.person
    mother = GuardianFactory(person=person, given_name="Mor")
    GuardianFactory(person=person, given_name="Stefar", parental_responsibility=False)
    document = plan_document_for(actor=scene.coordinator, case=scene.case, family=True)
    assert document.guardians == [mother] and not document.adult
    assert plan_document_for(actor=scene.coordinator, case=scene.case, family=False).guardians == []
    eighteen = person.birth_date.replace(year=person.birth_date.year + 18)
    with clock.frozen(at(eighteen)):
        grown = plan_document_for(actor=scene.coordinator, case=scene.case, family=True)
        assert grown.adult and grown.guardians == []
