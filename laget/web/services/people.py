"""Audited writes of persons and guardians from the person pages."""

from typing import Any

from django.db import transaction

from laget.accounts.actor import Actor
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.cases import concerns
from laget.people import services as people_services
from laget.people.models import Guardian, Person
from laget.records.models import Case


@transaction.atomic
def person_register(*, actor: Actor, data: dict[str, Any]) -> Person:
    person = people_services.person_create(data=data, registered_by_agency=actor.agency)
    audit_record(
        action=Action.PERSON_CREATE, actor=actor, obj=person, persons=[person],
        purpose=Purpose.REGISTRERING,
        details={"id_kind": person.id_kind, "synthetic": person.is_synthetic},
    )
    return person


@transaction.atomic
def person_edit(*, actor: Actor, person: Person, data: dict[str, Any]) -> list[str]:
    changed = people_services.person_update(person=person, data=data)
    if changed:
        audit_record(
            action=Action.PERSON_UPDATE, actor=actor, obj=person, persons=[person],
            purpose=Purpose.REGISTRERING, details={"fields": changed},
        )
    return changed


@transaction.atomic
def guardian_add(*, actor: Actor, person: Person, data: dict[str, Any]) -> Guardian:
    guardian = people_services.guardian_create(person=person, data=data)
    audit_record(
        action=Action.GUARDIAN_CREATE, actor=actor, obj=guardian, persons=[person],
        purpose=Purpose.REGISTRERING,
        details={"relation": guardian.relation,
                 "parental_responsibility": guardian.parental_responsibility},
    )
    return guardian


@transaction.atomic
def concern_case_open(*, actor: Actor, concern_id: str) -> Case:
    """Open a case from a concern (laget.cases.concerns); a person who is not registered yet is
    registered from the concern's data first, audited as any registration. One transaction: a
    refusal (age, a case opened meanwhile) leaves no person behind."""
    concern = concerns.concern_lock_for_assessment(actor=actor, concern_id=concern_id)
    person = concerns.concern_person_match(concern=concern)
    if person is None:
        person = person_register(actor=actor, data=concerns.concern_person_data(concern=concern))
    return concerns.concern_case_open(actor=actor, concern=concern, person=person)
