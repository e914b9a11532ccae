"""Reads: who may decide or see a request, the agency's list with deadlines, one request with the
entries it concerns (read through the sharing engine's selectors, never the entries table), and
the family's own requests. Every read of a request is audited."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from laget.accounts.actor import Actor
from laget.audit.actions import Action, Outcome, Purpose
from laget.audit.services import audit_record
from laget.cases.guardians import guardians_have_access
from laget.core import clock
from laget.core.errors import NotFound
from laget.people.models import Guardian, Person
from laget.records.models import Case, TeamMember
from laget.records.services import CASE_ROLES, is_district_coordinator
from laget.rectification.models import Channel, RectificationRequest, RequestedEntry
from laget.sharing import selectors as sharing
from laget.sharing.selectors import ShownEntry

#: Requests are read to keep the record right.
PURPOSE = Purpose.REGISTRERING
#: The entries are read as on the case page: the purpose the team shares them for.
ENTRY_PURPOSE = Purpose.FOREBYGGING


def may_decide(actor: Actor | None, request: RectificationRequest) -> bool:
    """The deciding agency's case roles: personally on the case's team for that agency, or (for
    a bydel) the coordinator or leader of the case's bydel."""
    if actor is None or actor.role not in CASE_ROLES or actor.agency is None:
        return False
    if actor.agency.pk != request.agency_id:
        return False
    case = request.case
    return (TeamMember.objects.active().filter(case=case, user_id=actor.user.pk,
                                               agency_id=actor.agency.pk).exists()
            or is_district_coordinator(actor, case.district_id))


def _registered_by_actor(actor: Actor, request: RectificationRequest) -> bool:
    return (actor.agency is not None and request.registered_by_id == actor.user.pk
            and request.registered_by_agency_id == actor.agency.pk)


def may_see(actor: Actor | None, request: RectificationRequest) -> bool:
    """Those who may decide, and the team member who registered it (to follow it up)."""
    if actor is None or actor.role not in CASE_ROLES:
        return False
    return may_decide(actor, request) or _registered_by_actor(actor, request)


def _visible(actor: Actor) -> Q:
    if actor.role not in CASE_ROLES or actor.agency is None:
        return Q(pk__in=[])
    agency = actor.agency
    on_team = Exists(TeamMember.objects.active().filter(
        case_id=OuterRef("case_id"), user_id=actor.user.pk, agency_id=agency.pk))
    deciding = Q(on_team)
    if is_district_coordinator(actor, agency.district_id or ""):
        deciding |= Q(case__district_id=agency.district_id)
    return (Q(agency_id=agency.pk) & deciding) | Q(registered_by_id=actor.user.pk,
                                                   registered_by_agency_id=agency.pk)


def _requests() -> QuerySet[RectificationRequest]:
    return RectificationRequest.objects.select_related(
        "person", "case", "agency", "decided_by", "registered_by", "registered_by_agency")


@dataclass(frozen=True)
class Listing:
    open: list[RectificationRequest]
    decided: list[RectificationRequest]
    today: Any


#: The most decided requests the list shows (newest first).
DECIDED_SHOWN = 50


def requests_for(*, actor: Actor) -> Listing:
    """The open requests the actor's agency must decide (and those the actor registered), soonest
    deadline first, and the latest decided ones. Audited."""
    visible = _requests().filter(_visible(actor))
    open_ = list(visible.filter(decision="").order_by("deadline", "received_at", "id"))
    decided = list(visible.exclude(decision="").order_by("-decided_at", "-id")[:DECIDED_SHOWN])
    shown = open_ + decided
    audit_record(action=Action.RECTIFICATION_VIEW, actor=actor, purpose=PURPOSE,
                 persons={r.person_id for r in shown},
                 details={"view": "list", "open": len(open_), "decided": len(decided)})
    return Listing(open_, decided, clock.today())


def request_get_for(*, actor: Actor, request_id: uuid.UUID | str) -> RectificationRequest:
    """One request the actor may see, or NotFound (audited, never confirming it exists)."""
    request = _requests().filter(pk=request_id).first()
    if request is None or not may_see(actor, request):
        audit_record(action=Action.RECTIFICATION_ACCESS_DENIED, actor=actor,
                     outcome=Outcome.DENIED, purpose=PURPOSE,
                     details={"object_id": str(request_id)[:64]})
        raise NotFound()
    audit_record(action=Action.RECTIFICATION_VIEW, actor=actor, obj=request,
                 persons=[request.person_id], purpose=PURPOSE, details={"view": "request"})
    return request


@dataclass(frozen=True)
class ConcernedEntry:
    row: RequestedEntry
    #: the entry as the reader may see it (None: the reader has no basis to read it)
    shown: ShownEntry | None
    correction: ShownEntry | None
    #: every version the reader may see, newest first
    history: list[ShownEntry]


def request_entries_for(*, actor: Actor, request: RectificationRequest) -> list[ConcernedEntry]:
    """The entries the request concerns, read through the sharing engine in one go (audited
    there, one event on the request): the old version, the correction that superseded it, and
    the versions between."""
    rows = list(request.entries.order_by("created_at", "id"))
    # all of them in one read (a fixed number of queries however many the request names)
    found = sharing.entries_with_history_for(
        actor=actor, case=request.case, entry_ids=[row.entry_id for row in rows],
        purpose=ENTRY_PURPOSE, obj=request)
    result = []
    for row in rows:
        item = found.get(row.entry_id)
        if item is None:
            result.append(ConcernedEntry(row, None, None, []))
            continue
        correction = next((h for h in item.history if h.entry.pk == row.correction_id), None)
        result.append(ConcernedEntry(row, item.shown, correction, item.history))
    return result


def family_requests_for(*, person: Person, details: dict[str, Any]
                        ) -> list[RectificationRequest]:
    """The requests made on the family pages for the person, newest first, with their
    decisions and reasons. `details` name the citizen (laget.family). Audited."""
    requests = list(
        RectificationRequest.objects.filter(person=person, channel=Channel.FAMILY)
        .select_related("guardian").order_by("-received_at", "-id"))
    audit_record(action=Action.RECTIFICATION_VIEW, actor=None, persons=[person],
                 purpose=Purpose.OPPFOLGING,
                 details={**details, "view": "family_requests", "shown": len(requests)})
    return requests


def requesting_guardians(case: Case) -> list[Guardian]:
    """The guardians who may ask on the person's behalf: those with parental responsibility,
    while the person is under 18 (for the registering team member's form; the case read is
    audited by the caller)."""
    if not guardians_have_access(case):
        return []
    return list(case.person.guardians.filter(parental_responsibility=True)
                .order_by("family_name", "given_name"))


#: The most pages of a case's entries the request form offers (25 a page, newest first).
FORM_PAGES = 8


def requestable_entries_for(*, actor: Actor, case: Case) -> list[ShownEntry]:
    """The case's current entries the actor may read (through the sharing engine, audited
    there), newest first: what a team member may register a request about."""
    result: list[ShownEntry] = []
    for number in range(1, FORM_PAGES + 1):
        page, shown = sharing.case_entries_for(actor=actor, case=case, purpose=ENTRY_PURPOSE,
                                               page=number)
        result += shown
        if not page.has_next():
            break
    return result
