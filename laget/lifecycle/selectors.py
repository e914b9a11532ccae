"""Reads for the archive pages: who may archive for which bydel, the closed cases due for the
archive, and the extracts with what each holds. The lists hold no personal data (case ids and
dates, file names and checksums), so they are not audited; downloading an extract is."""

import datetime as dt
import uuid

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Role
from laget.core import clock
from laget.core.errors import NotFound
from laget.lifecycle.models import ArchivedItem, ArchiveExtract, ItemKind
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
