"""Retention and erasure (docs/ARCHIVE.md, «Retention and erasure»): the writes.

- `find_due` (the periodic task `find_due_erasures`): under the retention schedule
  (`retention.yaml`), the closed cases whose `erase_after_months` have run — a case that is kept
  (`bevares`) only once an archive extract holds it — and the concerns that led to nothing
  (dismissed, no case) past theirs, become `ErasureCandidate`s for the owning bydel's leader.
  Idempotent: a case or concern with a candidate that is due or erased is not found again (a
  rejected one is found again after `RECONSIDER_AFTER`).
- `erasure_confirm`: the leader of the bydel (and no one else) confirms; a legal hold on the case,
  concern or person refuses it. The erasure is ONE transaction per candidate: every row that hangs
  from the case or concern is deleted (`sharing.erasure.delete_graph`: entries and attachments,
  consents, disclosures, plan, tasks, meetings, handovers, concerns, family messages, …; other
  agencies' own records lose only their link), the attachment files are removed once it has
  committed, the archive's items are marked `erased_at`, and a `Tombstone` is written. The person
  goes too (guardians, messages to them) when nothing else in Laget refers to them — else the
  person stays for the records that still need them. One `lifecycle.erase` audit event per
  erasure names only ids and counts. Audit events past `LAGET_AUDIT_RETENTION_DAYS` lose their
  payloads and salts (`audit.retention.erase_expired`); the log stays verifiable.
- `erasure_reject`, `hold_place`, `hold_lift`: the leader's other decisions, audited.
"""

import datetime as dt
import uuid
from collections import Counter
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Membership, Role
from laget.audit import retention as audit_retention
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.cases.models import Concern, ConcernStatus
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.lifecycle.models import (
    ArchivedItem,
    CandidateStatus,
    ErasureCandidate,
    ErasureKind,
    HoldReason,
    ItemKind,
    LegalHold,
    Tombstone,
)
from laget.lifecycle.retention import (
    CASE,
    CONCERN,
    RetentionEntry,
    retention_schedule,
    retention_sha256,
)
from laget.lifecycle.selectors import is_archiving_leader
from laget.notify.models import Message
from laget.notify.services import notify_user
from laget.people.models import Guardian, Person
from laget.records.models import Case, CaseStatus
from laget.sharing.erasure import Deleted, delete_graph, reverse_relations

#: another agency's own records: their links to an erased case, entry, concern or guardian are
#: set to NULL (the record stays theirs); a person they refer to is not erased
FOREIGN_RECORDS = frozenset({"policing", "fasttrack", "reentry", "schools", "mentors"})
#: rows that outlive the erasure (marked, not deleted)
KEEP = frozenset({ArchivedItem._meta.label})
#: a rejected candidate is found again this long after the rejection
RECONSIDER_AFTER = dt.timedelta(days=90)


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same time `months` calendar months earlier (the last day of a shorter month)."""
    return clock.add_months(moment, -months)


def months_after(moment: dt.datetime, months: int) -> dt.datetime:
    return clock.add_months(moment, months)


def rule_key(entry: RetentionEntry) -> str:
    return entry.applies_to if not entry.outcome else f"{entry.applies_to}:{entry.outcome}"[:40]


def _taken(kind: str, now: dt.datetime) -> Q:
    return Q(kind=kind, object_id=OuterRef("pk")) & (
        ~Q(status=CandidateStatus.REJECTED) | Q(decided_at__gt=now - RECONSIDER_AFTER))


def find_due(*, now: dt.datetime | None = None) -> int:
    """Record the cases and concerns due for erasure that have no candidate yet. Returns how many
    were found now (0 on a second run)."""
    now = now or clock.now()
    schedule = retention_schedule()
    sha = retention_sha256()
    found: list[ErasureCandidate] = []

    case_rule = schedule.entry(CASE)
    assert case_rule.erase_after_months is not None
    cases = Case.objects.filter(
        status=CaseStatus.CLOSED, closed_at__isnull=False,
        closed_at__lte=months_before(now, case_rule.erase_after_months),
    ).exclude(Exists(ErasureCandidate.objects.filter(_taken(ErasureKind.CASE, now))))
    if case_rule.action == "bevares":  # kept: the archive must hold it first
        cases = cases.filter(Exists(ArchivedItem.objects.filter(
            case=OuterRef("pk"), kind=ItemKind.CASE)))
    for case in cases.only("pk", "person_id", "district_id", "created_at", "closed_at"):
        assert case.closed_at is not None
        found.append(ErasureCandidate(
            kind=ErasureKind.CASE, object_id=case.pk, person_id=case.person_id,
            district_id=case.district_id, rule=rule_key(case_rule),
            legal_reference=case_rule.legal_reference, schedule_sha256=sha,
            opened_at=case.created_at, closed_at=case.closed_at,
            due_at=months_after(case.closed_at, case_rule.erase_after_months), found_at=now))

    concern_rule = schedule.entry(CONCERN)
    assert concern_rule.erase_after_months is not None
    concerns = (
        Concern.objects.annotate(decided=Coalesce("assessed_at", "submitted_at"))
        .filter(status=ConcernStatus.DISMISSED, case__isnull=True,
                decided__lte=months_before(now, concern_rule.erase_after_months))
        .exclude(Exists(ErasureCandidate.objects.filter(_taken(ErasureKind.CONCERN, now))))
        .only("pk", "person_id", "district_id", "submitted_at", "assessed_at")
    )
    for concern in concerns:
        decided = concern.assessed_at or concern.submitted_at
        found.append(ErasureCandidate(
            kind=ErasureKind.CONCERN, object_id=concern.pk, person_id=concern.person_id,
            district_id=concern.district_id, rule=rule_key(concern_rule),
            legal_reference=concern_rule.legal_reference, schedule_sha256=sha,
            opened_at=concern.submitted_at, closed_at=decided,
            due_at=months_after(decided, concern_rule.erase_after_months), found_at=now))
    with transaction.atomic():
        # Two runs at once: the unique constraint keeps one candidate per case or concern.
        ErasureCandidate.objects.bulk_create(found, ignore_conflicts=True)
        _tell_leaders(Counter(c.district_id for c in found),
                      today=now.astimezone(clock.OSLO).date())
    return len(found)


def _tell_leaders(per_district: Counter[str], *, today: dt.date) -> None:
    """Each bydel leader whose bydel has new candidates is told how many wait for them (no
    personal data; one message per leader and day)."""
    if not per_district:
        return
    leaders = (Membership.objects.active(today)
               .filter(role=Role.LEADER, agency__type=AgencyType.BYDEL,
                       agency__district_id__in=list(per_district))
               .select_related("user", "agency"))
    link = reverse("web:lifecycle_erasure")
    with translation.override(settings.LANGUAGE_CODE):
        for membership in leaders:
            count = per_district[membership.agency.district_id]  # type: ignore[index]
            notify_user(
                user=membership.user,
                key=f"lifecycle.erasure_due:{membership.user_id}:{today.isoformat()}",
                subject=_("Klart for sletting i Laget"),
                body=ngettext(
                    "%(count)s sak eller bekymring har passert lagringstiden og venter på at "
                    "du bekrefter slettingen.",
                    "%(count)s saker eller bekymringer har passert lagringstiden og venter på at "
                    "du bekrefter slettingen.", count) % {"count": count},
                link=link)


# --- holds --------------------------------------------------------------------------------------

def holds_blocking(candidate: ErasureCandidate, *, on: dt.date | None = None
                   ) -> models.QuerySet[LegalHold]:
    """The active legal holds that stop this candidate's erasure: on the case or concern itself,
    or on the person it concerns."""
    target = Q(kind=candidate.kind, object_id=candidate.object_id)
    if candidate.person_id is not None:
        target |= Q(kind=ErasureKind.PERSON, object_id=candidate.person_id)
    return LegalHold.objects.active(on).filter(target)


def _owning_leader(actor: Actor, district_id: str) -> None:
    if not is_archiving_leader(actor) or (
        actor.membership is None or actor.membership.agency.district_id != district_id
    ):
        raise DomainError(_("Bare lederen i bydelen som eier saken kan gjøre dette."),
                          code="not_owning_leader")


def _target(kind: str, object_id: uuid.UUID) -> tuple[str, uuid.UUID | None]:
    """The bydel that owns a case, concern or person, and the person it concerns."""
    if kind == ErasureKind.CASE:
        row = Case.objects.filter(pk=object_id).values("district_id", "person_id").first()
    elif kind == ErasureKind.CONCERN:
        row = Concern.objects.filter(pk=object_id).values("district_id", "person_id").first()
    elif kind == ErasureKind.PERSON:
        row = Person.objects.filter(pk=object_id).values("district_id", "id").first()
        if row is not None:
            row["person_id"] = row["id"]
    else:
        row = None
    if row is None or row["district_id"] is None:
        raise NotFound(_("Fant ikke saken."))
    return row["district_id"], row["person_id"]


@transaction.atomic
def hold_place(*, actor: Actor, kind: str, object_id: uuid.UUID, reason: str, note: str,
               ends_on: dt.date) -> LegalHold:
    """Stop the erasure of a case, concern or person of the leader's bydel until `ends_on`."""
    if reason not in HoldReason.values:
        raise DomainError(_("Velg en grunn."), code="invalid")
    if ends_on < clock.today():
        raise DomainError(_("Sluttdatoen kan ikke være før i dag."), code="invalid")
    if not note.strip():
        raise DomainError(_("Skriv en forklaring."), code="invalid")
    district_id, person_id = _target(kind, object_id)
    _owning_leader(actor, district_id)
    hold = LegalHold.objects.create(
        kind=kind, object_id=object_id, district_id=district_id, reason=reason,
        note=note.strip()[:500], placed_by=actor.user, ends_on=ends_on)
    audit_record(action=Action.LIFECYCLE_LEGAL_HOLD, actor=actor, obj=hold,
                 persons=[person_id] if person_id else [], purpose=Purpose.REGISTRERING,
                 details={"hold": str(hold.pk), "kind": kind, "object": str(object_id),
                          "reason": reason, "ends_on": ends_on.isoformat(), "placed": True})
    return hold


@transaction.atomic
def hold_lift(*, actor: Actor, hold_id: uuid.UUID) -> LegalHold:
    hold = LegalHold.objects.select_for_update().filter(pk=hold_id).first()
    if hold is None:
        raise NotFound(_("Fant ikke sletteforbudet."))
    _owning_leader(actor, hold.district_id)
    if hold.lifted_at is not None:
        raise DomainError(_("Sletteforbudet er allerede opphevet."), code="already_lifted")
    hold.lifted_at, hold.lifted_by = clock.now(), actor.user
    hold.save(update_fields=["lifted_at", "lifted_by", "updated_at"])
    audit_record(action=Action.LIFECYCLE_LEGAL_HOLD, actor=actor, obj=hold,
                 purpose=Purpose.REGISTRERING,
                 details={"hold": str(hold.pk), "kind": hold.kind,
                          "object": str(hold.object_id), "lifted": True})
    return hold


# --- the leader's decision and the erasure ---------------------------------------------------

def _candidate_for_decision(actor: Actor, candidate_id: uuid.UUID) -> ErasureCandidate:
    candidate = ErasureCandidate.objects.select_for_update().filter(pk=candidate_id).first()
    if candidate is None:
        raise NotFound(_("Fant ikke slettingen."))
    _owning_leader(actor, candidate.district_id)
    if candidate.status != CandidateStatus.DUE:
        raise DomainError(_("Denne slettingen er allerede avgjort."), code="already_decided")
    return candidate


@transaction.atomic
def erasure_reject(*, actor: Actor, candidate_id: uuid.UUID, note: str) -> ErasureCandidate:
    """The leader decides that the case or concern is not to be erased now (with the reason)."""
    if not note.strip():
        raise DomainError(_("Skriv hvorfor den ikke skal slettes nå."), code="invalid")
    candidate = _candidate_for_decision(actor, candidate_id)
    candidate.status = CandidateStatus.REJECTED
    candidate.decided_by, candidate.decided_at = actor.user, clock.now()
    candidate.decision_note = note.strip()[:500]
    candidate.save(update_fields=["status", "decided_by", "decided_at", "decision_note",
                                  "updated_at"])
    audit_record(action=Action.LIFECYCLE_ERASURE_DECISION, actor=actor, obj=candidate,
                 persons=[candidate.person_id] if candidate.person_id else [],
                 purpose=Purpose.REGISTRERING,
                 details={"candidate": str(candidate.pk), "kind": candidate.kind,
                          "object": str(candidate.object_id), "rejected": True})
    return candidate


def erasure_confirm(*, actor: Actor, candidate_id: uuid.UUID) -> list[Tombstone]:
    """The leader confirms: the case or concern (and the person, when nothing else is left of
    them in Laget) is erased now, in one transaction. Returns the tombstones written."""
    files: list[str] = []
    with transaction.atomic():
        candidate = _candidate_for_decision(actor, candidate_id)
        if holds_blocking(candidate).exists():
            raise DomainError(_("Et sletteforbud gjelder. Ingenting er slettet."),
                              code="legal_hold")
        now = clock.now()
        tombstones, deleted = _erase(candidate, actor=actor, now=now)
        files = deleted.files
        candidate.status = CandidateStatus.ERASED
        candidate.decided_by, candidate.decided_at = actor.user, now
        candidate.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        for tombstone in tombstones:
            audit_record(
                action=Action.LIFECYCLE_ERASE, actor=actor, obj=tombstone,
                persons=[candidate.person_id] if candidate.person_id else [],
                purpose=Purpose.REGISTRERING, basis=candidate.legal_reference[:200],
                details={"kind": tombstone.kind, "id": str(tombstone.original_id),
                         "candidate": str(candidate.pk), "rule": candidate.rule,
                         "schedule_sha256": candidate.schedule_sha256,
                         "counts": [f"{k}={v}" for k, v in tombstone.counts.items()]})
        # The audit events past their retention lose their payloads and salts (the leaves stay).
        audit_retention.erase_expired()
        transaction.on_commit(lambda: _remove_files(files))
    return tombstones


def _remove_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover — a file already gone is what we want
            continue


def _counts(deleted: Deleted) -> dict[str, Any]:
    counts: dict[str, Any] = dict(sorted(deleted.counts.items()))
    if deleted.files:
        counts["files"] = len(deleted.files)
    return counts


def _tombstone(candidate: ErasureCandidate, *, actor: Actor, now: dt.datetime, kind: str,
               original_id: uuid.UUID, district_id: str, opened_at: dt.datetime,
               closed_at: dt.datetime | None, deleted: Deleted) -> Tombstone:
    if Tombstone.objects.filter(kind=kind, original_id=original_id).exists():
        raise DomainError(_("Dette er allerede slettet."), code="already_erased")
    return Tombstone.objects.create(
        kind=kind, original_id=original_id, district_id=district_id, opened_at=opened_at,
        closed_at=closed_at, erased_at=now, rule=candidate.rule,
        legal_reference=candidate.legal_reference, schedule_sha256=candidate.schedule_sha256,
        candidate=candidate, confirmed_by=actor.user, counts=_counts(deleted))


def _erase(candidate: ErasureCandidate, *, actor: Actor, now: dt.datetime
           ) -> tuple[list[Tombstone], Deleted]:
    tombstones: list[Tombstone] = []
    if candidate.kind == ErasureKind.CASE:
        case = Case.objects.select_for_update().filter(pk=candidate.object_id).first()
        if case is None or case.status != CaseStatus.CLOSED:
            raise DomainError(_("Saken er ikke lenger klar for sletting."), code="not_due")
        person_id: uuid.UUID | None = case.person_id
        deleted = delete_graph(model=Case, pks=[case.pk], keep=KEEP, detach=FOREIGN_RECORDS)
        ArchivedItem.objects.filter(case_id=case.pk, erased_at__isnull=True).update(
            erased_at=now)
        tombstones.append(_tombstone(
            candidate, actor=actor, now=now, kind=ErasureKind.CASE, original_id=case.pk,
            district_id=case.district_id, opened_at=case.created_at, closed_at=case.closed_at,
            deleted=deleted))
    else:
        concern = Concern.objects.select_for_update().filter(pk=candidate.object_id).first()
        if concern is None or concern.status != ConcernStatus.DISMISSED or concern.case_id:
            raise DomainError(_("Bekymringen er ikke lenger klar for sletting."), code="not_due")
        person_id = concern.person_id
        deleted = delete_graph(model=Concern, pks=[concern.pk], keep=KEEP,
                               detach=FOREIGN_RECORDS)
        tombstones.append(_tombstone(
            candidate, actor=actor, now=now, kind=ErasureKind.CONCERN, original_id=concern.pk,
            district_id=concern.district_id, opened_at=concern.submitted_at,
            closed_at=concern.assessed_at or concern.submitted_at, deleted=deleted))
    _clear_notes(candidate.kind, candidate.object_id)
    if person_id is not None:
        person = Person.objects.select_for_update().filter(pk=person_id).first()
        if person is not None and not person_has_more(person):
            _clear_notes(ErasureKind.PERSON, person.pk)
            gone = _erase_person(person)
            deleted.files += gone.files
            tombstones.append(_tombstone(
                candidate, actor=actor, now=now, kind=ErasureKind.PERSON, original_id=person.pk,
                district_id=person.district_id, opened_at=person.created_at, closed_at=None,
                deleted=gone))
    return tombstones, deleted


def _clear_notes(kind: str, object_id: uuid.UUID) -> None:
    """The free text of the (ended) holds and earlier rejections of what is erased: it is meant
    to hold no personal data, but a leader may have typed some."""
    LegalHold.objects.filter(kind=kind, object_id=object_id).update(note="")
    ErasureCandidate.objects.filter(kind=kind, object_id=object_id).update(decision_note="")


def person_has_more(person: Person) -> bool:
    """Whether anything in Laget besides the person's guardians still refers to the person (a
    case, a concern, a police registration, a fast-track case, …)."""
    for relation in reverse_relations(Person):
        if relation.related_model is Guardian or relation.many_to_many:
            continue
        manager = relation.related_model._base_manager
        if manager.filter(**{relation.field.name: person.pk}).exists():
            return True
    return False


def _erase_person(person: Person) -> Deleted:
    """The person, their guardians and the messages about them (with the guardians' addresses)."""
    messages = list(Message.objects.filter(person_id=person.pk).values_list("pk", flat=True))
    gone = delete_graph(model=Message, pks=messages, keep=KEEP, detach=FOREIGN_RECORDS)
    person_gone = delete_graph(model=Person, pks=[person.pk], keep=KEEP, detach=FOREIGN_RECORDS)
    total: Counter[str] = gone.counts + person_gone.counts
    return Deleted(counts=total, files=gone.files + person_gone.files)
