"""audit_record(): the one way to write an audit event.

Call it inside the transaction of the write it records, or before returning the data of a read:
if the event cannot be written, the caller's transaction fails and nothing is returned.
"""

import functools
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import DatabaseError, connection, models, transaction

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
    event = AuditEvent(**fields, leaf=sealed.leaf, payload=sealed.payload, salt=sealed.salt)
    insert(event, AuditEventPerson, person_ids)
    return event


@functools.cache
def _insert_statement(event_model: type[models.Model], subject_model: type[models.Model]
                      ) -> tuple[str, tuple[models.Field, ...]]:
    """PostgreSQL: the event row and its person rows in one statement (a data-modifying WITH),
    returning the event's id; and the event's fields in the order of the statement's parameters."""
    quote = connection.ops.quote_name
    columns = tuple(field for field in event_model._meta.concrete_fields
                    if not field.primary_key and not getattr(field, "generated", False))
    key = quote(event_model._meta.pk.column)
    event = quote(subject_model._meta.get_field("event").column)
    person = quote(subject_model._meta.get_field("person_id").column)
    # Only the models' own (quoted) table and column names are put into the text.
    sql = (
        f"WITH event AS (INSERT INTO {quote(event_model._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(field.column) for field in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) RETURNING {key}), "
        f"subjects AS (INSERT INTO {quote(subject_model._meta.db_table)} ({event}, {person}) "
        f"SELECT event.{key}, person FROM event, unnest(%s::uuid[]) AS person) "
        f"SELECT {key} FROM event"
    )
    return sql, columns


def insert(event: models.Model, subject_model: type[models.Model], person_ids: list[uuid.UUID]
           ) -> None:
    """Write an unsaved event and the rows naming the persons it concerns; sets its id.

    On PostgreSQL one statement, one round trip (atomic by itself: outside a transaction it is
    one, inside the caller's a failure fails that transaction); elsewhere through the ORM, with no
    savepoint for the same reason."""
    if connection.vendor != "postgresql":
        with transaction.atomic(savepoint=False):
            event.save(force_insert=True)
            if person_ids:
                subject_model.objects.bulk_create(
                    [subject_model(event=event, person_id=pid) for pid in person_ids])
        return
    sql, columns = _insert_statement(type(event), subject_model)
    values = [field.get_db_prep_save(field.pre_save(event, True), connection)
              for field in columns]
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, [*values, person_ids])
            event.pk = cursor.fetchone()[0]
    except DatabaseError:
        if connection.in_atomic_block:
            transaction.set_rollback(True)
        raise
    event._state.adding = False
    event._state.db = connection.alias

