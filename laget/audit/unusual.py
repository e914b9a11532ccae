"""Unusual access, as far as the audit log alone can tell: (a) reads of a person's data by a user
whose agency belongs to another bydel than the person's, and (b) users who read many distinct
persons within a short window. The database does the counting (GROUP BY, correlated COUNT
DISTINCT on the (actor, occurred_at) index); Python only merges flagged windows into bursts.

Layering: `audit` sits below `records`, so it knows nothing of cases or teams. The report's third
check — (c) reads by a user who was not on the team of an open case for the person that day — and
the page itself live in the web layer (`laget.web.selectors.unusual`, `laget.web.views.oversight`),
which composes these functions with its own check and records the report (AUDIT_UNUSUAL).

A *read* is opening a person's data: a person, a case, entries, an attachment, a consent, an
emergency access (READ_ACTIONS), with outcome ok. Lists and name searches show many persons by
design (name, birth date, bydel) and are left out, or every page of a list would be a burst.
Districts are the current ones of the person and the agency; a city-wide agency (no bydel) never
reads "outside".
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
)

from laget.accounts.models import Agency
from laget.areas.models import District
from laget.audit.actions import Action, Outcome
from laget.audit.models import AuditEvent, AuditEventPerson
from laget.audit.selectors import oslo_midnight
from laget.people.models import Person

READ_ACTIONS = frozenset({
    Action.PERSON_VIEW, Action.CASE_VIEW, Action.ENTRY_LIST, Action.ENTRY_VIEW,
    Action.ATTACHMENT_VIEW, Action.EMERGENCY_ACCESS, Action.CONSENT_VIEW, Action.CONSENT_FORM,
})
#: The most rows a section of the report shows (the total is always given).
ROW_LIMIT = 200


@dataclass(frozen=True)
class PersonReads:
    """One user's reads of one person in the period, in one agency."""

    user_id: int | None
    username: str
    agency: Agency | None
    person_id: uuid.UUID
    reads: int
    first: dt.datetime
    last: dt.datetime
    person_district: District | None = None


@dataclass(frozen=True)
class Burst:
    """A stretch of time in which a user read at least the threshold of distinct persons within
    every window that starts at one of its flagged reads."""

    user_id: int
    username: str
    agency: Agency | None
    start: dt.datetime
    end: dt.datetime
    peak: int


@dataclass(frozen=True)
class Section[T]:
    rows: list[T]
    total: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


def _bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return oslo_midnight(date_from), oslo_midnight(date_to + dt.timedelta(days=1))


def read_events(*, date_from: dt.date, date_to: dt.date) -> QuerySet[AuditEvent]:
    """Successful reads by a known user between two Oslo days (inclusive)."""
    start, end = _bounds(date_from, date_to)
    return AuditEvent.objects.filter(
        action__in=READ_ACTIONS, outcome=Outcome.OK, actor__isnull=False,
        occurred_at__gte=start, occurred_at__lt=end,
    )


def read_subjects(*, date_from: dt.date, date_to: dt.date) -> QuerySet[AuditEventPerson]:
    """One row per (read, person read)."""
    start, end = _bounds(date_from, date_to)
    return AuditEventPerson.objects.filter(
        event__action__in=READ_ACTIONS, event__outcome=Outcome.OK, event__actor__isnull=False,
        event__occurred_at__gte=start, event__occurred_at__lt=end,
    )


def person_reads(
    subjects: QuerySet[AuditEventPerson], *, limit: int = ROW_LIMIT, with_district: bool = False
) -> Section[PersonReads]:
    """Group (read, person) rows by user, agency and person, most reads first."""
    fields = ["event__actor_id", "event__actor_label", "event__agency_id", "person_id"]
    if with_district:
        fields.append("person_district")
    groups = (
        subjects.values(*fields)
        .annotate(reads=Count("event_id"), first=Min("event__occurred_at"),
                  last=Max("event__occurred_at"))
        .order_by("-reads", "event__actor_label", "person_id")
    )
    total = groups.count()
    found = list(groups[:limit])
    agencies = Agency.objects.select_related("district").in_bulk(
        {g["event__agency_id"] for g in found if g["event__agency_id"]})
    districts = (District.objects.in_bulk({g["person_district"] for g in found})
                 if with_district else {})
    rows = [
        PersonReads(
            user_id=g["event__actor_id"], username=g["event__actor_label"],
            agency=agencies.get(g["event__agency_id"]), person_id=g["person_id"],
            reads=g["reads"], first=g["first"], last=g["last"],
            person_district=districts.get(g["person_district"]) if with_district else None,
        )
        for g in found
    ]
    return Section(rows=rows, total=total)


def reads_outside_district(
    *, date_from: dt.date, date_to: dt.date, limit: int = ROW_LIMIT
) -> Section[PersonReads]:
    """(a) Reads of persons who live in another bydel than the reader's agency belongs to."""
    district_of_person = Subquery(
        Person.objects.filter(pk=OuterRef("person_id")).values("district_id")[:1])
    subjects = (
        read_subjects(date_from=date_from, date_to=date_to)
        .filter(event__agency__district__isnull=False)
        .annotate(person_district=district_of_person)
        .filter(person_district__isnull=False)
        .exclude(person_district=F("event__agency__district_id"))
    )
    return person_reads(subjects, limit=limit, with_district=True)


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.LAGET_UNUSUAL_WINDOW_MINUTES)


def many_persons_bursts(
    *, date_from: dt.date, date_to: dt.date, limit: int = ROW_LIMIT
) -> Section[Burst]:
    """(b) Windows of LAGET_UNUSUAL_WINDOW_MINUTES in which one user read at least
    LAGET_UNUSUAL_MANY_PERSONS distinct persons, merged into bursts where they overlap.

    Each read by a candidate user (one who read that many persons in the whole period at all)
    starts a window; the database counts the distinct persons in it with a correlated subquery.
    Windows are sliding, not fixed buckets, so a burst across a bucket edge is not missed."""
    threshold = settings.LAGET_UNUSUAL_MANY_PERSONS
    window = _window()
    _, end = _bounds(date_from, date_to)
    candidates = (
        read_subjects(date_from=date_from, date_to=date_to)
        .values("event__actor_id")
        .annotate(persons=Count("person_id", distinct=True))
        .filter(persons__gte=threshold)
        .values("event__actor_id")
    )
    in_window = AuditEventPerson.objects.filter(
        event__actor_id=OuterRef("actor_id"), event__action__in=READ_ACTIONS,
        event__outcome=Outcome.OK, event__occurred_at__gte=OuterRef("occurred_at"),
        event__occurred_at__lt=ExpressionWrapper(OuterRef("occurred_at") + window,
                                                 output_field=DateTimeField()),
    ).filter(event__occurred_at__lt=end)
    persons_in_window = Subquery(
        in_window.order_by().values("event__actor_id")
        .annotate(n=Count("person_id", distinct=True)).values("n")[:1])
    last_in_window = Subquery(
        in_window.order_by().values("event__actor_id")
        .annotate(last=Max("event__occurred_at")).values("last")[:1])
    flagged = (
        read_events(date_from=date_from, date_to=date_to)
        .filter(actor_id__in=candidates)
        .annotate(persons=persons_in_window)
        .filter(persons__gte=threshold)
        .annotate(last=last_in_window)
        .order_by("actor_id", "occurred_at", "id")
        .values("actor_id", "actor_label", "agency_id", "occurred_at", "persons", "last")
    )
    bursts = _merge(list(flagged), window)
    bursts.sort(key=lambda b: (-b["peak"], b["start"]))
    agencies = Agency.objects.in_bulk({b["agency_id"] for b in bursts[:limit] if b["agency_id"]})
    rows = [
        Burst(user_id=b["actor_id"], username=b["actor_label"],
              agency=agencies.get(b["agency_id"]), start=b["start"], end=b["end"],
              peak=b["peak"])
        for b in bursts[:limit]
    ]
    return Section(rows=rows, total=len(bursts))


def _merge(flagged: list[dict[str, Any]], window: dt.timedelta) -> list[dict[str, Any]]:
    """Flagged window starts (ordered by user, time) → one burst per run of overlapping windows
    of the same user (shown with the agency the burst began in)."""
    bursts: list[dict[str, Any]] = []
    for row in flagged:
        current = bursts[-1] if bursts else None
        if (current is not None and current["actor_id"] == row["actor_id"]
                and row["occurred_at"] < current["last_start"] + window):
            current["last_start"] = row["occurred_at"]
            current["end"] = max(current["end"], row["last"])
            current["peak"] = max(current["peak"], row["persons"])
        else:
            bursts.append({"actor_id": row["actor_id"], "actor_label": row["actor_label"],
                           "agency_id": row["agency_id"], "start": row["occurred_at"],
                           "last_start": row["occurred_at"], "end": row["last"],
                           "peak": row["persons"]})
    return bursts
