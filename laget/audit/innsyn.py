"""Innsyn: a person's access report — every audit event that concerns them (who, when, which
category, on which basis, for which purpose), each line tied to the transparency log — and the
withholdings that keep one agency's lines out of the person's version for a while, on a legal
reason.

Who may ask for a report is decided above this layer (the team check needs records); this module
only insists that the auditor's version goes to an auditor. Every report, PDF, withholding and
withholding change is itself an audit event.
"""

import datetime as dt
import uuid
from base64 import b64encode
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Role
from laget.audit.actions import Action, Outcome, Purpose
from laget.audit.models import (
    AuditEvent,
    AuditEventPerson,
    Checkpoint,
    Withholding,
    WithholdingReason,
)
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.people.models import Person

#: Where a line's inclusion proof is served (the JSON API) — relative to the site.
PROOF_PATH = "/api/v1/audit/proof/inclusion?leaf_index={index}&tree_size={size}"
CHECKPOINT_PATH = "/log/checkpoint"
KEY_PATH = "/log/key"
#: The right the person's report answers (DOMAIN.md, "Access and logging").
ACCESS_BASIS = "personvernforordningen art. 15; forvaltningsloven § 18"


@dataclass(frozen=True)
class Citation:
    text: str
    #: read in a primary or secondary source (✔); otherwise shown as a draft for legal review
    verified: bool


#: The law each withholding reason rests on. Criminal investigation: personopplysningsloven
#: § 16 (1) b, within GDPR art. 23 (1) d (Lov&Data 3/2022, Vanebo, "Unntak fra rett til
#: informasjon og innsyn … av hensyn til etterforskning"; GDPR art. 23 text). "Other law" names
#: no citation: the explanation must, and a lawyer should review it.
WITHHOLDING_CITATIONS: dict[str, Citation] = {
    WithholdingReason.CRIMINAL_INVESTIGATION: Citation(
        "personopplysningsloven § 16 første ledd bokstav b, jf. personvernforordningen "
        "art. 23 nr. 1 bokstav d", verified=True),
    WithholdingReason.OTHER_LAW: Citation("", verified=False),
}
WITHHOLDING_PURPOSE: dict[str, Purpose] = {
    WithholdingReason.CRIMINAL_INVESTIGATION: Purpose.STRAFFESAK,
    WithholdingReason.OTHER_LAW: Purpose.TILSYN,
}
WITHHOLDING_ROLES = frozenset({Role.LEADER})


class RequestedBy:
    """Who the report is made for: the person, a guardian (through a caseworker), or the
    auditor's own control."""

    PERSON = "person"
    GUARDIAN = "guardian"
    AUDITOR = "tilsyn"
    LABELS = {
        PERSON: _("Personen selv"),
        GUARDIAN: _("Foresatt"),
        AUDITOR: _("Revisors kontroll"),
    }


@dataclass(frozen=True)
class ReportLine:
    event_id: int
    occurred_at: dt.datetime
    agency_id: uuid.UUID | None
    agency_name: str
    agency_type: str
    agency_type_label: str
    role_label: str
    staff_name: str
    action: str
    action_label: str
    outcome: str
    outcome_label: str
    categories: tuple[str, ...]
    basis: tuple[str, ...]
    purpose: str
    purpose_label: str
    log_index: int | None
    proof_path: str
    withheld_by: "Withholding | None" = None


@dataclass(frozen=True)
class WithheldGroup:
    withholding: Withholding
    citation: Citation
    count: int


@dataclass(frozen=True)
class CheckpointRef:
    size: int
    root_b64: str
    signed_at: dt.datetime


@dataclass
class InnsynReport:
    person: Person
    for_auditor: bool
    requested_by: str
    produced_at: dt.datetime
    #: None when the person or a guardian made it themselves on the family pages
    produced_by: Actor | None
    lines: list[ReportLine]
    checkpoint: CheckpointRef | None
    #: the auditor's version only: what is withheld from the person's version, and every
    #: withholding the person has had
    withheld: list[WithheldGroup] = field(default_factory=list)
    withholdings: list[Withholding] = field(default_factory=list)
    #: lines the caller's `hide` left out (never shown in either version; for tests and the event)
    hidden: int = 0
    event: AuditEvent | None = None

    @property
    def period_start(self) -> dt.date | None:
        if not self.lines:
            return None
        return min(line.occurred_at for line in self.lines).astimezone(clock.OSLO).date()

    @property
    def period_end(self) -> dt.date:
        return self.produced_at.astimezone(clock.OSLO).date()

    @property
    def withheld_count(self) -> int:
        return sum(group.count for group in self.withheld)

    @property
    def unproven(self) -> int:
        return sum(1 for line in self.lines if not line.proof_path)


# --- the report ----------------------------------------------------------------------------------

def _categories(details: object) -> tuple[str, ...]:
    """The information categories an event names in its details (entries, emergency access and
    consents record their category codes there)."""
    if not isinstance(details, dict):
        return ()
    found: list[str] = []
    single = details.get("category")
    if isinstance(single, str) and single:
        found.append(single)
    several = details.get("categories")
    if isinstance(several, list):
        found.extend(c for c in several if isinstance(c, str) and c)
    return tuple(dict.fromkeys(found))


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=clock.OSLO)


def _active_withholdings(person_id: uuid.UUID, day: dt.date) -> list[Withholding]:
    return list(
        Withholding.objects.filter(person_id=person_id, ended_at__isnull=True,
                                   starts_on__lte=day, ends_on__gt=day)
        .select_related("agency", "created_by")
        .order_by("-ends_on", "created_at")
    )


def _withholding_for(event: AuditEvent, active: list[Withholding]) -> Withholding | None:
    """The withholding that keeps this line out of the person's version: an active one for the
    agency the event was made in, ending after it happened."""
    for withholding in active:
        if (event.agency_id == withholding.agency_id
                and event.occurred_at < _midnight(withholding.ends_on)):
            return withholding
    return None


def latest_checkpoint() -> CheckpointRef | None:
    checkpoint = Checkpoint.objects.order_by("-size").first()
    if checkpoint is None:
        return None
    return CheckpointRef(size=checkpoint.size, root_b64=b64encode(bytes(checkpoint.root)).decode(),
                         signed_at=checkpoint.signed_at)


_ACTION_LABELS = dict(Action.choices)


def _line(event: AuditEvent, checkpoint: CheckpointRef | None,
          withheld_by: Withholding | None) -> ReportLine:
    agency = event.agency
    actor = event.actor
    staff = (actor.get_full_name() or actor.get_username()) if actor else event.actor_label
    index = event.log_index
    proof = (PROOF_PATH.format(index=index, size=checkpoint.size)
             if checkpoint is not None and index is not None and index < checkpoint.size else "")
    return ReportLine(
        event_id=event.pk,
        occurred_at=event.occurred_at,
        agency_id=agency.pk if agency else None,
        agency_name=agency.name if agency else "",
        agency_type=agency.type if agency else "",
        agency_type_label=str(AgencyType(agency.type).label)
        if agency and agency.type in AgencyType.values else "",
        role_label=event.role_label,
        staff_name=staff,
        action=event.action,
        action_label=str(_ACTION_LABELS.get(event.action, event.action)),
        outcome=event.outcome,
        outcome_label=event.get_outcome_display(),
        categories=_categories(event.details),
        basis=tuple(part.strip() for part in event.basis.split(",") if part.strip()),
        purpose=event.purpose,
        purpose_label=event.get_purpose_display() if event.purpose else "",
        log_index=index,
        proof_path=proof,
        withheld_by=withheld_by,
    )


def events_concerning(person_id: uuid.UUID) -> QuerySet[AuditEvent]:
    """Every event linked to the person (login events and other events about no one are not).
    A join from the person's index (an event names a person at most once)."""
    return AuditEvent.objects.filter(subjects__person_id=person_id)


@transaction.atomic
def innsyn_report(
    *, actor: Actor | None, person: Person, for_auditor: bool, requested_by: str,
    hide: Callable[[ReportLine], bool] | None = None,
    action: Action = Action.INNSYN_REPORT, details: dict[str, object] | None = None,
) -> InnsynReport:
    """The person's access report, newest line first, recorded as `action` in the same
    transaction.

    The person's version leaves out, without a trace, the lines an active withholding covers; the
    auditor's version (auditors only) shows them marked, with the count, agency, reason and end
    date of each withholding. The caller has checked that the actor may make the report; `hide`
    leaves out lines the actor must not learn of (existence-confidential services they have no
    basis for) — the caller tells the reader that such lines are only in the auditor's report.
    `actor` None: the person or a guardian asks on the family pages (laget.family, which has
    checked who they are and names them in `details`); always the person's version."""
    is_auditor = actor is not None and actor.role == Role.AUDITOR
    if for_auditor and not is_auditor:
        raise DomainError(str(_("Bare revisor kan se revisorversjonen av innsynsrapporten.")),
                          code="forbidden")
    if requested_by not in RequestedBy.LABELS or (
            requested_by == RequestedBy.AUDITOR and not is_auditor):
        raise DomainError(str(_("Oppgi hvem som ber om innsyn.")), code="requested_by")
    now = clock.now()
    today = now.astimezone(clock.OSLO).date()
    checkpoint = latest_checkpoint()
    active = _active_withholdings(person.pk, today)
    events = (
        events_concerning(person.pk)
        .select_related("actor", "agency")
        # the log's own columns (leaf hash, committed payload, salt) are not shown: not fetched
        .defer("leaf", "payload", "salt")
        .order_by("-occurred_at", "-id")
    )
    lines: list[ReportLine] = []
    counts: dict[uuid.UUID, int] = {}
    hidden = 0
    for event in events.iterator(chunk_size=2000):
        withheld_by = _withholding_for(event, active)
        line = _line(event, checkpoint, withheld_by)
        if hide is not None and hide(line):
            hidden += 1
            continue
        if withheld_by is not None:
            counts[withheld_by.pk] = counts.get(withheld_by.pk, 0) + 1
            if not for_auditor:
                continue
        lines.append(line)
    report = InnsynReport(
        person=person, for_auditor=for_auditor, requested_by=requested_by, produced_at=now,
        produced_by=actor, lines=lines, checkpoint=checkpoint, hidden=hidden,
    )
    if for_auditor:
        report.withheld = [
            WithheldGroup(w, WITHHOLDING_CITATIONS[w.legal_reason], counts[w.pk])
            for w in active if counts.get(w.pk)
        ]
        report.withholdings = list(
            Withholding.objects.filter(person_id=person.pk)
            .select_related("agency", "created_by", "ended_by").order_by("-created_at")
        )
    recorded: dict[str, object] = {
        "version": "auditor" if for_auditor else "person",
        "requested_by": requested_by,
        "lines": len(lines),
        "checkpoint_size": checkpoint.size if checkpoint else 0,
        **(details or {}),
    }
    if for_auditor:  # never in the person's version's event, which the person may later read
        recorded["withheld"] = report.withheld_count
    on_request = requested_by != RequestedBy.AUDITOR
    report.event = audit_record(
        action=action, actor=actor, obj=person, persons=[person],
        purpose=Purpose.INNSYN if on_request else Purpose.TILSYN,
        basis=ACCESS_BASIS if on_request else "", details=recorded,
    )
    return report


def person_find_for_auditor(*, actor: Actor, number: str) -> Person | None:
    """The auditor's look-up of any person by full number (from a form body, never a URL)."""
    if actor.role != Role.AUDITOR:
        raise NotFound()
    person = Person.objects.filter(national_id=number).first()
    audit_record(action=Action.PERSON_SEARCH, actor=actor, persons=[person] if person else [],
                 purpose=Purpose.TILSYN,
                 details={"by": "national_id", "found": person is not None, "view": "innsyn"})
    return person


def person_get_for_auditor(*, actor: Actor, person_id: uuid.UUID | str) -> Person:
    """Any person, for the auditor (the read is recorded by the report that follows)."""
    person = Person.objects.filter(pk=person_id).first() if actor.role == Role.AUDITOR else None
    if person is None:
        audit_record(action=Action.PERSON_ACCESS_DENIED, actor=actor, outcome=Outcome.DENIED,
                     purpose=Purpose.TILSYN, details={"object_id": str(person_id)})
        raise NotFound()
    return person


# --- withholdings --------------------------------------------------------------------------------

def may_withhold(actor: Actor | None) -> bool:
    return bool(actor and actor.membership and actor.role in WITHHOLDING_ROLES)


def _withholdings_visible(actor: Actor) -> QuerySet[Withholding]:
    """A leader sees their own agency's withholdings; the auditor sees all."""
    if actor.role == Role.AUDITOR:
        return Withholding.objects.all()
    if may_withhold(actor):
        assert actor.membership is not None
        return Withholding.objects.filter(agency_id=actor.membership.agency_id)
    return Withholding.objects.none()


@dataclass(frozen=True)
class WithholdingRow:
    withholding: Withholding
    person: Person | None
    citation: Citation
    active: bool


def withholding_list_for(*, actor: Actor) -> list[WithholdingRow]:
    """The withholdings the actor may see, newest first, with the persons they concern."""
    withholdings = list(
        _withholdings_visible(actor).select_related("agency", "created_by", "ended_by")
        .order_by("-created_at")
    )
    persons = Person.objects.in_bulk({w.person_id for w in withholdings})
    today = clock.today()
    rows = [WithholdingRow(w, persons.get(w.person_id), WITHHOLDING_CITATIONS[w.legal_reason],
                           w.is_active(today)) for w in withholdings]
    audit_record(action=Action.AUDIT_SEARCH, actor=actor, purpose=Purpose.TILSYN,
                 persons=[w.person_id for w in withholdings],
                 details={"view": "withholdings", "results": len(rows)})
    return rows


def withholding_get_for(*, actor: Actor, withholding_id: uuid.UUID | str) -> WithholdingRow:
    """One withholding the actor may see, with its person (the read is recorded)."""
    withholding = (
        _withholdings_visible(actor).select_related("agency", "created_by", "ended_by")
        .filter(pk=withholding_id).first()
    )
    if withholding is None:
        raise NotFound()
    person = Person.objects.filter(pk=withholding.person_id).first()
    audit_record(action=Action.PERSON_VIEW, actor=actor, obj=withholding,
                 persons=[withholding.person_id], purpose=Purpose.TILSYN,
                 details={"view": "withholding"})
    return WithholdingRow(withholding, person, WITHHOLDING_CITATIONS[withholding.legal_reason],
                          withholding.is_active())


def _persons_for_withholding(actor: Actor) -> QuerySet[Person]:
    """The persons a leader may withhold their agency's accesses for: those the agency's events
    already concern (so the form confirms nothing the agency did not already know)."""
    if not may_withhold(actor):
        return Person.objects.none()
    assert actor.membership is not None
    touched = AuditEventPerson.objects.filter(person_id=OuterRef("pk"),
                                              event__agency_id=actor.membership.agency_id)
    return Person.objects.filter(Exists(touched))


def withholding_person_find(*, actor: Actor, number: str) -> Person | None:
    """Look-up by full number for a new withholding (from a form body, never a URL)."""
    person = _persons_for_withholding(actor).filter(national_id=number).first()
    audit_record(action=Action.PERSON_SEARCH, actor=actor, persons=[person] if person else [],
                 purpose=Purpose.TILSYN,
                 details={"by": "national_id", "found": person is not None, "view": "withholding"})
    return person


def withholding_person_get(*, actor: Actor, person_id: uuid.UUID | str) -> Person | None:
    """The person named in the link to a new withholding, if the leader may withhold for them."""
    person = _persons_for_withholding(actor).filter(pk=person_id).first()
    if person is not None:
        audit_record(action=Action.PERSON_VIEW, actor=actor, obj=person, persons=[person],
                     purpose=Purpose.TILSYN, details={"view": "withholding"})
    return person


def max_withholding_days() -> int:
    return int(settings.LAGET_INNSYN_WITHHOLDING_MAX_DAYS)


@transaction.atomic
def withholding_create(
    *, actor: Actor, person: Person, legal_reason: str, explanation: str, ends_on: dt.date,
    starts_on: dt.date | None = None,
) -> Withholding:
    """Withhold the actor's agency's accesses to the person from the person's report until
    `ends_on` (the first day they show again). Leaders only, for their own agency."""
    if not may_withhold(actor):
        raise DomainError(str(_("Bare ledere kan holde tilbake linjer fra innsyn.")),
                          code="forbidden")
    assert actor.membership is not None
    if not _persons_for_withholding(actor).filter(pk=person.pk).exists():
        raise NotFound()
    today = clock.today()
    starts_on = starts_on or today
    if legal_reason not in WithholdingReason.values:
        raise DomainError(str(_("Velg et rettsgrunnlag.")), code="legal_reason")
    explanation = explanation.strip()
    if not explanation:
        raise DomainError(str(_("Skriv en begrunnelse.")), code="explanation")
    if starts_on < today:
        raise DomainError(str(_("Tilbakeholdet kan ikke starte før i dag.")), code="starts_on")
    if ends_on <= today or ends_on <= starts_on:
        raise DomainError(str(_("Sluttdatoen må være etter i dag.")), code="ends_on")
    longest = max_withholding_days()
    if (ends_on - starts_on).days > longest:
        raise DomainError(
            str(_("Tilbakeholdet kan vare i høyst %(days)s dager om gangen.")) % {"days": longest},
            code="ends_on")
    withholding = Withholding.objects.create(
        person_id=person.pk, agency=actor.membership.agency, legal_reason=legal_reason,
        explanation=explanation, starts_on=starts_on, ends_on=ends_on, created_by=actor.user,
        created_at=clock.now(),
    )
    audit_record(
        action=Action.WITHHOLDING_CREATE, actor=actor, obj=withholding, persons=[person],
        purpose=WITHHOLDING_PURPOSE[legal_reason],
        basis=WITHHOLDING_CITATIONS[legal_reason].text,
        details={"legal_reason": legal_reason, "starts_on": starts_on.isoformat(),
                 "ends_on": ends_on.isoformat()},
    )
    return withholding


@transaction.atomic
def withholding_end(*, actor: Actor, withholding: Withholding) -> Withholding:
    """End a withholding early: from now on its lines show in the person's report."""
    if not may_withhold(actor) or actor.membership is None or (
            withholding.agency_id != actor.membership.agency_id):
        raise NotFound()
    locked = Withholding.objects.select_for_update().get(pk=withholding.pk)
    if locked.ended_at is not None or locked.ends_on <= clock.today():
        raise DomainError(str(_("Tilbakeholdet er allerede avsluttet.")), code="ended")
    locked.ended_at = clock.now()
    locked.ended_by = actor.user
    locked.save(update_fields=["ended_at", "ended_by"])
    audit_record(
        action=Action.WITHHOLDING_END, actor=actor, obj=locked, persons=[locked.person_id],
        purpose=WITHHOLDING_PURPOSE[locked.legal_reason],
        basis=WITHHOLDING_CITATIONS[locked.legal_reason].text,
        details={"legal_reason": locked.legal_reason, "ends_on": locked.ends_on.isoformat()},
    )
    return locked
