"""The audit log at city scale (`seed_scale --audit-events N`, and bench/bench_audit.py): events
as the staff of the scale seed would have left them over the seed's three years — logins, case
and person views, entry lists and reads, new entries, plan and task changes — each by a member
of the case's team (with the agency and role they act in), concerning the case's person,
sealed as `audit_record()` seals them (salted commitment in the leaf, payload and salt beside it)
and sequenced into the transparency log with its tiles and a signed checkpoint after every chunk,
so that `manage.py audit verify` (with or without --payloads) passes.

Written in chunks, each one transaction under the sequencer's lock (as the sequencer's own rounds
are): on PostgreSQL by COPY with ids reserved from the table's sequence, on SQLite by bulk
inserts. Idempotent: it adds events until the log holds `target` leaves, none if it does.
Deterministic from the seed for a given day and target (the times are spread over the history
ending today); the ids depend on what the database held before."""

import base64
import contextlib
import datetime as dt
import hashlib
import json
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Max

from laget.accounts.models import Membership, User
from laget.audit import log, merkle
from laget.audit.actions import Action, Outcome, Purpose
from laget.audit.leaves import LEAF_FORMAT, canonical_payload
from laget.audit.models import AuditEvent, AuditEventPerson, Tile
from laget.core import clock
from laget.demo.progress import Progress
from laget.records.models import TeamMember

CHUNK = 200_000
#: the span the events are spread over, ending now (as the scale seed's cases)
HISTORY_DAYS = 3 * 365
EVENT_COLUMNS = ("id", "occurred_at", "action", "outcome", "actor_id", "actor_label", "agency_id",
                 "role", "object_type", "object_id", "basis", "purpose", "request_id",
                 "ip_address", "details", "leaf", "log_index", "payload", "salt")


#: (action, weight, about the case's person, object type, purpose, basis, details)
MIX: list[tuple[str, int, bool, str, str, str, dict[str, Any]]] = [
    (Action.ENTRY_LIST, 30, True, "records.case", Purpose.OPPFOLGING, "", {"page": 1}),
    (Action.CASE_VIEW, 18, True, "records.case", Purpose.OPPFOLGING, "", {}),
    (Action.PERSON_VIEW, 9, True, "people.person", Purpose.OPPFOLGING, "", {}),
    (Action.ENTRY_VIEW, 9, True, "records.entry", Purpose.OPPFOLGING, "", {}),
    (Action.ENTRY_CREATE, 6, True, "records.entry", Purpose.OPPFOLGING, "", {"category": "plan"}),
    (Action.CASE_LIST, 8, False, "", Purpose.OPPFOLGING, "", {"count": 25}),
    (Action.DESK_VIEW, 3, False, "", Purpose.OPPFOLGING, "", {}),
    (Action.LOGIN, 6, False, "", Purpose.INNLOGGING, "", {"method": "password+totp"}),
    (Action.LOGOUT, 4, False, "", Purpose.INNLOGGING, "", {}),
    (Action.CONSENT_VIEW, 2, True, "records.case", Purpose.OPPFOLGING, "", {}),
    (Action.PLAN_CHANGE, 2, True, "cases.plan", Purpose.OPPFOLGING, "", {"fields": ["goals"]}),
    (Action.TASK_CHANGE, 2, True, "cases.task", Purpose.OPPFOLGING, "", {"status": "done"}),
    (Action.MEETING_MINUTES, 1, True, "cases.meeting", Purpose.OPPFOLGING, "", {}),
]


@dataclass(frozen=True)
class _Kind:
    action: str
    about_person: bool
    object: str
    purpose: str
    details: str  # canonical JSON


_KINDS = [_Kind(str(action), about, obj, str(purpose), canonical_payload(details).decode())
          for action, weight, about, obj, purpose, _basis, details in MIX for _ in range(weight)]


@dataclass(frozen=True)
class _Actor:
    user_id: int
    label: str
    agency: str
    role: str

    @property
    def json_id(self) -> str:
        return f'"{self.user_id}"' if self.user_id else "null"

    @property
    def json_agency(self) -> str:
        return f'"{self.agency}"' if self.agency else "null"


@dataclass(frozen=True)
class _Case:
    pk: str
    person: str
    team: tuple[_Actor, ...]


def _cases(rng: random.Random) -> list[_Case]:
    """The seed's cases with the people on their teams (or, without a seed, made-up persons and
    no actor: the log's shape without the staff)."""
    memberships = {
        (user_id, agency_id): role for user_id, agency_id, role in
        Membership.objects.values_list("user_id", "agency_id", "role")}
    labels = dict(User.objects.values_list("id", "username"))
    teams: dict[uuid.UUID, list[_Actor]] = {}
    persons: dict[uuid.UUID, uuid.UUID] = {}
    for case_id, person_id, user_id, agency_id in (
            TeamMember.objects.order_by("case_id", "user_id", "agency_id")
            .values_list("case_id", "case__person_id", "user_id", "agency_id")):
        persons[case_id] = person_id
        teams.setdefault(case_id, []).append(_Actor(
            user_id, labels.get(user_id, ""), str(agency_id),
            memberships.get((user_id, agency_id), "")))
    if teams:
        return [_Case(str(pk), str(persons[pk]), tuple(team)) for pk, team in teams.items()]
    nobody = (_Actor(0, "", "", ""),)
    return [_Case(str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                  str(uuid.UUID(int=rng.getrandbits(128), version=4)), nobody)
            for _ in range(1000)]


def _sequence_waiting() -> None:
    while log.sequence() == log.BATCH:
        pass


def _reserve_ids(count: int) -> int:
    """The first of `count` consecutive event ids no one else will get."""
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            (sequence,) = cursor.fetchone()
            cursor.execute("SELECT nextval(%s)", [sequence])
            (first,) = cursor.fetchone()
            cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
            return first
    return (AuditEvent.objects.aggregate(top=Max("id"))["top"] or 0) + 1


def _event(rng: random.Random, cases: list[_Case], at: dt.datetime, pk: int, index: int
           ) -> tuple[tuple, str | None, bytes]:
    """One event's row (in EVENT_COLUMNS order; the time and details as text for COPY), its
    person and its leaf. The payload is `canonical_payload()` of the fields `audit_record()`
    seals, written out in its key order (checked against it in the tests); the random choices
    come from a few draws of the seeded generator."""
    bits = rng.getrandbits(64)
    case = cases[bits % len(cases)]
    kind = _KINDS[(bits >> 24) % len(_KINDS)]
    actor = case.team[(bits >> 32) % len(case.team)]
    ip_address = f"10.{16 + (bits >> 40) % 16}.{(bits >> 44) & 255}.{1 + (bits >> 52) % 254}"
    extra = rng.getrandbits(128)
    request_id = f"{extra:032x}"
    if kind.object == "records.case":
        object_id = case.pk
    elif kind.object == "people.person":
        object_id = case.person
    elif kind.object:
        object_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    else:
        object_id = ""
    person = case.person if kind.about_person else None
    persons = f'["{person}"]' if person else "[]"
    when = at.isoformat()
    payload = (
        f'{{"action":"{kind.action}","actor":{actor.json_id},"actor_label":"{actor.label}",'
        f'"agency":{actor.json_agency},"basis":"","details":{kind.details},'
        f'"ip_address":"{ip_address}","object_id":"{object_id}",'
        f'"object_type":"{kind.object}","occurred_at":"{when}","outcome":"{Outcome.OK}",'
        f'"persons":{persons},"purpose":"{kind.purpose}",'
        f'"request_id":"{request_id}","role":"{actor.role}"}}'
    ).encode("ascii")
    salt = rng.randbytes(32)
    commit = base64.b64encode(hashlib.sha256(salt + payload).digest()).decode("ascii")
    leaf = f"{LEAF_FORMAT}\n{kind.action}\n{when[:19]}Z\n{commit}\n".encode("ascii")
    row = (pk, when, kind.action, Outcome.OK, actor.user_id or None, actor.label,
           actor.agency or None, actor.role, kind.object, object_id, "", kind.purpose,
           request_id, ip_address, kind.details, leaf, index, payload, salt)
    return row, person, leaf


class _Sink:
    """Where a chunk's rows go: on PostgreSQL straight into COPY as they are made (the events
    first, then their persons), on SQLite into lists for bulk_create."""

    def __init__(self) -> None:
        self.subjects: list[tuple[int, str]] = []
        self.rows: list[AuditEvent] = []
        self._stack = contextlib.ExitStack()
        self._copy = None
        if connection.vendor == "postgresql":
            cursor = self._stack.enter_context(connection.cursor()).cursor
            self._cursor = cursor
            self._copy = self._stack.enter_context(cursor.copy(
                f"COPY {AuditEvent._meta.db_table} ({', '.join(EVENT_COLUMNS)}) FROM STDIN"))

    def add(self, row: tuple, person: str | None) -> None:
        if person is not None:
            self.subjects.append((row[0], person))
        if self._copy is not None:
            self._copy.write_row(row)
        else:
            fields = dict(zip(EVENT_COLUMNS, row, strict=True))
            fields["occurred_at"] = dt.datetime.fromisoformat(fields["occurred_at"])
            fields["details"] = json.loads(fields["details"])
            self.rows.append(AuditEvent(**fields))

    def close(self) -> None:
        if self._copy is not None:
            self._stack.close()
            with connection.cursor() as cursor, cursor.cursor.copy(
                    f"COPY {AuditEventPerson._meta.db_table} (event_id, person_id) "
                    "FROM STDIN") as copy:
                for subject in self.subjects:
                    copy.write_row(subject)
            return
        AuditEvent.objects.bulk_create(self.rows, batch_size=2000)
        AuditEventPerson.objects.bulk_create(
            [AuditEventPerson(event_id=pk, person_id=uuid.UUID(person))
             for pk, person in self.subjects], batch_size=2000)


def seed_audit_log(target: int, *, seed: int = 2026, chunk: int = CHUNK,
                   progress: Progress | None = None,
                   say: Callable[[str], None] | None = None) -> int:
    """Add sealed, sequenced, tiled events until the log holds `target` leaves (none if it does);
    a checkpoint is signed after each chunk. Returns how many were added. Raises
    log.LogCorrupt when the stored tiles and indexes disagree (run `audit verify`)."""
    progress = progress or Progress(enabled=False)
    _sequence_waiting()
    start = log.tiled_size()
    progress.phase("audit", max(0, target - start))
    if start >= target:
        progress.done()
        return 0
    cases = _cases(random.Random(f"{seed}-audit-cases"))
    now = clock.now().replace(microsecond=0)
    begin = now - dt.timedelta(days=HISTORY_DAYS)
    span_us = int((now - begin).total_seconds() * 1_000_000)
    # (Loading without the secondary indexes and building them afterwards was tried: at 4 M
    # events it was no faster here — the indexes stay in memory; bench/README.md, «The data».)
    added = _load(target, seed=seed, chunk=chunk, cases=cases, begin=begin, span_us=span_us,
                  progress=progress, say=say)
    progress.done()
    if added and connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {AuditEvent._meta.db_table}")
            cursor.execute(f"VACUUM ANALYZE {AuditEventPerson._meta.db_table}")
            cursor.execute(f"VACUUM ANALYZE {Tile._meta.db_table}")
    return added


def _load(target: int, *, seed: int, chunk: int, cases: list["_Case"], begin: dt.datetime,
          span_us: int, progress: Progress, say: Callable[[str], None] | None) -> int:
    added = 0
    while True:
        _sequence_waiting()
        began = time.perf_counter()
        with transaction.atomic():
            log._lock()
            size = log.tiled_size()
            top = AuditEvent.objects.aggregate(top=Max("log_index"))["top"]
            if (top is None and size) or (top is not None and top + 1 != size):
                raise log.LogCorrupt(f"the log's tiles hold {size} leaves but its highest index "
                                     f"is {top}; run `manage.py audit verify`")
            if size >= target:
                break
            count = min(chunk, target - size)
            rng = random.Random(f"{seed}-audit-{size}")  # the chunk's first position
            first = _reserve_ids(count)
            hashes = []
            sink = _Sink()
            for offset in range(count):
                index = size + offset
                at = begin + dt.timedelta(microseconds=span_us * index // target)
                row, person, leaf = _event(rng, cases, at, first + offset, index)
                sink.add(row, person)
                hashes.append(merkle.leaf_hash(leaf))
                if offset % 5000 == 4999:
                    progress.advance(5000)
            progress.advance(count % 5000)
            sink.close()
            step = merkle.TILE_WIDTH * 256
            for offset in range(0, count, step):
                log._append(0, size + offset, hashes[offset:offset + step])
        log.checkpoint()
        added += count
        if say is not None:
            say(f"seeded {size + count:,} of {target:,} leaves "
                f"({count / (time.perf_counter() - began):,.0f}/s)")
    return added
