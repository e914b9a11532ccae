"""Writes to a case's coordinated plan: goals, tasks and their status. Every change bumps the plan's
version under a row lock; a change made from an older version than the stored one is refused
(optimistic locking), so two people editing the same plan at once never silently overwrite each
other. Atomic and audited (details carry codes and field names, never typed text).

Who may do what: the case's coordinator (or the bydel's leader) sets goals and gives tasks to any
agency on the team; a team member adds, edits, completes and cancels their own agency's tasks;
only the coordinator reopens a task. A closed case is read-only.

Due dates: a new task may not be due before today (it would be born overdue). When a task is
edited, a due date left as it was is kept even if it has passed (the task is overdue, and the
plan says so); a due date that is changed must not be in the past. At most three years ahead."""

import datetime as dt

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, User
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.cases.access import may_coordinate, may_see_workflow
from laget.cases.models import Goal, GoalStatus, Plan, Task, TaskStatus
from laget.core import clock
from laget.core.errors import DomainError
from laget.notify import webhooks
from laget.notify.models import WebhookEvent
from laget.records.models import Case, TeamMember
from laget.records.services import case_require_open
from laget.sharing.selectors import is_team_member

TITLE_MAX_LENGTH = 300
GOAL_TITLE_MAX_LENGTH = 200
INDICATOR_MAX_LENGTH = 300
OUTCOME_MAX_LENGTH = 2000
DUE_MAX_DAYS = 3 * 366


def plan_get_or_create(case: Case) -> Plan:
    plan, _created = Plan.objects.get_or_create(case=case)
    return plan


def plan_lock(*, actor: Actor, case: Case, expected_version: int | None) -> Plan:
    """Lock the case's plan for a change and bump its version. `expected_version` is the version
    the editor's form was built from; None means the change does not depend on what the editor
    saw (a status update of one task). Call inside the writer's transaction."""
    case_require_open(case)
    plan_get_or_create(case)
    plan = (Plan.objects.select_for_update(of=("self",)).select_related("changed_by")
            .get(case=case))
    if expected_version is not None and plan.version != expected_version:
        who = plan.changed_by.get_full_name() if plan.changed_by else _("en annen")
        when = formats.time_format(timezone.localtime(plan.updated_at), "H:i")
        raise DomainError(
            _("Planen ble endret av %(who)s kl. %(when)s etter at du åpnet den. Endringen din er "
              "ikke lagret, men står i skjemaet: se over planen og lagre igjen.")
            % {"who": who, "when": when}, code="stale")
    plan.version += 1
    plan.changed_by = actor.user
    plan.updated_at = clock.now()
    plan.save(update_fields=["version", "changed_by", "updated_at"])
    return plan


# --- checks --------------------------------------------------------------------------------------

def _require_writer(actor: Actor, case: Case) -> None:
    """Someone who sees the workflow, on an open case (the closed-case message comes first: it is
    the one that matters whatever else is wrong)."""
    if not may_see_workflow(actor, case):
        raise DomainError(_("Du må være med i teamet for å endre planen."), code="not_on_team")
    case_require_open(case)


def _require_coordinator(actor: Actor, case: Case) -> None:
    _require_writer(actor, case)
    if not may_coordinate(actor, case):
        raise DomainError(_("Bare sakens koordinator kan endre målene i planen."),
                          code="not_allowed")


def is_responsible(actor: Actor, task: Task, case: Case) -> bool:
    """The actor is on the team for the agency the task belongs to."""
    return (actor.membership is not None and actor.membership.agency_id == task.agency_id
            and is_team_member(actor=actor, case=case))


def _require_task_writer(actor: Actor, task: Task, case: Case) -> None:
    _require_writer(actor, case)
    if not (may_coordinate(actor, case) or is_responsible(actor, task, case)):
        raise DomainError(_("Bare koordinatoren og den ansvarlige virksomheten kan endre "
                            "oppgaven."), code="not_allowed")


def _clean_text(value: str | None, *, max_length: int, required: str, too_long: str,
                code: str) -> str:
    text = (value or "").strip()
    if not text and required:
        raise DomainError(required, code=code)
    if len(text) > max_length:
        raise DomainError(too_long % {"n": max_length}, code=code)
    return text


def _task_title(title: str | None) -> str:
    return _clean_text(title, max_length=TITLE_MAX_LENGTH, required=_("Skriv hva som skal gjøres."),
                       too_long=_("Oppgaven kan være høyst %(n)s tegn."), code="title")


def _check_due(due_on: dt.date | None) -> None:
    # A new task may not be due before the day it is made: it would be born overdue and only
    # make noise. Something already done is recorded as a task with its outcome instead.
    if due_on is not None and due_on < clock.today():
        raise DomainError(_("Fristen kan ikke være før i dag."), code="due_past")
    if due_on is not None and due_on > clock.today() + dt.timedelta(days=DUE_MAX_DAYS):
        raise DomainError(_("Fristen kan være høyst tre år fram i tid."), code="due_far")


def _check_assignee(case: Case, agency: Agency, assignee: User | None) -> None:
    if not TeamMember.objects.active().filter(case=case, agency=agency).exists():
        raise DomainError(_("Virksomheten er ikke med i teamet."), code="agency_not_on_team")
    if assignee is not None and not TeamMember.objects.active().filter(
            case=case, agency=agency, user=assignee).exists():
        raise DomainError(_("Den ansvarlige personen er ikke med i teamet for virksomheten."),
                          code="assignee_not_on_team")


def _check_goal(goal: Goal | None, plan: Plan) -> None:
    if goal is not None and goal.plan_id != plan.pk:
        raise DomainError(_("Målet hører til en annen plan."), code="goal")


def _locked_task(task: Task, plan: Plan) -> Task:
    """The task as stored now (the caller holds the plan's lock, so nobody changes it under us)."""
    current = Task.objects.filter(pk=task.pk, plan=plan).first()
    if current is None:
        raise DomainError(_("Oppgaven finnes ikke i denne planen."), code="task")
    return current


def _require_open_task(task: Task) -> None:
    if task.status != TaskStatus.OPEN:
        raise DomainError(_("Oppgaven er %(status)s. Den må åpnes igjen før den kan endres.")
                          % {"status": task.get_status_display().lower()}, code="task_closed")


# --- goals ---------------------------------------------------------------------------------------

@transaction.atomic
def goal_create(
    *, actor: Actor, case: Case, title: str, indicator: str = "", family_visible: bool = True,
    expected_version: int | None,
) -> Goal:
    """A new goal with its indicator (how the team will know it is reached). Coordinator only."""
    _require_coordinator(actor, case)
    title = _clean_text(title, max_length=GOAL_TITLE_MAX_LENGTH, required=_("Skriv målet."),
                        too_long=_("Målet kan være høyst %(n)s tegn."), code="title")
    indicator = _clean_text(indicator, max_length=INDICATOR_MAX_LENGTH, required="",
                            too_long=_("Indikatoren kan være høyst %(n)s tegn."),
                            code="indicator")
    plan = plan_lock(actor=actor, case=case, expected_version=expected_version)
    last = plan.goals.order_by("-position").values_list("position", flat=True).first()
    goal = Goal.objects.create(plan=plan, title=title, indicator=indicator,
                               family_visible=family_visible, created_by=actor.user,
                               position=0 if last is None else last + 1)
    audit_record(action=Action.PLAN_CHANGE, actor=actor, obj=goal, persons=[case.person_id],
                 purpose=Purpose.FOREBYGGING,
                 details={"op": "goal_create", "version": plan.version})
    return goal


@transaction.atomic
def goal_update(
    *, actor: Actor, goal: Goal, title: str, indicator: str, status: str, family_visible: bool,
    expected_version: int | None,
) -> Goal:
    """Change a goal's text, indicator, status (active, reached, dropped) or whether the family's
    version of the plan shows it. Coordinator only."""
    case = goal.plan.case
    _require_coordinator(actor, case)
    title = _clean_text(title, max_length=GOAL_TITLE_MAX_LENGTH, required=_("Skriv målet."),
                        too_long=_("Målet kan være høyst %(n)s tegn."), code="title")
    indicator = _clean_text(indicator, max_length=INDICATOR_MAX_LENGTH, required="",
                            too_long=_("Indikatoren kan være høyst %(n)s tegn."),
                            code="indicator")
    if status not in GoalStatus.values:
        raise DomainError(_("Ukjent status for målet."), code="status")
    plan = plan_lock(actor=actor, case=case, expected_version=expected_version)
    current = Goal.objects.filter(pk=goal.pk, plan=plan).first()
    if current is None:
        raise DomainError(_("Målet finnes ikke i denne planen."), code="goal")
    new = {"title": title, "indicator": indicator, "status": status,
           "family_visible": family_visible}
    changed = sorted(name for name, value in new.items() if getattr(current, name) != value)
    for name in changed:
        setattr(current, name, new[name])
    current.save(update_fields=[*changed, "updated_at"])
    audit_record(action=Action.PLAN_CHANGE, actor=actor, obj=current, persons=[case.person_id],
                 purpose=Purpose.FOREBYGGING,
                 details={"op": "goal_update", "fields": changed, "version": plan.version})
    return current


# --- tasks ---------------------------------------------------------------------------------------

@transaction.atomic
def task_create(
    *, actor: Actor, case: Case, title: str, agency: Agency, assignee: User | None = None,
    due_on: dt.date | None = None, goal: Goal | None = None, family_visible: bool = True,
    expected_version: int | None = None,
) -> Task:
    """Add a task to the plan: what, which agency on the team (and which person there), by when.
    The coordinator may give a task to any agency on the team; a team member to their own."""
    _require_writer(actor, case)
    own = actor.membership is not None and actor.membership.agency_id == agency.pk
    if not (may_coordinate(actor, case) or own):
        raise DomainError(_("Bare koordinatoren kan gi oppgaver til andre virksomheter."),
                          code="not_allowed")
    title = _task_title(title)
    _check_due(due_on)
    _check_assignee(case, agency, assignee)
    plan = plan_lock(actor=actor, case=case, expected_version=expected_version)
    _check_goal(goal, plan)
    task = Task.objects.create(plan=plan, goal=goal, title=title, agency=agency,
                               assignee=assignee, due_on=due_on, family_visible=family_visible,
                               created_by=actor.user)
    audit_record(action=Action.TASK_CHANGE, actor=actor, obj=task, persons=[case.person_id],
                 purpose=Purpose.FOREBYGGING, details={"op": "create", "version": plan.version})
    webhooks.emit(event=WebhookEvent.TASK_CREATED, agencies=[agency],
                  data={"task": str(task.pk), "case": str(case.pk)},
                  key=f"task.created:{task.pk}", person_id=case.person_id)
    return task


@transaction.atomic
def task_update(
    *, actor: Actor, task: Task, title: str, agency: Agency, assignee: User | None,
    due_on: dt.date | None, goal: Goal | None, family_visible: bool,
    expected_version: int | None,
) -> Task:
    """Change an open task: what, who, by when, under which goal, shown to the family or not. The
    coordinator may move it to another agency on the team; the responsible agency's team member
    may change the rest of their own task."""
    case = task.plan.case
    _require_task_writer(actor, task, case)
    if agency.pk != task.agency_id and not may_coordinate(actor, case):
        raise DomainError(_("Bare koordinatoren kan gi oppgaver til andre virksomheter."),
                          code="not_allowed")
    title = _task_title(title)
    _check_assignee(case, agency, assignee)
    plan = plan_lock(actor=actor, case=case, expected_version=expected_version)
    current = _locked_task(task, plan)
    _require_open_task(current)
    if due_on != current.due_on:
        _check_due(due_on)
    _check_goal(goal, plan)
    new = {"title": title, "agency_id": agency.pk, "assignee_id": assignee.pk if assignee else None,
           "due_on": due_on, "goal_id": goal.pk if goal else None,
           "family_visible": family_visible}
    changed = sorted(name for name, value in new.items() if getattr(current, name) != value)
    for name in changed:
        setattr(current, name, new[name])
    current.save(update_fields=[*changed, "updated_at"])
    audit_record(action=Action.TASK_CHANGE, actor=actor, obj=current, persons=[case.person_id],
                 purpose=Purpose.FOREBYGGING,
                 details={"op": "update", "fields": [n.removesuffix("_id") for n in changed],
                          "version": plan.version})
    return current


def _close_task(*, actor: Actor, task: Task, status: TaskStatus, text: str, required: str,
                op: str, expected_version: int | None) -> Task:
    case = task.plan.case
    _require_task_writer(actor, task, case)
    text = _clean_text(text, max_length=OUTCOME_MAX_LENGTH, required=required,
                       too_long=_("Teksten kan være høyst %(n)s tegn."), code="outcome")
    plan = plan_lock(actor=actor, case=case, expected_version=expected_version)
    current = _locked_task(task, plan)
    _require_open_task(current)
    current.status = status
    current.outcome = text
    current.completed_at = clock.now() if status == TaskStatus.DONE else None
    current.save(update_fields=["status", "outcome", "completed_at", "updated_at"])
    audit_record(action=Action.TASK_CHANGE, actor=actor, obj=current, persons=[case.person_id],
                 purpose=Purpose.FOREBYGGING, details={"op": op, "version": plan.version})
    return current


@transaction.atomic
def task_complete(*, actor: Actor, task: Task, outcome: str,
                  expected_version: int | None = None) -> Task:
    """Mark an open task done with its outcome (required): by the coordinator or the responsible
    agency's team member."""
    return _close_task(actor=actor, task=task, status=TaskStatus.DONE, text=outcome,
                       required=_("Skriv hva som ble resultatet."), op="complete",
                       expected_version=expected_version)


@transaction.atomic
def task_cancel(*, actor: Actor, task: Task, reason: str,
                expected_version: int | None = None) -> Task:
    """Cancel an open task with the reason (kept as its outcome): by the coordinator or the
    responsible agency's team member."""
    return _close_task(actor=actor, task=task, status=TaskStatus.CANCELLED, text=reason,
                       required=_("Skriv hvorfor oppgaven avlyses."), op="cancel",
                       expected_version=expected_version)


@transaction.atomic
def task_reopen(*, actor: Actor, task: Task, expected_version: int | None = None) -> Task:
    """Open a done or cancelled task again (its outcome stays until it is closed anew).
    Coordinator only."""
    case = task.plan.case
    _require_writer(actor, case)
    if not may_coordinate(actor, case):
        raise DomainError(_("Bare sakens koordinator kan åpne en oppgave igjen."),
                          code="not_allowed")
    plan = plan_lock(actor=actor, case=case, expected_version=expected_version)
    current = _locked_task(task, plan)
    if current.status == TaskStatus.OPEN:
        raise DomainError(_("Oppgaven er allerede åpen."), code="task_open")
    current.status = TaskStatus.OPEN
    current.completed_at = None
    current.save(update_fields=["status", "completed_at", "updated_at"])
    audit_record(action=Action.TASK_CHANGE, actor=actor, obj=current, persons=[case.person_id],
                 purpose=Purpose.FOREBYGGING, details={"op": "reopen", "version": plan.version})
    return current
