"""The auditor's unusual-access report: the audit layer's own checks (laget.audit.unusual: reads
outside the reader's bydel, many persons in a short time) plus the one that needs cases and teams,
which the audit layer may not import: (c) reads of a person's data by a user who was not, that
day, on the team of a case for that person that was open at the time.

Laget has no task model yet; when SaLTo's tasks arrive, "no open task" replaces "not on the team
of an open case" here. Producing the report is recorded (AUDIT_UNUSUAL).
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import TruncDate

from laget.accounts.actor import Actor
from laget.audit import unusual
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.core.clock import OSLO
from laget.records.models import CaseStatus, TeamMember


@dataclass(frozen=True)
class UnusualReport:
    date_from: dt.date
    date_to: dt.date
    outside_district: unusual.Section[unusual.PersonReads]
    many_persons: unusual.Section[unusual.Burst]
    without_team: unusual.Section[unusual.PersonReads]
    threshold: int
    window_minutes: int


def reads_without_team(
    *, date_from: dt.date, date_to: dt.date, limit: int = unusual.ROW_LIMIT
) -> unusual.Section[unusual.PersonReads]:
    """(c) Reads where the reader was on no team, that Oslo day, of a case for the person that
    was open at the moment of the read (opened before it, and not closed yet or closed after)."""
    subjects = unusual.read_subjects(date_from=date_from, date_to=date_to).annotate(
        day=TruncDate("event__occurred_at", tzinfo=OSLO))
    on_team = TeamMember.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=OuterRef("day")),
        ~Q(case__status=CaseStatus.CLOSED)
        | Q(case__closed_at__gt=OuterRef("event__occurred_at")),
        user_id=OuterRef("event__actor_id"), case__person_id=OuterRef("person_id"),
        joined_on__lte=OuterRef("day"), case__created_at__lte=OuterRef("event__occurred_at"),
    )
    return unusual.person_reads(subjects.filter(~Exists(on_team)), limit=limit)


@transaction.atomic
def unusual_access_report(*, actor: Actor, date_from: dt.date, date_to: dt.date
                          ) -> UnusualReport:
    """All three checks for a period of Oslo days (inclusive), recorded as one event that says
    how many rows each check found (persons are shown by id only and not listed in the event)."""
    report = UnusualReport(
        date_from=date_from, date_to=date_to,
        outside_district=unusual.reads_outside_district(date_from=date_from, date_to=date_to),
        many_persons=unusual.many_persons_bursts(date_from=date_from, date_to=date_to),
        without_team=reads_without_team(date_from=date_from, date_to=date_to),
        threshold=settings.LAGET_UNUSUAL_MANY_PERSONS,
        window_minutes=settings.LAGET_UNUSUAL_WINDOW_MINUTES,
    )
    audit_record(
        action=Action.AUDIT_UNUSUAL, actor=actor, purpose=Purpose.TILSYN,
        details={"from": date_from.isoformat(), "to": date_to.isoformat(),
                 "outside_district": report.outside_district.total,
                 "many_persons": report.many_persons.total,
                 "without_team": report.without_team.total,
                 "threshold": report.threshold, "window_minutes": report.window_minutes},
    )
    return report
