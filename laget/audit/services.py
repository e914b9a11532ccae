"""audit_record(): the one way to write an audit event.

Call it inside the transaction of the write it records, or before returning the data of a read:
if the event cannot be written, the caller's transaction fails and nothing is returned.
"""

import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, User
from laget.audit.actions import Action, Outcome, Purpose
from laget.audit.leaves import seal
from laget.audit.models import AuditEvent, AuditEventPerson
from laget.core import clock, requestcontext

_SCALARS = (str, int, float, bool, type(None))


def _check_details(details: dict[str, Any]) -> None:
    """Details carry codes and field names, never values typed about a person."""
    for key, value in details.items():
        if not isinstance(key, str):
            raise TypeError("audit details keys must be strings")
        if isinstance(value, list | tuple):
            if not all(isinstance(item, _SCALARS) for item in value):
                raise TypeError(f"audit detail {key!r} must be a list of plain values")
        elif not isinstance(value, _SCALARS):
            raise TypeError(f"audit detail {key!r} must be a plain value")


def _person_id(person: Any) -> uuid.UUID:
    return person if isinstance(person, uuid.UUID) else person.pk


def event_fields(
    *,
    action: Action,
    actor: Actor | User | None,
    agency: Agency | None = None,
    obj: models.Model | None = None,
    persons: Iterable[Any] = (),
    basis: str = "",
    purpose: Purpose | str = "",
    outcome: Outcome = Outcome.OK,
    details: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], list[uuid.UUID]]:
    """An event's columns and the ids of the persons it concerns, checked (what audit_record
    seals and writes)."""
    action = Action(action)
    if purpose:
        purpose = Purpose(purpose)
    details = dict(details or {})
    _check_details(details)
    user: User | None
    role = ""
    if isinstance(actor, Actor):
        user, role = actor.user, actor.role
        agency = agency or actor.agency
    else:
        user = actor
    context = requestcontext.current()
    fields: dict[str, Any] = {
        "occurred_at": clock.now(),
        "action": action,
        "outcome": outcome,
        "actor": user if user is not None and user.pk else None,
        "actor_label": user.get_username() if user is not None else "",
        "agency": agency,
        "role": role,
        "object_type": obj._meta.label_lower if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "basis": basis,
        "purpose": purpose,
        "request_id": context.request_id if context else "",
        "ip_address": context.ip_address if context else None,
        "details": details,
    }
    return fields, sorted({_person_id(p) for p in persons})


def audit_record(
    *,
    action: Action,
    actor: Actor | User | None,
    agency: Agency | None = None,
    obj: models.Model | None = None,
    persons: Iterable[Any] = (),
    basis: str = "",
    purpose: Purpose | str = "",
    outcome: Outcome = Outcome.OK,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one event. `actor` is the acting user (with their role when known); `persons` are the
    persons (or their ids) whose data the event concerns."""
    fields, person_ids = event_fields(
        action=action, actor=actor, agency=agency, obj=obj, persons=persons, basis=basis,
        purpose=purpose, outcome=outcome, details=details)
    actor_pk, agency = fields["actor"], fields["agency"]
    sealed = seal(action=fields["action"], occurred_at=fields["occurred_at"], fields={
        **{k: v for k, v in fields.items() if k not in ("actor", "agency")},
        "occurred_at": fields["occurred_at"].isoformat(),
        "actor": str(actor_pk.pk) if actor_pk is not None else None,
        "agency": str(agency.pk) if agency is not None else None,
        "persons": [str(pid) for pid in person_ids],
    })
    # No savepoint: inside the caller's transaction a failure here fails that transaction, which
    # is what should happen (and saves two round trips per event).
    with transaction.atomic(savepoint=False):
        event = AuditEvent.objects.create(
            **fields, leaf=sealed.leaf, payload=sealed.payload, salt=sealed.salt
        )
        if person_ids:
            AuditEventPerson.objects.bulk_create(
                [AuditEventPerson(event=event, person_id=pid) for pid in person_ids]
            )
    return event
