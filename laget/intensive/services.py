"""Writes of intensive follow-up: enrolment and its end, the follow-up team, the week plan's
slots and the check-ins. Atomic and audited; every check runs before the first write, so a
refusal writes nothing.

The sharing regime: enrolment sets the programme marker on the case (`records.case_marker_add`)
and registers the consent given at enrolment (`sharing.consent_register`) with the scope of the
rulebook's programme rules (condition `programme: intensiv_oppfolging`, consent required); the
engine then lets team members of those agency types read the entries the rule names. Ending the
enrolment ends the marker and the consent (`sharing.consent_end`) on the same day, so the
programme's access ends with it — also the access a general consent rule would give on the same
consent."""

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import Agency
from laget.areas.models import District
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.cases.measures import measure_link
from laget.cases.models import Meeting
from laget.core import clock
from laget.core.errors import DomainError
from laget.intensive import access
from laget.intensive.models import (
    DAY_END,
    DAY_START,
    CheckIn,
    EndReason,
    Enrolment,
    FollowUpMember,
    Slot,
    SlotKind,
)
from laget.intensive.selectors import MEASURE_KIND
from laget.records.models import Case, MarkerKind, TeamMember
from laget.records.services import case_marker_add, case_marker_end, case_require_open
from laget.records.vocabulary import Programme
from laget.sharing.engine import Effect, age_on, context_at
from laget.sharing.services import consent_end, consent_register

PROGRAMME = Programme.INTENSIV_OPPFOLGING


@dataclass(frozen=True)
class ConsentGiven:
    """The consent given at enrolment as the coordinator records it; its scope comes from the
    rulebook (`programme_scope`)."""

    given_by: str
    guardian_ids: Sequence[uuid.UUID | str]
    method: str
    valid_to: dt.date
    youth_view: str = ""


@dataclass(frozen=True)
class Scope:
    categories: list[str]
    recipients: list[str]
    purposes: list[str]


def programme_scope() -> Scope:
    """What the programme's consent must cover: the union of the rules in force that need a
    consent under the programme's condition (today: rule `intensiv-oppfolging-plan`)."""
    rules = [rule for rule in context_at().rules
             if rule.programme == PROGRAMME and rule.effect == Effect.CONSENT_REQUIRED]
    if not rules:
        raise DomainError(_("Regelboken har ingen deleregel for intensiv oppfølging; opptak er "
                            "ikke mulig nå."), code="no_rule")
    return Scope(sorted(set().union(*(r.categories for r in rules))),
                 sorted(set().union(*(r.recipients for r in rules))),
                 sorted(set().union(*(r.purposes for r in rules))))


def capacity_used(district_id: str, day: dt.date | None = None) -> int:
    """Enrolments in the bydel open on the day (today)."""
    return access.active_enrolments(day or clock.today()).filter(
        case__district_id=district_id).count()


def _require_coordinator(actor: Actor, case: Case) -> None:
    if not access.coordinates(actor, case):
        raise DomainError(_("Bare SaLTo-koordinatoren i sakens bydel kan gjøre dette."),
                          code="not_allowed")


def _team_members(case: Case, members: Sequence[TeamMember], day: dt.date) -> list[TeamMember]:
    active = set(TeamMember.objects.active(day).filter(case=case).values_list("pk", flat=True))
    if any(member.pk not in active for member in members):
        raise DomainError(_("Oppfølgingsteamet kan bare ha folk som er med i teamet rundt "
                            "saken."), code="not_on_team")
    return list(dict.fromkeys(members))


@transaction.atomic
def enrolment_create(
    *, actor: Actor, case: Case, decided_on: dt.date, starts_on: dt.date,
    consent: ConsentGiven, members: Sequence[TeamMember] = (), meeting: Meeting | None = None,
) -> Enrolment:
    """Enrol the case's youth by the SaLTo team's decision: the marker, the consent, the
    follow-up team; refused beyond the bydel's capacity (`LAGET_INTENSIVE_CAPACITY`), outside
    the SaLTo age range, on a closed case or one already enrolled."""
    _require_coordinator(actor, case)
    case_require_open(case)
    today = clock.today()
    if decided_on > today:
        raise DomainError(_("Beslutningsdatoen kan ikke være fram i tid."), code="decided_on")
    if starts_on < today or starts_on < decided_on:
        raise DomainError(_("Opptaket kan tidligst gjelde fra i dag og fra beslutningen."),
                          code="starts_on")
    age = age_on(case.person.birth_date, starts_on)
    if not settings.LAGET_SALTO_MIN_AGE <= age <= settings.LAGET_SALTO_MAX_AGE:
        raise DomainError(
            _("Personen er %(age)s år; intensiv oppfølging gjelder SaLTo-alderen %(min)s–%(max)s "
              "år.") % {"age": age, "min": settings.LAGET_SALTO_MIN_AGE,
                        "max": settings.LAGET_SALTO_MAX_AGE}, code="age")
    if meeting is not None and meeting.case_id != case.pk:
        raise DomainError(_("Møtet hører ikke til denne saken."), code="meeting")
    members = _team_members(case, members, today)
    scope = programme_scope()
    # One enrolment at a time per bydel decides capacity: the bydel's row is the lock.
    District.objects.select_for_update().filter(pk=case.district_id).first()
    if access.active_enrolments(starts_on).filter(case=case).exists():
        raise DomainError(_("Den unge er allerede med i intensiv oppfølging."), code="duplicate")
    capacity = settings.LAGET_INTENSIVE_CAPACITY
    if capacity_used(case.district_id, starts_on) >= capacity:
        raise DomainError(
            _("Bydelen har allerede %(count)s unge i intensiv oppfølging, som er det største "
              "antallet bydelen har plass til. Avslutt et opptak først, eller be om flere "
              "plasser.") % {"count": capacity}, code="capacity")
    given = consent_register(
        actor=actor, case=case, given_by=consent.given_by, guardian_ids=consent.guardian_ids,
        method=consent.method, categories=scope.categories, recipients=scope.recipients,
        purposes=scope.purposes, valid_from=starts_on, valid_to=consent.valid_to,
        youth_view=consent.youth_view, details={"programme": PROGRAMME})
    marker = case_marker_add(actor=actor, case=case, kind=MarkerKind.PROGRAMME,
                             programme=PROGRAMME, valid_from=starts_on)
    enrolment = Enrolment.objects.create(
        case=case, decided_on=decided_on, meeting=meeting, starts_on=starts_on, marker=marker,
        consent=given, enrolled_by=actor.user)
    FollowUpMember.objects.bulk_create([
        FollowUpMember(enrolment=enrolment, team_member=member, added_by=actor.user)
        for member in members])
    # the enrolment is a measure in the case's coordinated plan
    measure_link(actor=actor, case=case, kind=MEASURE_KIND, ref=enrolment.pk,
                 expected_version=None)
    audit_record(action=Action.INTENSIVE_ENROL, actor=actor, obj=enrolment,
                 persons=[case.person_id], purpose=Purpose.OPPFOLGING,
                 details={"members": len(members), "meeting": bool(meeting),
                          "consent": str(given.pk)})
    return enrolment


@transaction.atomic
def enrolment_end(*, actor: Actor, enrolment: Enrolment, ends_on: dt.date,
                  reason: str) -> Enrolment:
    """End the enrolment from `ends_on` (the first day out; today or later, and after the first
    day): the marker and the programme's consent end that day, and with them the programme's
    sharing."""
    case = enrolment.case
    _require_coordinator(actor, case)
    if reason not in EndReason.values:
        raise DomainError(_("Velg en årsak."), code="reason")
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if locked.ended_on is not None:
        raise DomainError(_("Opptaket er allerede avsluttet."), code="ended")
    today = clock.today()
    if ends_on < today:
        raise DomainError(_("Sluttdatoen kan ikke være tilbake i tid."), code="ends_on")
    if ends_on <= locked.starts_on:
        raise DomainError(_("Opptaket kan tidligst avsluttes dagen etter at det begynte."),
                          code="ends_on")
    case_marker_end(actor=actor, marker=locked.marker, valid_to=ends_on)
    consent_end(actor=actor, consent=locked.consent, ends_on=ends_on,
                details={"programme": PROGRAMME})
    locked.ended_on, locked.end_reason, locked.ended_by = ends_on, reason, actor.user
    locked.updated_at = clock.now()
    locked.save(update_fields=["ended_on", "end_reason", "ended_by", "updated_at"])
    audit_record(action=Action.INTENSIVE_END, actor=actor, obj=locked,
                 persons=[case.person_id], purpose=Purpose.OPPFOLGING,
                 details={"reason": reason, "ends_on": ends_on.isoformat()})
    return locked


def _require_running(enrolment: Enrolment) -> Enrolment:
    """Lock the enrolment's row (slot and team changes queue behind it) and refuse an ended one."""
    locked = Enrolment.objects.select_for_update().select_related("case").get(pk=enrolment.pk)
    if not access.is_running(locked, clock.today()):
        raise DomainError(_("Opptaket er avsluttet; ukeplanen kan bare leses."), code="ended")
    return locked


@transaction.atomic
def member_add(*, actor: Actor, enrolment: Enrolment, team_member: TeamMember) -> FollowUpMember:
    """Name a member of the case's team to the follow-up team (the coordinator)."""
    _require_coordinator(actor, enrolment.case)
    locked = _require_running(enrolment)
    (member,) = _team_members(locked.case, [team_member], clock.today())
    if FollowUpMember.objects.filter(enrolment=locked, team_member=member,
                                     removed_at__isnull=True).exists():
        raise DomainError(_("Personen er allerede med i oppfølgingsteamet."), code="duplicate")
    added = FollowUpMember.objects.create(enrolment=locked, team_member=member,
                                          added_by=actor.user)
    audit_record(action=Action.INTENSIVE_MEMBER, actor=actor, obj=added,
                 persons=[locked.case.person_id], purpose=Purpose.OPPFOLGING,
                 details={"change": "add", "agency_type": member.agency.type})
    return added


@transaction.atomic
def member_remove(*, actor: Actor, member: FollowUpMember) -> None:
    """Take a member off the follow-up team; slots they were responsible for keep their agency."""
    enrolment = member.enrolment
    _require_coordinator(actor, enrolment.case)
    locked = _require_running(enrolment)
    if member.removed_at is not None:
        raise DomainError(_("Personen er allerede tatt ut av oppfølgingsteamet."),
                          code="removed")
    now = clock.now()
    agency_id = member.team_member.agency_id
    Slot.objects.filter(responsible=member, removed_at__isnull=True).update(
        responsible=None, responsible_agency_id=agency_id, updated_at=now)
    member.removed_at = now
    member.updated_at = now
    member.save(update_fields=["removed_at", "updated_at"])
    audit_record(action=Action.INTENSIVE_MEMBER, actor=actor, obj=member,
                 persons=[locked.case.person_id], purpose=Purpose.OPPFOLGING,
                 details={"change": "remove"})


@dataclass(frozen=True)
class SlotInput:
    weekday: int
    start_hour: int
    end_hour: int
    kind: str
    responsible: FollowUpMember | None = None
    responsible_agency: Agency | None = None
    description: str = ""


@transaction.atomic
def slot_add(*, actor: Actor, enrolment: Enrolment, slot: SlotInput) -> Slot:
    """Add a weekly slot: by the coordinator for anyone, or by a follow-up member for
    themselves. Hours within 07–23; a slot that overlaps another on the same day is refused."""
    case = enrolment.case
    own = access.follow_up_member(actor, enrolment)
    coordinator = access.coordinates(actor, case)
    if not coordinator and not (own is not None and slot.responsible == own):
        raise DomainError(_("Du kan bare legge inn økter du selv er ansvarlig for."),
                          code="not_allowed")
    if not 0 <= slot.weekday <= 6:
        raise DomainError(_("Ukjent ukedag."), code="weekday")
    if not DAY_START <= slot.start_hour < slot.end_hour <= DAY_END:
        raise DomainError(_("Økten må ligge mellom kl. %(start)02d og %(end)02d og slutte etter "
                            "at den begynner.") % {"start": DAY_START, "end": DAY_END},
                          code="hours")
    if slot.kind not in SlotKind.values:
        raise DomainError(_("Velg hva økten er."), code="kind")
    if slot.responsible is not None and slot.responsible_agency is not None:
        raise DomainError(_("Velg enten en person eller en virksomhet som ansvarlig."),
                          code="responsible")
    locked = _require_running(enrolment)
    if slot.responsible is not None and (
            slot.responsible.enrolment_id != locked.pk or slot.responsible.removed_at is not None):
        raise DomainError(_("Den ansvarlige må være med i oppfølgingsteamet."),
                          code="responsible")
    overlapping = Slot.objects.filter(
        enrolment=locked, weekday=slot.weekday, removed_at__isnull=True,
        start_hour__lt=slot.end_hour, end_hour__gt=slot.start_hour)
    if overlapping.exists():
        raise DomainError(_("Økten overlapper en annen økt samme dag."), code="overlap")
    created = Slot.objects.create(
        enrolment=locked, weekday=slot.weekday, start_hour=slot.start_hour,
        end_hour=slot.end_hour, kind=slot.kind, responsible=slot.responsible,
        responsible_agency=slot.responsible_agency, description=slot.description.strip(),
        created_by=actor.user)
    # the kind and hours, never the description (it is typed text)
    audit_record(action=Action.INTENSIVE_SLOT, actor=actor, obj=created,
                 persons=[case.person_id], purpose=Purpose.OPPFOLGING,
                 details={"change": "add", "kind": slot.kind, "weekday": slot.weekday,
                          "hours": [slot.start_hour, slot.end_hour]})
    return created


@transaction.atomic
def slot_remove(*, actor: Actor, slot: Slot) -> None:
    """Take a slot out of the plan (the coordinator, or the member responsible for it); its
    check-ins stay for the outcomes."""
    enrolment = slot.enrolment
    own = access.follow_up_member(actor, enrolment)
    if not access.coordinates(actor, enrolment.case) and not (
            own is not None and slot.responsible_id == own.pk):
        raise DomainError(_("Du kan bare fjerne økter du selv er ansvarlig for."),
                          code="not_allowed")
    locked = _require_running(enrolment)
    if slot.removed_at is not None:
        raise DomainError(_("Økten er allerede fjernet."), code="removed")
    slot.removed_at = clock.now()
    slot.updated_at = slot.removed_at
    slot.save(update_fields=["removed_at", "updated_at"])
    audit_record(action=Action.INTENSIVE_SLOT, actor=actor, obj=slot,
                 persons=[locked.case.person_id], purpose=Purpose.OPPFOLGING,
                 details={"change": "remove"})


@transaction.atomic
def checkin_record(*, actor: Actor, slot: Slot, attended: bool) -> CheckIn:
    """Record whether the youth came to today's slot: once, by the follow-up member responsible
    for it."""
    enrolment = slot.enrolment
    today = clock.today()
    own = access.follow_up_member(actor, enrolment)
    if own is None or slot.responsible_id != own.pk or slot.removed_at is not None:
        raise DomainError(_("Du er ikke ansvarlig for denne økten."), code="not_allowed")
    if slot.weekday != today.weekday():
        raise DomainError(_("Oppmøte registreres samme dag som økten."), code="day")
    _require_running(enrolment)
    if CheckIn.objects.filter(slot=slot, on=today).exists():
        raise DomainError(_("Oppmøtet er allerede registrert for i dag."), code="duplicate")
    checkin = CheckIn.objects.create(slot=slot, on=today, attended=attended,
                                     recorded_by=actor.user)
    audit_record(action=Action.INTENSIVE_CHECKIN, actor=actor, obj=checkin,
                 persons=[enrolment.case.person_id], purpose=Purpose.OPPFOLGING,
                 details={"attended": attended})
    return checkin
