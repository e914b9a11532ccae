"""Messages that could not be delivered, for a human to follow up by hand ("Ring selv").

The page shows who a message concerns, when it failed, the channel and the reason code; never the
address or the text. The person's name is shown only to the agency that follows the message up
and to the SaLTo coordinator of the person's bydel; others see a dash."""

from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from laget.accounts.access import Actor, actor_required
from laget.accounts.models import AgencyType, Role
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.notify.models import Message
from laget.notify.selectors import failed_messages_for
from laget.people.models import Person
from laget.records.services import CASE_ROLES

PAGE_LIMIT = 200


@dataclass(frozen=True)
class FailedRow:
    message: Message
    person: Person | None


def _may_see_name(actor: Actor, message: Message, person: Person) -> bool:
    agency = actor.agency
    if agency is None:
        return False
    if message.follow_up_agency_id == agency.pk:
        return True
    return (actor.role == Role.COORDINATOR and agency.type == AgencyType.BYDEL
            and agency.district_id is not None and agency.district_id == person.district_id)


@actor_required(CASE_ROLES)
def failed_messages(request: HttpRequest, actor: Actor) -> HttpResponse:
    messages = list(failed_messages_for(actor=actor)[:PAGE_LIMIT])
    person_ids = {m.person_id for m in messages if m.person_id}
    persons = Person.objects.in_bulk(person_ids) if person_ids else {}
    rows = []
    for message in messages:
        person = persons.get(message.person_id) if message.person_id else None
        if person is not None and not _may_see_name(actor, message, person):
            person = None
        rows.append(FailedRow(message=message, person=person))
    with transaction.atomic():
        audit_record(
            action=Action.NOTIFY_FAILED_VIEW, actor=actor,
            persons=sorted({row.person.pk for row in rows if row.person is not None}),
            purpose=Purpose.OPPFOLGING, details={"count": len(rows)},
        )
    return render(request, "web/notifications/failed.html", {"rows": rows, "limit": PAGE_LIMIT})
