"""Reads for the archive pages: who may archive for which bydel, the closed cases due for the
archive, and the extracts with what each holds. The lists hold no personal data (case ids and
dates, file names and checksums), so they are not audited; downloading an extract is."""

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Role
from laget.core import clock
from laget.core.errors import NotFound
from laget.lifecycle.models import (
    ArchivedItem,
    ArchiveExtract,
    CandidateStatus,
    ErasureCandidate,
    ErasureKind,
    ItemKind,
    LegalHold,
    Tombstone,
)
from laget.records.models import Case, CaseStatus

#: roles that may see the extracts (leaders for their bydel; admin and auditor all of them)
OVERSIGHT_ROLES = frozenset({Role.ADMIN, Role.AUDITOR})


def is_archiving_leader(actor: Actor | None) -> bool:
    """A leader of a bydel agency: the one who archives the bydel's closed cases."""
    membership = actor.membership if actor else None
    return (
        membership is not None
        and membership.role == Role.LEADER
        and membership.agency.type == AgencyType.BYDEL
        and membership.agency.district_id is not None
    )


def may_see_archive(actor: Actor | None) -> bool:
    return is_archiving_leader(actor) or (actor is not None and actor.role in OVERSIGHT_ROLES)


def archive_due_before() -> dt.datetime:
    return clock.now() - dt.timedelta(days=settings.LAGET_ARCHIVE_AFTER_DAYS)


def cases_due_for(*, actor: Actor) -> QuerySet[Case]:
    """Closed cases of the leader's bydel, closed at least LAGET_ARCHIVE_AFTER_DAYS ago, that no
    extract holds yet; oldest closing first."""
    if not is_archiving_leader(actor):
        return Case.objects.none()
    assert actor.membership is not None
    archived = ArchivedItem.objects.filter(case=OuterRef("pk"), kind=ItemKind.CASE)
    return (
        Case.objects.filter(
            district_id=actor.membership.agency.district_id, status=CaseStatus.CLOSED,
            closed_at__lte=archive_due_before(),
        )
        .exclude(Exists(archived))
        .order_by("closed_at", "id")
    )


def extracts_for(*, actor: Actor) -> QuerySet[ArchiveExtract]:
    extracts = ArchiveExtract.objects.select_related("district", "created_by")
    if actor.role in OVERSIGHT_ROLES:
        return extracts
    if is_archiving_leader(actor):
        assert actor.membership is not None
        return extracts.filter(district_id=actor.membership.agency.district_id)
    return extracts.none()


def extract_get_for(*, actor: Actor, extract_id: uuid.UUID | str) -> ArchiveExtract:
    extract = extracts_for(actor=actor).filter(pk=extract_id).first()
    if extract is None:
        raise NotFound
    return extract


def extract_items(*, extract: ArchiveExtract) -> QuerySet[ArchivedItem]:
    return extract.items.order_by("case_id", "kind", "path", "object_id")


# --- retention and erasure (laget.lifecycle.erasure) ----------------------------------------------
# The lists hold ids, dates, rules and counts — no personal data — so, like the archive's, they
# are not audited; the decisions and the erasure are.

def _in_scope(actor: Actor, rows: QuerySet) -> QuerySet:  # type: ignore[type-arg]
    if actor.role in OVERSIGHT_ROLES:
        return rows
    if is_archiving_leader(actor):
        assert actor.membership is not None
        return rows.filter(district_id=actor.membership.agency.district_id)
    return rows.none()


def erasure_due_for(*, actor: Actor) -> QuerySet[ErasureCandidate]:
    """The candidates awaiting the leader's confirmation (a leader: their bydel's; admins and
    auditors: all), each with `held`: whether an active legal hold stops it today."""
    today = clock.today()
    active = LegalHold.objects.active(today)
    held = Exists(active.filter(kind=OuterRef("kind"), object_id=OuterRef("object_id"))) | Exists(
        active.filter(kind=ErasureKind.PERSON, object_id=OuterRef("person_id")))
    return _in_scope(actor, ErasureCandidate.objects.filter(status=CandidateStatus.DUE)).annotate(
        held=held).order_by("due_at", "id")


def erasure_rejected_for(*, actor: Actor) -> QuerySet[ErasureCandidate]:
    return _in_scope(actor, ErasureCandidate.objects.filter(
        status=CandidateStatus.REJECTED)).select_related("decided_by").order_by("-decided_at")


def holds_for(*, actor: Actor) -> QuerySet[LegalHold]:
    return _in_scope(actor, LegalHold.objects.all()).select_related(
        "placed_by", "lifted_by").order_by("lifted_at", "-starts_on", "-created_at")


def hold_panel_for(*, actor: Actor, case: Case) -> dict[str, Any] | None:
    """On the case page, for the leader of the case's bydel: the holds on the case or its person
    that stop erasure today, and the way to place one. Nothing for anyone else."""
    if not is_archiving_leader(actor):
        return None
    assert actor.membership is not None
    if actor.membership.agency.district_id != case.district_id:
        return None
    holds = LegalHold.objects.active().filter(
        Q(kind=ErasureKind.CASE, object_id=case.pk)
        | Q(kind=ErasureKind.PERSON, object_id=case.person_id)).order_by("ends_on", "id")
    return {"holds": list(holds), "kind": ErasureKind.CASE, "object_id": case.pk}


def tombstones_for(*, actor: Actor) -> QuerySet[Tombstone]:
    return _in_scope(actor, Tombstone.objects.all()).select_related("confirmed_by").order_by(
        "-erased_at", "kind", "id")


def candidate_get_for(*, actor: Actor, candidate_id: uuid.UUID | str) -> ErasureCandidate:
    candidate = _in_scope(actor, ErasureCandidate.objects.all()).filter(pk=candidate_id).first()
    if candidate is None:
        raise NotFound
    return candidate
