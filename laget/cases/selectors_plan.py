"""Reads of a case's coordinated plan: the panel on the case page (goals with their tasks, tasks
without a goal, linked measures, what the actor may change, overdue tasks), single goals, tasks and
measures for the edit forms, the choices those forms offer, and the plan as printed for the team
meeting or for the family.

The case itself is opened through laget.sharing.selectors (which audits the read); these read what
hangs on a case the caller has already opened, and only for those who see its workflow. A task of
an agency whose involvement the actor may not know (barnevern, health without a basis) is left out,
as the team list leaves the agency out (laget.cases.access.known_agency_ids)."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db.models import QuerySet

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, User
from laget.audit.actions import Purpose
from laget.cases import measures as measure_registry
from laget.cases.access import known_agency_ids, may_coordinate, may_see_workflow
from laget.cases.models import Goal, GoalStatus, Plan, PlanMeasure, Task, TaskStatus
from laget.core import clock
from laget.core.errors import NotFound
from laget.people.models import Guardian
from laget.records.models import Case, TeamMember
from laget.records.vocabulary import AGENCY_TYPE_REVEALS
from laget.sharing.selectors import is_team_member, team_for

#: The plan is read for coordinated prevention, like the case page.
PURPOSE = Purpose.FOREBYGGING
#: From this age the family's version of the plan is addressed to the young person only.
MAJORITY_AGE = 18


@dataclass(frozen=True)
class TaskRow:
    task: Task
    #: open and past its due date, flagged for the coordinator and the responsible agency
    overdue: bool
    may_edit: bool
    #: complete or cancel
    may_close: bool
    may_reopen: bool


@dataclass(frozen=True)
class MeasureRow:
    view: measure_registry.MeasureView
    may_end: bool

    @property
    def measure(self) -> PlanMeasure:
        return self.view.measure


@dataclass(frozen=True)
class GoalRow:
    goal: Goal
    tasks: list[TaskRow]
    measures: list[MeasureRow]
    may_edit: bool


@dataclass(frozen=True)
class PlanPanel:
    case: Case
    version: int
    goals: list[GoalRow]
    #: tasks and measures not under any goal
    tasks: list[TaskRow]
    measures: list[MeasureRow]
    #: the case is open (a closed case's plan is read-only)
    editable: bool
    may_coordinate: bool
    may_add_task: bool
    #: overdue tasks flagged for the actor
    overdue: int
    changed_by: User | None = None
    changed_at: dt.datetime | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.goals or self.tasks or self.measures)


def _plan(case: Case) -> Plan | None:
    return Plan.objects.select_related("changed_by").filter(case=case).first()


def _visible_tasks(actor: Actor, case: Case, plan: Plan | None) -> list[Task]:
    if plan is None:
        return []
    tasks = list(plan.tasks.select_related("agency", "assignee", "goal"))
    if not tasks:
        return []
    known = known_agency_ids(actor, case, PURPOSE)
    return [t for t in tasks if t.agency_id in known]


def _task_row(actor: Actor, task: Task, *, coordinator: bool, on_team: bool,
              editable: bool) -> TaskRow:
    own = on_team and actor.membership is not None and actor.membership.agency_id == task.agency_id
    writer = editable and (coordinator or own)
    is_open = task.status == TaskStatus.OPEN
    return TaskRow(
        task=task,
        overdue=task.is_overdue and (coordinator or (actor.membership is not None
                                                     and actor.membership.agency_id
                                                     == task.agency_id)),
        may_edit=writer and is_open,
        may_close=writer and is_open,
        may_reopen=editable and coordinator and not is_open,
    )


def plan_panel_for(*, actor: Actor, case: Case) -> PlanPanel | None:
    """The plan as the case page shows it to the actor; None for someone who does not see the
    case's workflow."""
    if not may_see_workflow(actor, case):
        return None
    plan = _plan(case)
    coordinator = may_coordinate(actor, case)
    on_team = is_team_member(actor=actor, case=case)
    editable = case.is_open
    rows = [_task_row(actor, t, coordinator=coordinator, on_team=on_team, editable=editable)
            for t in _visible_tasks(actor, case, plan)]
    measure_rows = [
        MeasureRow(measure_registry.describe(m),
                   editable and m.ended_on is None and measure_registry.may_end(actor, case, m))
        for m in (plan.measures.all() if plan else [])
    ]
    goals = []
    for goal in (plan.goals.all() if plan else []):
        goals.append(GoalRow(
            goal=goal,
            tasks=[r for r in rows if r.task.goal_id == goal.pk],
            measures=[r for r in measure_rows if r.measure.goal_id == goal.pk],
            may_edit=editable and coordinator,
        ))
    return PlanPanel(
        case=case,
        version=plan.version if plan else 0,
        goals=goals,
        tasks=[r for r in rows if r.task.goal_id is None],
        measures=[r for r in measure_rows if r.measure.goal_id is None],
        editable=editable,
        may_coordinate=editable and coordinator,
        may_add_task=editable and (coordinator or on_team),
        overdue=sum(1 for r in rows if r.overdue),
        changed_by=plan.changed_by if plan and plan.version else None,
        changed_at=plan.updated_at if plan and plan.version else None,
    )


# --- single objects for the forms ----------------------------------------------------------------

def goal_get_for(*, actor: Actor, case: Case, goal_id: uuid.UUID | str) -> Goal:
    if not may_see_workflow(actor, case):
        raise NotFound()
    goal = Goal.objects.select_related("plan__case").filter(plan__case=case, pk=goal_id).first()
    if goal is None:
        raise NotFound()
    return goal


def task_get_for(*, actor: Actor, case: Case, task_id: uuid.UUID | str) -> Task:
    """A task of the case's plan the actor may see (not one of an agency they may not know of)."""
    if not may_see_workflow(actor, case):
        raise NotFound()
    task = (Task.objects.select_related("plan__case", "agency", "assignee", "goal")
            .filter(plan__case=case, pk=task_id).first())
    if task is None or task.agency_id not in known_agency_ids(actor, case, PURPOSE):
        raise NotFound()
    return task


def measure_get_for(*, actor: Actor, case: Case, measure_id: uuid.UUID | str) -> PlanMeasure:
    if not may_see_workflow(actor, case):
        raise NotFound()
    measure = PlanMeasure.objects.filter(plan__case=case, pk=measure_id).first()
    if measure is None:
        raise NotFound()
    return measure


def plan_version(*, case: Case) -> int:
    return Plan.objects.filter(case=case).values_list("version", flat=True).first() or 0


# --- form choices --------------------------------------------------------------------------------

def task_agency_choices(*, actor: Actor, case: Case) -> QuerySet[Agency]:
    """The agencies the actor may give a task to: for the coordinator every agency on the team
    that the actor may know of; for a team member their own agency."""
    active = TeamMember.objects.active().filter(case=case)
    if may_coordinate(actor, case):
        ids = set(active.values_list("agency_id", flat=True)) & known_agency_ids(
            actor, case, PURPOSE)
    elif actor.membership is not None and is_team_member(actor=actor, case=case):
        ids = {actor.membership.agency_id}
    else:
        ids = set()
    return Agency.objects.filter(pk__in=ids).order_by("name")


def task_assignee_choices(*, agencies: QuerySet[Agency], case: Case) -> list[tuple[User, str]]:
    """The team's current members from those agencies, each with their agency's name."""
    members = (TeamMember.objects.active().filter(case=case, agency__in=agencies)
               .select_related("user", "agency").order_by("agency__name", "user__last_name"))
    users: dict[object, User] = {}
    agency_names: dict[object, list[str]] = {}
    for member in members:
        users.setdefault(member.user_id, member.user)
        agency_names.setdefault(member.user_id, []).append(member.agency.name)
    return [(user, f"{user.get_full_name() or user.get_username()} "
                   f"({', '.join(agency_names[key])})") for key, user in users.items()]


def goal_choices(*, case: Case, current: Goal | None = None) -> QuerySet[Goal]:
    """Active goals of the plan (and the task's current goal, whatever its status)."""
    goals = Goal.objects.filter(plan__case=case, status=GoalStatus.ACTIVE)
    if current is not None:
        goals = goals | Goal.objects.filter(pk=current.pk)
    return goals.distinct().order_by("position", "created_at")


# --- the printed plan ----------------------------------------------------------------------------

@dataclass(frozen=True)
class DocumentGoal:
    goal: Goal
    tasks: list[Task]
    measures: list[measure_registry.MeasureView]


@dataclass(frozen=True)
class PlanDocument:
    case: Case
    family: bool
    version: int
    goals: list[DocumentGoal]
    tasks: list[Task]
    measures: list[measure_registry.MeasureView]
    team: list[TeamMember]
    #: who the family's version is addressed to: the young person, and while under 18 the
    #: guardians with parental responsibility
    guardians: list[Guardian] = field(default_factory=list)
    adult: bool = False


def _family_task(task: Task) -> bool:
    return (task.family_visible and task.status != TaskStatus.CANCELLED
            and task.agency.type not in AGENCY_TYPE_REVEALS)


def plan_document_for(*, actor: Actor, case: Case, family: bool) -> PlanDocument | None:
    """The plan as printed: for the team meeting, what the actor sees on the case page; for the
    family, only goals and tasks marked for the family, no cancelled tasks, nothing from barnevern
    or health (their involvement is theirs to tell), no team member from those services and only
    current measures of kinds their apps let the family see."""
    if not may_see_workflow(actor, case):
        return None
    plan = _plan(case)
    tasks = _visible_tasks(actor, case, plan)
    views = [measure_registry.describe(m) for m in (plan.measures.all() if plan else [])]
    team = team_for(actor=actor, case=case, purpose=PURPOSE)
    goals = list(plan.goals.all()) if plan else []
    if family:
        goals = [g for g in goals if g.family_visible]
        tasks = [t for t in tasks if _family_task(t)]
        views = [v for v in views if v.family_visible and v.measure.ended_on is None]
        team = [m for m in team if m.agency.type not in AGENCY_TYPE_REVEALS]
    goal_ids = {g.pk for g in goals}
    if family:  # under a goal the family does not see: left out with the goal
        tasks = [t for t in tasks if t.goal_id is None or t.goal_id in goal_ids]
        views = [v for v in views if v.measure.goal_id is None or v.measure.goal_id in goal_ids]
    person = case.person
    adult = person.age_on(clock.today()) >= MAJORITY_AGE
    guardians = [] if adult or not family else list(
        person.guardians.filter(parental_responsibility=True).order_by("family_name",
                                                                        "given_name"))
    return PlanDocument(
        case=case, family=family, version=plan.version if plan else 0,
        goals=[DocumentGoal(g, [t for t in tasks if t.goal_id == g.pk],
                            [v for v in views if v.measure.goal_id == g.pk]) for g in goals],
        tasks=[t for t in tasks if t.goal_id is None],
        measures=[v for v in views if v.measure.goal_id is None],
        team=team, guardians=guardians, adult=adult,
    )


def plan_document_for_family(*, case: Case) -> PlanDocument:
    """The family's version of the plan for the family's own pages (laget.family), where no
    member of staff reads it: the same choice as `plan_document_for(family=True)` — goals and
    tasks marked for the family, no cancelled tasks, nothing from barnevern or health, no team
    member from those services, current measures of kinds the family may see. The caller has
    checked who the citizen is and audits the read."""
    plan = _plan(case)
    tasks = [t for t in (plan.tasks.select_related("agency", "assignee", "goal") if plan else [])
             if _family_task(t)]
    goals = [g for g in (plan.goals.all() if plan else []) if g.family_visible]
    goal_ids = {g.pk for g in goals}
    tasks = [t for t in tasks if t.goal_id is None or t.goal_id in goal_ids]
    views = [v for v in (measure_registry.describe(m) for m in (plan.measures.all() if plan
                                                                  else []))
             if v.family_visible and v.measure.ended_on is None
             and (v.measure.goal_id is None or v.measure.goal_id in goal_ids)]
    team = [m for m in TeamMember.objects.active().filter(case=case)
            .select_related("user", "agency").order_by("agency__name", "created_at")
            if m.agency.type not in AGENCY_TYPE_REVEALS]
    person = case.person
    adult = person.age_on(clock.today()) >= MAJORITY_AGE
    guardians = [] if adult else list(
        person.guardians.filter(parental_responsibility=True).order_by("family_name",
                                                                        "given_name"))
    return PlanDocument(
        case=case, family=True, version=plan.version if plan else 0,
        goals=[DocumentGoal(g, [t for t in tasks if t.goal_id == g.pk],
                            [v for v in views if v.measure.goal_id == g.pk]) for g in goals],
        tasks=[t for t in tasks if t.goal_id is None],
        measures=[v for v in views if v.measure.goal_id is None],
        team=team, guardians=guardians, adult=adult,
    )
