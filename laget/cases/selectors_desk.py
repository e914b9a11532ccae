"""The SaLTo coordinator's desk, each agency's start-page figures and its list of open tasks.

Each read takes a bounded number of queries whatever the number of cases (the desk's test counts
them). Entry times come from laget.sharing.selectors (times only, never content); agencies whose
involvement is confidential are named only as the sharing engine allows."""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Role
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.cases.concerns import concern_new_for, concerns_addressed_to
from laget.cases.models import (
    CaseStatusChange,
    Concern,
    ConcernStatus,
    HandoverConfirmation,
    Meeting,
    Task,
)
from laget.cases.selectors_meetings import meetings_this_week_for
from laget.core import clock
from laget.core.errors import DomainError
from laget.records.models import OPEN_STATUSES, Case, CaseStatus, TeamMember
from laget.records.services import CASE_ROLES, is_district_coordinator
from laget.sharing.selectors import entry_latest_by_case_for, involvements_known_for

#: The desk reads for coordinated prevention, as the case page does.
PURPOSE = Purpose.FOREBYGGING
DESK_ROLES = frozenset({Role.COORDINATOR, Role.LEADER})
#: A case with nothing new for this long is listed as without activity.
IDLE_DAYS = 30
#: How far back the desk lists concerns that landed on open cases.
LANDED_DAYS = 14
PAGE_SIZE = 25
DESK_STATUSES = (CaseStatus.ASSESSMENT, CaseStatus.ACTIVE, CaseStatus.CLOSING)


def may_use_desk(actor: Actor | None) -> bool:
    """The desk is the bydel's: its SaLTo coordinators and leaders."""
    agency = actor.agency if actor is not None else None
    return bool(agency and agency.type == AgencyType.BYDEL and agency.district_id
                and actor is not None and is_district_coordinator(actor, agency.district_id))


@dataclass(frozen=True)
class DeskCase:
    case: Case
    last_activity: dt.datetime


@dataclass(frozen=True)
class StatusGroup:
    status: str
    label: str
    cases: list[DeskCase]


@dataclass(frozen=True)
class Desk:
    groups: list[StatusGroup]
    new_concerns: list[Concern]
    #: concerns that landed on the bydel's open cases since `landed_since`
    landed: list[Concern]
    landed_since: dt.date
    overdue: list[Task]
    meetings: list[Meeting]
    idle: list[DeskCase]
    idle_days: int
    #: team members not yet asked answered whether they stay after a handover to the bydel
    handover_questions: int


def _latest(queryset: QuerySet, column: str) -> Subquery:
    return Subquery(queryset.order_by(f"-{column}").values(column)[:1])


def _my_cases(actor: Actor, district_id: str, day: dt.date) -> list[Case]:
    """The bydel's open cases with the actor on the team, with the time of each kind of activity
    except entries (those come through the sharing engine)."""
    assert actor.membership is not None
    now = clock.now()
    on_team = TeamMember.objects.active(day).filter(
        case_id=OuterRef("pk"), user_id=actor.user.pk, agency_id=actor.membership.agency_id)
    return list(
        Case.objects.open().filter(Exists(on_team), district_id=district_id)
        .annotate(
            status_at=_latest(CaseStatusChange.objects.filter(case_id=OuterRef("pk")),
                              "changed_at"),
            plan_at=F("plan__updated_at"),
            task_at=_latest(Task.objects.filter(plan__case_id=OuterRef("pk")), "updated_at"),
            meeting_changed_at=_latest(Meeting.objects.filter(case_id=OuterRef("pk")),
                                       "updated_at"),
            meeting_held_at=_latest(Meeting.objects.filter(case_id=OuterRef("pk"),
                                                           starts_at__lte=now), "starts_at"),
        )
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "id")
    )


def _last_activity(case: Case, entry_at: dt.datetime | None) -> dt.datetime:
    times = [case.created_at, entry_at, case.status_at, case.plan_at,  # type: ignore[attr-defined]
             case.task_at, case.meeting_changed_at, case.meeting_held_at]  # type: ignore[attr-defined]
    return max(t for t in times if t is not None)


@transaction.atomic
def desk_for(*, actor: Actor) -> Desk:
    """The coordinator's desk: my cases by status, new concerns to assess, concerns that landed on
    open cases lately, overdue tasks in my cases, this week's meetings, cases without activity,
    open questions after handovers. One audit event names every person shown."""
    if not may_use_desk(actor):
        raise DomainError(_("Oversikten er for SaLTo-koordinatorer og ledere i en bydel."),
                          code="not_coordinator")
    assert actor.agency is not None and actor.agency.district_id
    district_id = actor.agency.district_id
    today, now = clock.today(), clock.now()

    cases = _my_cases(actor, district_id, today)
    entry_at = entry_latest_by_case_for(actor=actor, case_ids=[c.pk for c in cases],
                                        purpose=PURPOSE)
    rows = [DeskCase(c, _last_activity(c, entry_at.get(c.pk))) for c in cases]
    groups = [StatusGroup(str(s), str(CaseStatus(s).label),
                          [r for r in rows if r.case.status == s]) for s in DESK_STATUSES]
    idle_before = now - dt.timedelta(days=IDLE_DAYS)
    idle = sorted((r for r in rows if r.last_activity < idle_before),
                  key=lambda r: r.last_activity)

    new_concerns = list(concern_new_for(actor=actor))
    landed_since = today - dt.timedelta(days=LANDED_DAYS)
    landed = list(
        Concern.objects.filter(status=ConcernStatus.ON_CASE, case__district_id=district_id,
                               case__status__in=sorted(OPEN_STATUSES),
                               submitted_at__gte=now - dt.timedelta(days=LANDED_DAYS))
        .select_related("case__person").order_by("-submitted_at", "-id")
    )

    overdue = list(
        Task.objects.overdue(today).filter(plan__case__in=[c.pk for c in cases])
        .select_related("plan__case__person", "agency", "assignee")
        .order_by("due_on", "created_at", "id")
    )
    known = involvements_known_for(actor=actor, pairs=[(t.plan.case, t.agency) for t in overdue],
                                   purpose=PURPOSE)
    overdue = [t for t in overdue if (t.plan.case_id, t.agency_id) in known]

    meetings = meetings_this_week_for(actor=actor, on=today)
    questions = HandoverConfirmation.objects.filter(
        stays__isnull=True, handover__case__district_id=district_id,
        handover__case__status__in=sorted(OPEN_STATUSES)).count()

    persons = ({c.person_id for c in cases} | {c.person_id for c in new_concerns if c.person_id}
               | {c.case.person_id for c in landed if c.case}
               | {m.case.person_id for m in meetings})
    audit_record(action=Action.DESK_VIEW, actor=actor, persons=sorted(persons, key=str),
                 purpose=PURPOSE,
                 details={"cases": len(cases), "new_concerns": len(new_concerns),
                          "landed": len(landed), "overdue": len(overdue),
                          "meetings": len(meetings), "idle": len(idle)})
    return Desk(groups=groups, new_concerns=new_concerns, landed=landed,
                landed_since=landed_since, overdue=overdue, meetings=meetings, idle=idle,
                idle_days=IDLE_DAYS, handover_questions=questions)


# --- each agency's start page and its open tasks -------------------------------------------------

@dataclass(frozen=True)
class StartFigures:
    #: open cases with someone from the actor's agency on the team today
    team_cases: int
    open_tasks: int
    overdue_tasks: int
    #: for the bydel's coordinators and leaders: concerns waiting for assessment
    new_concerns: int | None


def _agency_open_tasks(actor: Actor) -> QuerySet[Task]:
    assert actor.membership is not None
    return Task.objects.open().filter(agency_id=actor.membership.agency_id,
                                      plan__case__status__in=sorted(OPEN_STATUSES))


def start_figures_for(*, actor: Actor) -> StartFigures | None:
    """Counts for the start page's cards (no personal data, so no audit event); None for roles
    outside the case work."""
    if actor.membership is None or actor.role not in CASE_ROLES:
        return None
    today = clock.today()
    team_cases = Case.objects.open().filter(Exists(TeamMember.objects.active(today).filter(
        case_id=OuterRef("pk"), agency_id=actor.membership.agency_id))).count()
    tasks = _agency_open_tasks(actor).aggregate(
        total=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
    new = None
    if may_use_desk(actor):
        assert actor.agency is not None and actor.agency.district_id
        new = Concern.objects.filter(concerns_addressed_to(actor.agency.district_id),
                                     status=ConcernStatus.NEW).count()
    return StartFigures(team_cases=team_cases, open_tasks=tasks["total"],
                        overdue_tasks=tasks["overdue"], new_concerns=new)


@dataclass(frozen=True)
class AgencyTask:
    task: Task
    #: whether the actor may open the task's case (team member, or the bydel's coordinator);
    #: otherwise the row shows neither the person nor the task's title
    case_visible: bool


CASE_HIDDEN_NOTE = gettext_lazy("Sak der du ikke er med i teamet")


def agency_tasks_for(*, actor: Actor, page: int | str = 1) -> Page:
    """The open tasks of the actor's agency across its cases, overdue first, then by due date.
    A task on a case the actor may not open shows only its bydel, due date and assignee. Audited
    with the persons whose names are shown."""
    assert actor.membership is not None
    today = clock.today()
    agency = actor.membership.agency
    visible = Q(Exists(TeamMember.objects.active(today).filter(
        case_id=OuterRef("plan__case_id"), user_id=actor.user.pk, agency_id=agency.pk)))
    if agency.district_id and is_district_coordinator(actor, agency.district_id):
        visible |= Q(plan__case__district_id=agency.district_id)
    tasks = (
        _agency_open_tasks(actor)
        .annotate(case_visible=ExpressionWrapper(visible, output_field=BooleanField()))
        .select_related("plan__case__person", "plan__case__district", "assignee")
        .order_by(F("due_on").asc(nulls_last=True), "created_at", "id")
    )
    result = Paginator(tasks, PAGE_SIZE).get_page(page)
    rows = [AgencyTask(t, bool(t.case_visible)) for t in result.object_list]  # type: ignore[attr-defined]
    result.object_list = rows
    audit_record(action=Action.CASE_LIST, actor=actor, purpose=PURPOSE,
                 persons={r.task.plan.case.person_id for r in rows if r.case_visible},
                 details={"view": "agency_tasks", "results": len(rows)})
    return result
