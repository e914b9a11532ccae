"""Reading the audit log for the auditor: the event search and its filters, and finding a person's
id from a fødselsnummer or D-number. Every search and look-up is itself recorded.

The person filter works on the person's id (a UUID), never the number: the number is posted once
(PersonLookupForm), resolved here, and the page then carries only the id in its query string, so
pagination and the export link stay plain GET links with nothing in them that identifies anyone
outside Laget.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from laget.accounts.actor import Actor
from laget.accounts.models import Agency
from laget.audit.actions import Action, Purpose
from laget.audit.models import AuditEvent
from laget.audit.services import audit_record
from laget.core.clock import OSLO
from laget.people.models import Person

PAGE_SIZE = 50


@dataclass(frozen=True)
class EventFilters:
    """What the auditor searches for; empty fields do not filter. Dates are Oslo days, both
    inclusive."""

    person_id: uuid.UUID | None = None
    username: str = ""
    agency: Agency | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    action: str = ""
    outcome: str = ""
    purpose: str = ""
    basis: str = ""

    def details(self) -> dict[str, Any]:
        """The filters as the search's own audit event records them: codes and dates, and only
        *whether* a person, user or basis text was given (the person goes in `persons`)."""
        return {
            "by_person": self.person_id is not None,
            "by_user": bool(self.username),
            "by_basis": bool(self.basis),
            "agency": self.agency.code if self.agency else None,
            "action": self.action or None,
            "outcome": self.outcome or None,
            "purpose": self.purpose or None,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
        }


def oslo_midnight(day: dt.date) -> dt.datetime:
    """The instant an Oslo day begins (bounds on the indexed column, not a date cast of it)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=OSLO)


def audit_event_filter(filters: EventFilters) -> QuerySet[AuditEvent]:
    """The events matching `filters`, newest first. Not recorded: the caller records the search or
    export it serves."""
    events = AuditEvent.objects.select_related("agency").order_by("-id")
    if filters.person_id is not None:
        # one row per event and person (unique constraint), so the join never duplicates events
        events = events.filter(subjects__person_id=filters.person_id)
    if filters.username:
        events = events.filter(actor_label__iexact=filters.username)
    if filters.agency is not None:
        events = events.filter(agency=filters.agency)
    if filters.date_from:
        events = events.filter(occurred_at__gte=oslo_midnight(filters.date_from))
    if filters.date_to:
        events = events.filter(
            occurred_at__lt=oslo_midnight(filters.date_to + dt.timedelta(days=1)))
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.outcome:
        events = events.filter(outcome=filters.outcome)
    if filters.purpose:
        events = events.filter(purpose=filters.purpose)
    if filters.basis:
        events = events.filter(basis__icontains=filters.basis)
    return events


def audit_event_search(*, actor: Actor, filters: EventFilters, page: int | str = 1) -> Page:
    """One page of matching events, each with the ids of the persons it concerns."""
    events = audit_event_filter(filters).prefetch_related("subjects")
    result = Paginator(events, PAGE_SIZE).get_page(page)
    audit_record(
        action=Action.AUDIT_SEARCH, actor=actor, purpose=Purpose.TILSYN,
        persons=[filters.person_id] if filters.person_id else [],
        details={**filters.details(), "page": result.number, "results": result.paginator.count},
    )
    return result


def audit_person_lookup(*, actor: Actor, number: str) -> uuid.UUID | None:
    """The id of the person with this fødselsnummer or D-number, or None. Recorded either way
    (the look-up tells the auditor whether Laget knows the number); the number itself is not."""
    person_id = Person.objects.filter(national_id=number).values_list("pk", flat=True).first()
    audit_record(
        action=Action.AUDIT_SEARCH, actor=actor, purpose=Purpose.TILSYN,
        persons=[person_id] if person_id else [],
        details={"lookup": "national_id", "found": person_id is not None},
    )
    return person_id
