"""Writes to a case's coordinated plan. Every change bumps the plan's version under a row lock;
a change made from an older version than the stored one is refused (optimistic locking), so two
people editing the same plan at once never silently overwrite each other. Atomic and audited."""

import datetime as dt

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, User
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.cases.access import may_coordinate, may_see_workflow
from laget.cases.models import Goal, Plan, Task
from laget.core import clock
from laget.core.errors import DomainError
from laget.records.models import Case, TeamMember
from laget.records.services import case_require_open

TITLE_MAX_LENGTH = 300


def plan_get_or_create(case: Case) -> Plan:
    plan, _created = Plan.objects.get_or_create(case=case)
    return plan


def plan_lock(*, actor: Actor, case: Case, expected_version: int | None) -> Plan:
    """Lock the case's plan for a change and bump its version. `expected_version` is the version
    the editor's form was built from; None means the change does not depend on what the editor
    saw (a status update of one task). Call inside the writer's transaction."""
    case_require_open(case)
    plan_get_or_create(case)
    plan = Plan.objects.select_for_update().select_related("changed_by").get(case=case)
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


def _check_due(due_on: dt.date | None) -> None:
    # A new task may not be due before the day it is made: it would be born overdue and only
    # make noise. Something already done is recorded as a task with its outcome instead.
    if due_on is not None and due_on < clock.today():
        raise DomainError(_("Fristen kan ikke være før i dag."), code="due_past")
    if due_on is not None and due_on > clock.today() + dt.timedelta(days=3 * 366):
        raise DomainError(_("Fristen kan være høyst tre år fram i tid."), code="due_far")


def _check_assignee(case: Case, agency: Agency, assignee: User | None) -> None:
    if not TeamMember.objects.active().filter(case=case, agency=agency).exists():
        raise DomainError(_("Virksomheten er ikke med i teamet."), code="agency_not_on_team")
    if assignee is not None and not TeamMember.objects.active().filter(
            case=case, agency=agency, user=assignee).exists():
        raise DomainError(_("Den ansvarlige personen er ikke med i teamet for virksomheten."),
                          code="assignee_not_on_team")


@transaction.atomic
def task_create(
    *, actor: Actor, case: Case, title: str, agency: Agency, assignee: User | None = None,
    due_on: dt.date | None = None, goal: Goal | None = None, family_visible: bool = True,
    expected_version: int | None = None,
) -> Task:
    """Add a task to the plan: what, which agency on the team (and which person there), by when.
    The coordinator may give a task to any agency on the team; a team member to their own."""
    if not may_see_workflow(actor, case):
        raise DomainError(_("Du må være med i teamet for å endre planen."), code="not_on_team")
    own = actor.membership is not None and actor.membership.agency_id == agency.pk
    if not (may_coordinate(actor, case) or own):
        raise DomainError(_("Bare koordinatoren kan gi oppgaver til andre virksomheter."),
                          code="not_allowed")
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Skriv hva som skal gjøres."), code="title")
    if len(title) > TITLE_MAX_LENGTH:
        raise DomainError(_("Oppgaven kan være høyst %(n)s tegn.") % {"n": TITLE_MAX_LENGTH},
                          code="title")
    _check_due(due_on)
    _check_assignee(case, agency, assignee)
    plan = plan_lock(actor=actor, case=case, expected_version=expected_version)
    if goal is not None and goal.plan_id != plan.pk:
        raise DomainError(_("Målet hører til en annen plan."), code="goal")
    task = Task.objects.create(plan=plan, goal=goal, title=title, agency=agency,
                               assignee=assignee, due_on=due_on, family_visible=family_visible,
                               created_by=actor.user)
    audit_record(action=Action.TASK_CHANGE, actor=actor, obj=task, persons=[case.person_id],
                 purpose=Purpose.FOREBYGGING, details={"op": "create", "version": plan.version})
    return task
