"""The archive's path to a closed case's entries, for the Noark 5 extract (laget.lifecycle).

Archiving is not a read for a purpose of the rulebook: the bydel hands its own records to its
archive (arkivlova § 6). So this path reads only what the bydel itself recorded — the entries
whose source agency is the archiving leader's own bydel agency, every version (corrections
included, as the record stands) — whether or not the sharing engine would show them to the
leader today (a leader is seldom on a closed case's team). Every other agency's entry stays out:
that agency is its own arkivskaper and archives its own records. Those entries are named by id
only (never read: no text, category or source leaves this module), so that the extract can list
exactly what did not go. The files attached to the bydel's own entries come with their bytes,
for the archive to hold them in an archival format. The caller records the audit event, one per
case, naming every id."""

import uuid
from dataclasses import dataclass

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Role
from laget.core.errors import NotFound
from laget.records.access import entries_opened
from laget.records.models import Case, CaseStatus, Entry, EntryAttachment


@dataclass(frozen=True)
class ArchiveAttachment:
    """A file attached to one of the bydel's own entries, with its bytes."""

    id: uuid.UUID
    entry_id: uuid.UUID
    name: str
    content_type: str
    sha256: str
    data: bytes


@dataclass(frozen=True)
class ArchiveEntries:
    own: list[Entry]
    excluded_ids: list[uuid.UUID]
    attachments: list[ArchiveAttachment]


def archive_entries_for(*, actor: Actor, case: Case) -> ArchiveEntries:
    """The closed case's entries for the archive of the leader's bydel (see the module's
    docstring). Anyone but a leader of the case's own bydel agency, and any open case, gets
    NotFound: the path exists for nothing else."""
    membership = actor.membership
    if (
        membership is None
        or membership.role != Role.LEADER
        or membership.agency.type != AgencyType.BYDEL
        or membership.agency.district_id != case.district_id
        or case.status != CaseStatus.CLOSED
    ):
        raise NotFound
    with entries_opened():
        rows = list(
            Entry.objects.filter(case=case)
            .select_related("source_agency", "author")
            .order_by("created_at", "id")
        )
        own = [e for e in rows if e.source_agency_id == membership.agency_id]
        excluded = [e.pk for e in rows if e.source_agency_id != membership.agency_id]
        attachments = []
        for row in (EntryAttachment.objects.filter(entry__in=[e.pk for e in own])
                    .order_by("entry__created_at", "entry_id", "name", "id")):
            with row.file.open("rb") as handle:
                data = handle.read()
            attachments.append(ArchiveAttachment(
                id=row.pk, entry_id=row.entry_id, name=row.name,
                content_type=row.content_type, sha256=row.sha256, data=data))
    return ArchiveEntries(own=own, excluded_ids=excluded, attachments=attachments)
