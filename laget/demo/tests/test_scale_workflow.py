"""build_workflow(): the scale cases' SaLTo workflow at a tiny size — every case has its status
history, every open case a plan with goals and tasks for agencies on its team, meetings and
contacts are plausible, a second run changes nothing, and without a scale seed it refuses."""

import datetime as dt
import itertools
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.cases.models import (
    CaseStatusChange,
    Concern,
    ConcernStatus,
    GuardianContact,
    Meeting,
    MeetingDecision,
    MeetingParticipant,
    MeetingStatus,
    ParticipantKind,
    Plan,
    Task,
    TaskStatus,
)
from laget.cases.selectors_meetings import day_bounds
from laget.core import clock
from laget.core.errors import DomainError
from laget.demo.scale import WORKFLOW_KIND, ScaleSize, build_scale, build_workflow
from laget.records.models import Case, CaseStatus, TeamMember

pytestmark = pytest.mark.django_db

TINY = ScaleSize(persons=300, entries=600, users=60, districts=2)


@pytest.fixture
def built():
    build_scale(size=TINY, seed=7)
    return build_workflow(seed=7)


def test_status_history_and_plans(built):
    assert built.created and built.status_changes == CaseStatusChange.objects.count()
    for case in Case.objects.all():
        moves = list(case.status_changes.order_by("changed_at", "id"))
        assert moves[0].from_status == "" and moves[0].to_status == CaseStatus.ASSESSMENT
        assert moves[-1].to_status == case.status  # the history ends where the case is
        for before, after in itertools.pairwise(moves):
            assert after.from_status == before.to_status and after.reason
            assert after.changed_at > before.changed_at
        assert moves[0].changed_by_id == case.opened_by_id
    # every open case has a plan with goals and tasks for agencies on its team
    today = clock.today()
    open_cases = Case.objects.open()
    assert Plan.objects.count() == open_cases.count() == built.plans > 0
    assert not Plan.objects.filter(case__status=CaseStatus.CLOSED).exists()
    for plan in Plan.objects.select_related("case"):
        assert 1 <= plan.goals.count() <= 3
        tasks = list(plan.tasks.all())
        assert 2 <= len(tasks) <= 8
        team = set(TeamMember.objects.filter(case=plan.case).values_list("agency_id", "user_id"))
        assert all((t.agency_id, t.assignee_id) in team for t in tasks)
        assert plan.version >= plan.goals.count() + len(tasks)
    statuses = Counter(Task.objects.values_list("status", flat=True))
    assert statuses[TaskStatus.OPEN] and statuses[TaskStatus.DONE] and statuses[
        TaskStatus.CANCELLED]
    assert Task.objects.overdue(today).exists()
    assert not Task.objects.filter(status=TaskStatus.DONE, outcome="").exists()
    assert not Task.objects.filter(completed_at__gt=clock.now()).exists()


def test_meetings_contacts_and_concerns(built):
    now = clock.now()
    assert Meeting.objects.count() == built.meetings > 0
    assert not Meeting.objects.filter(status=MeetingStatus.HELD, starts_at__gt=now).exists()
    assert not Meeting.objects.filter(status=MeetingStatus.HELD, minutes="").exists()
    assert not Meeting.objects.filter(status=MeetingStatus.CANCELLED,
                                      starts_at__gt=now).exists()
    assert Meeting.objects.filter(status=MeetingStatus.PLANNED, starts_at__gt=now).exists()
    monday = clock.today() - dt.timedelta(days=clock.today().weekday())
    start, _ = day_bounds(monday)
    end, _ = day_bounds(monday + dt.timedelta(days=7))
    assert Meeting.objects.filter(starts_at__gte=start, starts_at__lt=end).exists()
    for meeting in Meeting.objects.filter(status=MeetingStatus.PLANNED, starts_at__gt=now):
        assert not meeting.participants.exclude(attended=None).exists()
    team = MeetingParticipant.objects.filter(kind=ParticipantKind.TEAM)
    assert team.exists() and not team.filter(user__isnull=True).exists()
    decided = MeetingDecision.objects.filter(task__isnull=False).select_related("task",
                                                                                 "meeting")
    for decision in decided:
        assert decision.task.plan.case_id == decision.meeting.case_id
    assert MeetingParticipant.objects.count() == built.participants
    # contacts with the case's own guardians, in the past; new concerns about persons without
    # a case
    for contact in GuardianContact.objects.select_related("guardian", "case"):
        assert contact.guardian.person_id == contact.case.person_id
        assert contact.contacted_on <= clock.today()
    assert GuardianContact.objects.count() == built.guardian_contacts
    concerns = Concern.objects.all()
    assert concerns.count() == built.concerns >= 4 * TINY.districts
    assert not concerns.exclude(status=ConcernStatus.NEW).exists()
    with_case = set(Case.objects.values_list("person_id", flat=True))
    assert not any(c.person_id in with_case for c in concerns if c.person_id)


def test_a_second_run_changes_nothing(built):
    counts = (Plan.objects.count(), Task.objects.count(), Meeting.objects.count())
    again = build_workflow(seed=7)
    assert not again.created
    assert (Plan.objects.count(), Task.objects.count(), Meeting.objects.count()) == counts
    assert AuditEvent.objects.filter(action=Action.DEMO_SEED,
                                     details__kind=WORKFLOW_KIND).count() == 1
    out = StringIO()
    call_command("seed_scale", persons=300, entries=600, users=60, districts=2, seed=7,
                 workflow=True, audit_events=0, stdout=out)
    assert "already there" in out.getvalue()


def test_the_same_seed_gives_the_same_workflow():
    build_scale(size=TINY, seed=7)
    build_workflow(seed=7)
    first = sorted(Task.objects.values_list("id", "title", "due_on", "status"))
    Task.objects.all().delete()
    Meeting.objects.all().delete()
    Plan.objects.all().delete()
    CaseStatusChange.objects.all().delete()
    GuardianContact.objects.all().delete()
    Concern.objects.all().delete()
    AuditEvent.objects.filter(details__kind=WORKFLOW_KIND).delete()
    build_workflow(seed=7)
    assert sorted(Task.objects.values_list("id", "title", "due_on", "status")) == first


def test_refused_without_a_scale_seed():
    with pytest.raises(DomainError, match="seed_scale first"):
        build_workflow(seed=7)
    assert not Plan.objects.exists()


def test_the_command_adds_the_workflow_to_a_seeded_database():
    build_scale(size=TINY, seed=7)
    out = StringIO()
    call_command("seed_scale", persons=300, entries=600, users=60, districts=2, seed=7,
                 workflow=True, audit_events=0, stdout=out)
    assert "already seeded" in out.getvalue() and "plans" in out.getvalue()
    assert Plan.objects.count() == Case.objects.open().count()
