"""Writes of the schools app, each atomic and audited, every check before the first write:
incident reports (and their entry on a pupil's SaLTo case), the ambulant team's request → triage →
dispatch → arrival → visits → closing report, forced school change with its hearing, and the
handover of a pupil with an open SaLTo case to the receiving school's contact."""

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import Membership, User
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.errors import DomainError
from laget.people.models import Person
from laget.records.models import Case, TeamMember
from laget.records.services import CASE_ROLES, is_district_coordinator, team_member_add
from laget.records.vocabulary import InfoCategory, SharingPurpose
from laget.schools import access
from laget.schools.models import (
    SERIOUS_KINDS,
    AmbulantRequest,
    AmbulantVisit,
    ChangeStatus,
    HearingParty,
    Incident,
    IncidentKind,
    IncidentPupil,
    PartyKind,
    RequestKind,
    RequestStatus,
    School,
    SchoolChange,
    Urgency,
)
from laget.sharing.services import entry_add

MAX_TEXT = 4000


def _text(value: str, *, required: bool, limit: int, message: str) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(message, code="text")
    if len(value) > limit:
        raise DomainError(_("Høyst %(n)s tegn.") % {"n": limit}, code="text_length")
    return value


def _require_school(actor: Actor) -> School:
    school = access.school_of(actor)
    if school is None:
        raise DomainError(_("Du må arbeide ved en skole for å gjøre dette."), code="not_school")
    return school


# --- incidents -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Involvement:
    person: Person
    perpetrator: bool = False
    victim: bool = False
    witness: bool = False


def _case_entry_text(incident: Incident, involvement: IncidentPupil) -> str:
    """What goes on the pupil's SaLTo case: kind, date, the pupil's own role(s), whether the
    police and barnevern were told, and the school's actions — never the other pupils."""
    day = incident.occurred_at.astimezone(clock.OSLO).date()
    lines = [
        _("Alvorlig hendelse på skolen (%(kind)s) %(day)s.") % {
            "kind": IncidentKind(incident.kind).label, "day": day.strftime("%d.%m.%Y")},
        _("Elevens rolle: %(roles)s.") % {"roles": ", ".join(involvement.roles)},
        _("Politiet varslet: %(p)s. Barnevernet varslet: %(b)s.") % {
            "p": _("ja") if incident.police_informed else _("nei"),
            "b": _("ja") if incident.barnevern_informed else _("nei")},
    ]
    if incident.actions_taken:
        lines.append(_("Skolens tiltak: %(a)s") % {"a": incident.actions_taken})
    return "\n".join(lines)


def _open_case_on_team(actor: Actor, person_id: object) -> Case | None:
    """The pupil's open SaLTo case, if the actor is on its team for their school."""
    assert actor.membership is not None
    case = Case.objects.filter(person_id=person_id).open().first()
    if case is None:
        return None
    on_team = TeamMember.objects.active().filter(
        case=case, user_id=actor.user.pk, agency_id=actor.membership.agency_id).exists()
    return case if on_team else None


def _write_case_entry(actor: Actor, incident: Incident, row: IncidentPupil) -> bool:
    case = _open_case_on_team(actor, row.person_id)
    if case is None:
        return False
    row.salto_entry = entry_add(actor=actor, case=case, category=InfoCategory.SKOLE,
                                text=_case_entry_text(incident, row),
                                purpose=SharingPurpose.FOREBYGGING)
    row.save(update_fields=["salto_entry", "updated_at"])
    return True


@transaction.atomic
def incident_report(
    *, actor: Actor, occurred_at: dt.datetime, kind: str, description: str,
    pupils: Sequence[Involvement] = (), staff_affected: int = 0, actions_taken: str = "",
    activity_plan_started: bool = False, activity_plan_due: dt.date | None = None,
    police_informed: bool = False, barnevern_informed: bool = False,
) -> Incident:
    """A member of a school's staff reports an incident at their school. A serious incident
    (vold, trusler, våpen) about a pupil with an open SaLTo case becomes an entry on the case
    when the reporter is on its team; otherwise a colleague on the team adds it later
    (`incident_case_entry_add`)."""
    school = _require_school(actor)
    if kind not in IncidentKind.values:
        raise DomainError(_("Ukjent type hendelse."), code="kind")
    if occurred_at > clock.now():
        raise DomainError(_("Tidspunktet kan ikke være fram i tid."), code="future")
    description = _text(description, required=True, limit=MAX_TEXT,
                        message=_("Beskriv hva som skjedde."))
    actions_taken = _text(actions_taken, required=False, limit=2000, message="")
    if not 0 <= staff_affected <= 500:
        raise DomainError(_("Antall ansatte må være mellom 0 og 500."), code="staff")
    if activity_plan_started and activity_plan_due is None:
        raise DomainError(_("Sett en frist for aktivitetsplanen."), code="plan_due")
    if activity_plan_due is not None:
        if not activity_plan_started:
            raise DomainError(_("En frist for aktivitetsplan krever at aktivitetsplikten er satt "
                                "i gang."), code="plan_due")
        if activity_plan_due < occurred_at.astimezone(clock.OSLO).date():
            raise DomainError(_("Fristen for aktivitetsplanen kan ikke være før hendelsen."),
                              code="plan_due")
    seen = set()
    for involvement in pupils:
        if not (involvement.perpetrator or involvement.victim or involvement.witness):
            raise DomainError(_("Velg minst én rolle for hver elev."), code="pupil_role")
        if involvement.person.pk in seen:
            raise DomainError(_("Samme elev står to ganger."), code="pupil_twice")
        seen.add(involvement.person.pk)
    incident = Incident.objects.create(
        school=school, reported_by=actor.user, occurred_at=occurred_at, kind=kind,
        description=description, staff_affected=staff_affected, actions_taken=actions_taken,
        activity_plan_started=activity_plan_started, activity_plan_due=activity_plan_due,
        police_informed=police_informed, barnevern_informed=barnevern_informed)
    entries = 0
    for involvement in pupils:
        row = IncidentPupil.objects.create(
            incident=incident, person=involvement.person, perpetrator=involvement.perpetrator,
            victim=involvement.victim, witness=involvement.witness)
        if kind in SERIOUS_KINDS and _write_case_entry(actor, incident, row):
            entries += 1
    audit_record(action=Action.SCHOOLS_INCIDENT_REPORT, actor=actor, obj=incident,
                 persons=[i.person.pk for i in pupils], purpose=Purpose.FOREBYGGING,
                 details={"kind": kind, "pupils": len(pupils), "case_entries": entries})
    return incident


@transaction.atomic
def incident_case_entry_add(*, actor: Actor, incident: Incident, row: IncidentPupil) -> None:
    """A school's team member on the pupil's SaLTo case adds a serious incident to it."""
    if not access.is_staff_of(actor, incident.school) or row.incident_id != incident.pk:
        raise DomainError(_("Hendelsen hører ikke til skolen din."), code="not_school")
    if incident.kind not in SERIOUS_KINDS:
        raise DomainError(_("Bare alvorlige hendelser føres i SaLTo-saken."), code="not_serious")
    current = IncidentPupil.objects.select_for_update().get(pk=row.pk)
    if current.salto_entry_id is not None:
        raise DomainError(_("Hendelsen står allerede i saken."), code="duplicate")
    if not _write_case_entry(actor, incident, current):
        raise DomainError(_("Du er ikke med i teamet i en åpen sak for eleven."),
                          code="not_on_team")
    audit_record(action=Action.SCHOOLS_INCIDENT_REPORT, actor=actor, obj=incident,
                 persons=[current.person_id], purpose=Purpose.FOREBYGGING,
                 details={"op": "case_entry"})


@transaction.atomic
def incident_close(*, actor: Actor, incident: Incident) -> Incident:
    """The principal closes an incident that needs nothing more."""
    if not access.is_principal_of(actor, incident.school):
        raise DomainError(_("Bare rektor kan lukke en hendelse."), code="not_principal")
    current = Incident.objects.select_for_update().get(pk=incident.pk)
    if current.closed_at is not None:
        raise DomainError(_("Hendelsen er allerede lukket."), code="closed")
    current.closed_at = clock.now()
    current.save(update_fields=["closed_at", "updated_at"])
    audit_record(action=Action.SCHOOLS_INCIDENT_CLOSE, actor=actor, obj=current,
                 persons=list(current.pupils.values_list("person_id", flat=True)),
                 purpose=Purpose.FOREBYGGING)
    return current


# --- the ambulant team ---------------------------------------------------------------------------

def _locked_request(request: AmbulantRequest) -> AmbulantRequest:
    return AmbulantRequest.objects.select_for_update().get(pk=request.pk)


def _audit_request(actor: Actor, request: AmbulantRequest, op: str) -> None:
    audit_record(action=Action.SCHOOLS_AMBULANT, actor=actor, obj=request,
                 details={"op": op, "school": str(request.school_id), "status": request.status})


@transaction.atomic
def ambulant_request_create(*, actor: Actor, kind: str, situation: str,
                            incident: Incident | None = None) -> AmbulantRequest:
    """The principal asks for the ambulant team: about an incident or for longer-term work. The
    situation is described without names; the team learns the rest at the school."""
    school = _require_school(actor)
    if not access.is_principal_of(actor, school):
        raise DomainError(_("Bare rektor kan be om det ambulante teamet."), code="not_principal")
    if kind not in RequestKind.values:
        raise DomainError(_("Ukjent type forespørsel."), code="kind")
    if kind == RequestKind.INCIDENT and incident is None:
        raise DomainError(_("Velg hendelsen forespørselen gjelder."), code="incident")
    if incident is not None and incident.school_id != school.pk:
        raise DomainError(_("Hendelsen hører ikke til skolen din."), code="incident")
    situation = _text(situation, required=True, limit=2000,
                      message=_("Beskriv situasjonen (uten elevenes navn)."))
    request = AmbulantRequest.objects.create(
        school=school, district_id=school.district_id, requested_by=actor.user,
        requested_at=clock.now(), kind=kind, incident=incident, situation=situation)
    _audit_request(actor, request, "create")
    return request


def _require_team(actor: Actor, *, lead: bool) -> None:
    if not (access.may_triage(actor) if lead else access.is_ambulant_team(actor)):
        raise DomainError(_("Bare det ambulante teamet kan gjøre dette."), code="not_team")


@transaction.atomic
def ambulant_triage(*, actor: Actor, request: AmbulantRequest, urgency: str, note: str = "",
                    decline: bool = False) -> AmbulantRequest:
    """The team's leader sets the urgency (or declines, with a reason)."""
    _require_team(actor, lead=True)
    current = _locked_request(request)
    if current.status not in (RequestStatus.RECEIVED, RequestStatus.TRIAGED):
        raise DomainError(_("Forespørselen er allerede sendt ut eller avsluttet."), code="status")
    note = _text(note, required=decline, limit=1000, message=_("Skriv hvorfor den avvises."))
    if not decline and urgency not in Urgency.values:
        raise DomainError(_("Velg hastegrad."), code="urgency")
    current.urgency = "" if decline else urgency
    current.triage_note = note
    current.triaged_at, current.triaged_by = clock.now(), actor.user
    current.status = RequestStatus.DECLINED if decline else RequestStatus.TRIAGED
    if decline:
        current.closed_at = current.triaged_at
    current.save()
    _audit_request(actor, current, "decline" if decline else "triage")
    return current


@transaction.atomic
def ambulant_dispatch(*, actor: Actor, request: AmbulantRequest) -> AmbulantRequest:
    _require_team(actor, lead=True)
    current = _locked_request(request)
    if current.status != RequestStatus.TRIAGED:
        raise DomainError(_("Forespørselen må vurderes før teamet sendes."), code="status")
    current.status = RequestStatus.DISPATCHED
    current.dispatched_at, current.dispatched_by = clock.now(), actor.user
    current.save()
    _audit_request(actor, current, "dispatch")
    return current


@transaction.atomic
def ambulant_arrive(*, actor: Actor, request: AmbulantRequest,
                    at: dt.datetime | None = None) -> AmbulantRequest:
    """The team is at the school: the response time runs from the request to this instant."""
    _require_team(actor, lead=False)
    current = _locked_request(request)
    if current.status != RequestStatus.DISPATCHED:
        raise DomainError(_("Teamet er ikke sendt ut."), code="status")
    arrived = at or clock.now()
    if arrived > clock.now():
        raise DomainError(_("Ankomsten kan ikke være fram i tid."), code="future")
    if current.dispatched_at is not None and arrived < current.dispatched_at:
        raise DomainError(_("Ankomsten kan ikke være før teamet ble sendt."), code="order")
    current.status, current.arrived_at = RequestStatus.ARRIVED, arrived
    current.save()
    _audit_request(actor, current, "arrive")
    return current


@transaction.atomic
def ambulant_visit_add(*, actor: Actor, request: AmbulantRequest, visited_on: dt.date,
                       note: str) -> AmbulantVisit:
    _require_team(actor, lead=False)
    current = _locked_request(request)
    if current.status != RequestStatus.ARRIVED:
        raise DomainError(_("Besøk registreres etter ankomst og før avslutning."), code="status")
    if visited_on > clock.today():
        raise DomainError(_("Datoen kan ikke være fram i tid."), code="future")
    assert current.arrived_at is not None
    if visited_on < current.arrived_at.astimezone(clock.OSLO).date():
        raise DomainError(_("Datoen kan ikke være før ankomsten."), code="order")
    note = _text(note, required=True, limit=2000, message=_("Skriv hva som ble gjort."))
    visit = AmbulantVisit.objects.create(request=current, visited_on=visited_on, note=note,
                                         recorded_by=actor.user)
    _audit_request(actor, current, "visit")
    return visit


@transaction.atomic
def ambulant_close(*, actor: Actor, request: AmbulantRequest, measures: str,
                   report: str) -> AmbulantRequest:
    _require_team(actor, lead=False)
    current = _locked_request(request)
    if current.status != RequestStatus.ARRIVED:
        raise DomainError(_("Bare en forespørsel der teamet har vært på skolen kan avsluttes."),
                          code="status")
    current.measures = _text(measures, required=True, limit=MAX_TEXT,
                             message=_("Skriv hvilke tiltak som ble satt i verk."))
    current.closing_report = _text(report, required=True, limit=MAX_TEXT,
                                   message=_("Skriv sluttrapporten."))
    current.status, current.closed_at = RequestStatus.CLOSED, clock.now()
    current.save()
    _audit_request(actor, current, "close")
    return current


# --- forced school change ------------------------------------------------------------------------

def hearing_deadline_for(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=settings.LAGET_SCHOOL_HEARING_DAYS)


def _locked_change(change: SchoolChange) -> SchoolChange:
    return SchoolChange.objects.select_for_update(of=("self",)).select_related(
        "from_school", "to_school").get(pk=change.pk)


def _audit_change(actor: Actor, change: SchoolChange, op: str) -> None:
    audit_record(action=Action.SCHOOLS_CHANGE, actor=actor, obj=change, persons=[change.person_id],
                 purpose=Purpose.FOREBYGGING, details={"op": op, "status": change.status})


@transaction.atomic
def change_propose(*, actor: Actor, person: Person, to_school: School, grounds: str,
                   incidents: Sequence[Incident]) -> SchoolChange:
    """The principal proposes a forced school change for a pupil behind serious incidents at the
    school. The pupil and every guardian with parental responsibility become parties with a
    deadline to be heard."""
    school = _require_school(actor)
    if not access.is_principal_of(actor, school):
        raise DomainError(_("Bare rektor kan foreslå tvunget skolebytte."), code="not_principal")
    if to_school.pk == school.pk:
        raise DomainError(_("Den nye skolen må være en annen skole."), code="same_school")
    grounds = _text(grounds, required=True, limit=MAX_TEXT,
                    message=_("Skriv begrunnelsen for forslaget."))
    if not incidents:
        raise DomainError(_("Knytt forslaget til minst én hendelse."), code="incidents")
    for incident in incidents:
        if incident.school_id != school.pk or not incident.pupils.filter(
                person=person, perpetrator=True).exists():
            raise DomainError(_("Hendelsene må være skolens egne, med eleven som utøver."),
                              code="incidents")
    if SchoolChange.objects.filter(person=person, status__in=(
            ChangeStatus.PROPOSED, ChangeStatus.APPEALED)).exists():
        raise DomainError(_("Eleven har allerede et skolebytte under behandling."),
                          code="duplicate")
    change = SchoolChange.objects.create(
        person=person, from_school=school, to_school=to_school, proposed_by=actor.user,
        grounds=grounds, hearing_deadline=hearing_deadline_for(clock.today()))
    change.incidents.set(incidents)
    HearingParty.objects.create(change=change, kind=PartyKind.PUPIL)
    for guardian in person.guardians.filter(parental_responsibility=True):
        HearingParty.objects.create(change=change, kind=PartyKind.GUARDIAN, guardian=guardian)
    _audit_change(actor, change, "propose")
    return change


@transaction.atomic
def hearing_register(*, actor: Actor, change: SchoolChange, party: HearingParty,
                     statement: str) -> HearingParty:
    """Register that a party has been heard, with a summary of what they said (or that they
    declined to say anything)."""
    current = _locked_change(change)
    if not access.is_principal_of(actor, current.from_school):
        raise DomainError(_("Bare rektor kan registrere uttalelser."), code="not_principal")
    if current.status != ChangeStatus.PROPOSED:
        raise DomainError(_("Saken er ikke lenger til høring."), code="status")
    row = HearingParty.objects.select_for_update().filter(pk=party.pk, change=current).first()
    if row is None:
        raise DomainError(_("Ukjent part."), code="party")
    if row.heard_at is not None:
        raise DomainError(_("Parten er allerede registrert som hørt."), code="heard")
    row.statement = _text(statement, required=True, limit=MAX_TEXT,
                          message=_("Skriv et sammendrag av uttalelsen."))
    row.heard_at, row.registered_by = clock.now(), actor.user
    row.save()
    _audit_change(actor, current, "heard")
    return row


def hearing_open(change: SchoolChange, day: dt.date | None = None) -> bool:
    """True while the decision must wait: the deadline (inclusive) has not passed and someone
    has not been heard yet."""
    day = day or clock.today()
    if day > change.hearing_deadline:
        return False
    return change.parties.filter(heard_at__isnull=True).exists()


@transaction.atomic
def change_decide(*, actor: Actor, change: SchoolChange, change_school: bool, reasons: str,
                  effective_on: dt.date | None = None, measures_for_receiving: str = ""
                  ) -> SchoolChange:
    """The decision. Refused until the hearing deadline has passed or every party has been
    heard."""
    current = _locked_change(change)
    if not access.is_principal_of(actor, current.from_school):
        raise DomainError(_("Bare rektor ved skolen eleven går på kan fatte vedtaket."),
                          code="not_principal")
    if current.status != ChangeStatus.PROPOSED:
        raise DomainError(_("Saken er allerede avgjort."), code="status")
    if hearing_open(current):
        raise DomainError(_("Vedtaket kan ikke fattes før fristen for å uttale seg "
                            "(%(day)s) er ute eller alle parter er hørt.") % {
            "day": current.hearing_deadline.strftime("%d.%m.%Y")}, code="hearing")
    current.decision_reasons = _text(reasons, required=True, limit=MAX_TEXT,
                                     message=_("Skriv begrunnelsen for vedtaket."))
    if change_school:
        if effective_on is None or effective_on < clock.today():
            raise DomainError(_("Sett en dato for skolebyttet, i dag eller senere."),
                              code="effective_on")
        current.effective_on = effective_on
        current.measures_for_receiving = _text(measures_for_receiving, required=False,
                                               limit=2000, message="")
    current.status = ChangeStatus.DECIDED if change_school else ChangeStatus.REJECTED
    current.decided_at, current.decided_by = clock.now(), actor.user
    current.save()
    _audit_change(actor, current, "decide")
    return current


@transaction.atomic
def change_appeal(*, actor: Actor, change: SchoolChange, received_on: dt.date) -> SchoolChange:
    """Register an appeal against a decided change."""
    current = _locked_change(change)
    if not access.is_principal_of(actor, current.from_school):
        raise DomainError(_("Bare rektor kan registrere klagen."), code="not_principal")
    if current.status != ChangeStatus.DECIDED:
        raise DomainError(_("Bare et vedtatt skolebytte kan påklages her."), code="status")
    assert current.decided_at is not None
    if received_on > clock.today() or received_on < current.decided_at.astimezone(
            clock.OSLO).date():
        raise DomainError(_("Klagen må være mottatt etter vedtaket og ikke fram i tid."),
                          code="received_on")
    current.status, current.appeal_received_on = ChangeStatus.APPEALED, received_on
    current.save()
    _audit_change(actor, current, "appeal")
    return current


@transaction.atomic
def change_appeal_outcome(*, actor: Actor, change: SchoolChange, upheld: bool,
                          decided_on: dt.date) -> SchoolChange:
    """The appeal body's outcome, registered by the school: upheld (the change stands) or
    reversed."""
    current = _locked_change(change)
    if not access.is_principal_of(actor, current.from_school):
        raise DomainError(_("Bare rektor kan registrere utfallet."), code="not_principal")
    if current.status != ChangeStatus.APPEALED:
        raise DomainError(_("Ingen klage venter på utfall."), code="status")
    assert current.appeal_received_on is not None
    if decided_on > clock.today() or decided_on < current.appeal_received_on:
        raise DomainError(_("Datoen må være etter at klagen kom og ikke fram i tid."),
                          code="decided_on")
    current.status = ChangeStatus.UPHELD if upheld else ChangeStatus.REVERSED
    current.appeal_decided_on = decided_on
    current.save()
    _audit_change(actor, current, "appeal_outcome")
    return current


#: a change that stands: the receiving school gets the decision's necessary parts
CHANGE_STANDS = frozenset({ChangeStatus.DECIDED, ChangeStatus.APPEALED, ChangeStatus.UPHELD})


# --- the handover to the receiving school --------------------------------------------------------

def receiving_contacts(change: SchoolChange) -> list[User]:
    """The receiving school's staff in a case role who may be added to the pupil's team."""
    return receiving_contacts_for([change])[change.pk]


def receiving_contacts_for(changes: Iterable[SchoolChange]) -> dict[uuid.UUID, list[User]]:
    """`receiving_contacts` of many changes (the handovers page) in one query, by change id."""
    changes = list(changes)
    staff: dict[uuid.UUID, dict[int, User]] = {}
    for membership in Membership.objects.active(clock.today()).filter(
            agency_id__in={c.to_school.agency_id for c in changes},
            role__in=CASE_ROLES).select_related("user"):
        staff.setdefault(membership.agency_id, {})[membership.user_id] = membership.user
    return {c.pk: sorted(staff.get(c.to_school.agency_id, {}).values(),
                         key=lambda u: (u.last_name, u.first_name, u.pk)) for c in changes}


@transaction.atomic
def handover_add_contact(*, actor: Actor, change: SchoolChange, contact: User) -> TeamMember:
    """The pupil's SaLTo coordinator adds the receiving school's contact to the pupil's open case
    (the team service audits the addition, this service the handover)."""
    current = _locked_change(change)
    if current.status not in CHANGE_STANDS:
        raise DomainError(_("Skolebyttet er ikke vedtatt."), code="status")
    case = Case.objects.filter(person_id=current.person_id).open().first()
    if case is None or not is_district_coordinator(actor, case.district_id):
        raise DomainError(_("Bare SaLTo-koordinatoren for elevens åpne sak kan gjøre dette."),
                          code="not_coordinator")
    if current.handover_member_id is not None:
        raise DomainError(_("Den nye skolens kontaktperson er allerede lagt til."),
                          code="duplicate")
    if contact.pk not in {u.pk for u in receiving_contacts(current)}:
        raise DomainError(_("Personen arbeider ikke ved den nye skolen."), code="contact")
    member = team_member_add(actor=actor, case=case, user=contact,
                             agency=current.to_school.agency,
                             team_role=_("Kontaktperson ved ny skole"), is_contact=True)
    current.handover_member = member
    current.save(update_fields=["handover_member", "updated_at"])
    _audit_change(actor, current, "handover")
    return member
