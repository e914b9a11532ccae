"""The auditor's unusual-access report: the audit layer's own checks (laget.audit.unusual: reads
outside the reader's bydel, many persons in a short time) plus the one that needs cases, teams and
the plan's tasks, which the audit layer may not import: (c) reads with no open task — the reader
was not, that day, on the team of a case for the person that was open at the time with an open
task for the reader's agency at that moment (the case's own bydel, which coordinates it, needs no
task). Producing the report is recorded (AUDIT_UNUSUAL).
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType
from laget.audit import unusual
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.cases.models import Task, TaskStatus
from laget.core.clock import OSLO
from laget.records.models import CaseStatus, TeamMember


@dataclass(frozen=True)
class UnusualReport:
    date_from: dt.date
    date_to: dt.date
    outside_district: unusual.Section[unusual.PersonReads]
    many_persons: unusual.Section[unusual.Burst]
    without_task: unusual.Section[unusual.PersonReads]
    threshold: int
    window_minutes: int


def reads_without_task(
    *, date_from: dt.date, date_to: dt.date, limit: int = unusual.ROW_LIMIT
) -> unusual.Section[unusual.PersonReads]:
    """(c) Reads with no open task: no case for the person, open at the moment of the read
    (opened before it, not closed or closed after), had the reader on its team that Oslo day
    with either an open task for the reader's agency at that moment (made before the read, not
    done or cancelled before it) or the reader's agency being the case's own bydel."""
    subjects = unusual.read_subjects(date_from=date_from, date_to=date_to).annotate(
        day=TruncDate("event__occurred_at", tzinfo=OSLO))
    at = OuterRef(OuterRef("event__occurred_at"))
    open_task = Task.objects.filter(
        Q(status=TaskStatus.OPEN) | Q(status=TaskStatus.DONE, completed_at__gt=at)
        | Q(status=TaskStatus.CANCELLED, updated_at__gt=at),
        plan__case_id=OuterRef("case_id"), agency_id=OuterRef("agency_id"), created_at__lte=at,
    )
    coordinating = Q(agency__type=AgencyType.BYDEL, agency__district_id=F("case__district_id"))
    on_team_with_task = TeamMember.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=OuterRef("day")),
        ~Q(case__status=CaseStatus.CLOSED)
        | Q(case__closed_at__gt=OuterRef("event__occurred_at")),
        coordinating | Exists(open_task),
        user_id=OuterRef("event__actor_id"), agency_id=OuterRef("event__agency_id"),
        case__person_id=OuterRef("person_id"),
        joined_on__lte=OuterRef("day"), case__created_at__lte=OuterRef("event__occurred_at"),
    )
    return unusual.person_reads(subjects.filter(~Exists(on_team_with_task)), limit=limit)


@transaction.atomic
def unusual_access_report(*, actor: Actor, date_from: dt.date, date_to: dt.date
                          ) -> UnusualReport:
    """All three checks for a period of Oslo days (inclusive), recorded as one event that says
    how many rows each check found (persons are shown by id only and not listed in the event)."""
    report = UnusualReport(
        date_from=date_from, date_to=date_to,
        outside_district=unusual.reads_outside_district(date_from=date_from, date_to=date_to),
        many_persons=unusual.many_persons_bursts(date_from=date_from, date_to=date_to),
        without_task=reads_without_task(date_from=date_from, date_to=date_to),
        threshold=settings.LAGET_UNUSUAL_MANY_PERSONS,
        window_minutes=settings.LAGET_UNUSUAL_WINDOW_MINUTES,
    )
    audit_record(
        action=Action.AUDIT_UNUSUAL, actor=actor, purpose=Purpose.TILSYN,
        details={"from": date_from.isoformat(), "to": date_to.isoformat(),
                 "outside_district": report.outside_district.total,
                 "many_persons": report.many_persons.total,
                 "without_task": report.without_task.total,
                 "threshold": report.threshold, "window_minutes": report.window_minutes},
    )
    return report
