"""Which persons an actor may see, and audited reads of them.

Until the sharing engine governs persons through cases, a person is visible to the caseworkers,
coordinators and leaders of the agency that registered them, and of the bydel they live in.
"""

import uuid

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Role
from laget.audit.actions import Action, Outcome, Purpose
from laget.audit.services import audit_record
from laget.core.errors import NotFound
from laget.people.models import Person

PERSON_ROLES = frozenset({Role.CASEWORKER, Role.COORDINATOR, Role.LEADER})
PAGE_SIZE = 25


def can_work_with_persons(actor: Actor | None) -> bool:
    return bool(actor and actor.membership and actor.role in PERSON_ROLES)


def _visible(actor: Actor) -> QuerySet[Person]:
    if not can_work_with_persons(actor):
        return Person.objects.none()
    agency = actor.agency
    assert agency is not None
    condition = Q(registered_by_agency=agency)
    if agency.type == AgencyType.BYDEL and agency.district_id:
        condition |= Q(district_id=agency.district_id)
    return Person.objects.filter(condition)


def person_list_for(*, actor: Actor, query: str = "", page: int | str = 1) -> Page:
    """One page of the persons the actor may see, newest registered first unless searching."""
    persons = _visible(actor).select_related("district")
    query = query.strip()
    if query:
        for word in query.split()[:4]:
            persons = persons.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    persons = persons.order_by("family_name", "given_name", "id")
    result = Paginator(persons, PAGE_SIZE).get_page(page)
    audit_record(
        action=Action.PERSON_SEARCH if query else Action.PERSON_LIST,
        actor=actor,
        persons=list(result.object_list),
        purpose=Purpose.REGISTRERING,
        details={"results": len(result.object_list)},
    )
    return result


def person_get_for(*, actor: Actor, person_id: uuid.UUID | str) -> Person:
    """The person, if the actor may see it; otherwise NotFound (never confirming existence)."""
    person = _visible(actor).select_related("district", "subdistrict").filter(pk=person_id).first()
    if person is None:
        audit_record(
            action=Action.PERSON_ACCESS_DENIED, actor=actor, outcome=Outcome.DENIED,
            purpose=Purpose.REGISTRERING, details={"object_id": str(person_id)},
        )
        raise NotFound()
    audit_record(
        action=Action.PERSON_VIEW, actor=actor, obj=person, persons=[person],
        purpose=Purpose.REGISTRERING,
    )
    return person


def person_find_by_number_for(*, actor: Actor, number: str) -> Person | None:
    """Look-up by a full number (sent in a form body, never in a URL)."""
    person = _visible(actor).filter(national_id=number).first()
    audit_record(
        action=Action.PERSON_SEARCH, actor=actor, persons=[person] if person else [],
        purpose=Purpose.REGISTRERING, details={"by": "national_id", "found": person is not None},
    )
    return person
