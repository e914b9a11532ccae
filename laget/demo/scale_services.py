"""The city's other services on the scale seed (`seed_scale`, after laget.demo.scale): police
registrations of the seed's young persons over five years, fast-track requests for children
found with a weapon, youth cases on the fast track with their milestones, the schools of the
seed's school agencies with incidents and the ambulant team's requests and visits, and the
catalogue of offers with referrals from the SaLTo cases.

Made once (recorded by an audit event of its own, like the workflow), deterministic from the
seed for a given day, in one transaction; bulk inserts (COPY on PostgreSQL). The police
registrations are also what bench/bench_areas.py tops up (`ensure_registrations`)."""

import datetime as dt
import random
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import models, transaction

from laget.accounts.models import Agency, AgencyType, Membership, Role
from laget.areas.models import Subdistrict
from laget.audit.actions import Action, Purpose
from laget.audit.models import AuditEvent
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.bulk import copy_insert
from laget.core.errors import DomainError
from laget.demo.progress import Progress
from laget.demo.scale import CODE_PREFIX, _at, _day_between, _uuid, existing_seed
from laget.fasttrack.models import CaseStatus as YouthCaseStatus
from laget.fasttrack.models import ChargeOutcome, Milestone, MilestoneKind, YouthCase
from laget.pathways.models import Offer, OfferKind, OpeningHours, Referral, ReferralStatus, Season
from laget.people.models import Person
from laget.policing.models import (
    FastTrackRequest,
    OffenceCategory,
    PoliceRegistration,
    RegistrationKind,
    WeaponType,
)
from laget.records.models import Case, CaseStatus
from laget.schools.models import (
    AmbulantRequest,
    AmbulantVisit,
    Incident,
    IncidentKind,
    IncidentPupil,
    RequestKind,
    RequestStatus,
    School,
    SchoolLevel,
    Urgency,
)
from laget.sharing.engine import age_on

SERVICES_KIND = "scale_services"
#: police registrations per person (the full city: 200 000, over five years)
REGISTRATIONS_PER_PERSON = 2
REGISTRATION_YEARS = 5
#: share of apprehensions of persons aged 15–20 that became a youth case on the fast track
YOUTH_CASE_SHARE = 0.25
#: school incidents per person (over the seed's three years)
INCIDENTS_PER_PERSON = 0.05
AMBULANT_SHARE = 0.12
#: share of open SaLTo cases with a referral to an offer
REFERRAL_SHARE = 0.3
HISTORY_DAYS = 3 * 365

GROUNDS = ["Observert i miljø kjent for narkotikasalg.", "Tips om kniv i sekken.",
           "Samsvarte med signalement etter ran.", "Uro utenfor kjøpesenter sent på kvelden.",
           "Bekymring meldt fra nattravnene."]
INCIDENT_TEXTS = {
    IncidentKind.MOBBING: "Elev utestengt og kalt nedsettende ord over tid.",
    IncidentKind.VOLD: "Slåsskamp i friminuttet; én elev fikk behandling hos helsesykepleier.",
    IncidentKind.TRUSLER: "Trusler sendt på sosiale medier til medelev.",
    IncidentKind.VAPEN: "Kniv funnet i sekk etter tips fra medelev.",
    IncidentKind.SKADEVERK: "Knust vindu og tagging på toalettet.",
    IncidentKind.RASISME: "Rasistiske kommentarer i klasserommet.",
    IncidentKind.ANNET: "Uro i klassen som måtte avbrytes.",
}
INCIDENT_KINDS = [(IncidentKind.MOBBING, 35), (IncidentKind.VOLD, 20), (IncidentKind.TRUSLER, 15),
                  (IncidentKind.VAPEN, 3), (IncidentKind.SKADEVERK, 12), (IncidentKind.RASISME, 5),
                  (IncidentKind.ANNET, 10)]
#: (kind, name, age from, age to, places, price) offered by each bydel's fritid agency
DISTRICT_OFFERS = [
    (OfferKind.CLUB, "{name} fritidsklubb", 12, 18, None, 0),
    (OfferKind.SPORT, "Fotball for alle, {name}", 10, 19, 40, 0),
    (OfferKind.SPORT, "Boksing og kampsport, {name}", 12, 20, 25, 500),
    (OfferKind.SUMMER_JOB, "Sommerjobb i bydel {name}", 15, 18, 30, 0),
    (OfferKind.PART_TIME_JOB, "Helgejobb via {name} jobbsenter", 16, 22, 15, 0),
    (OfferKind.JOB_PROGRAMME, "Jobbsjansen {name}", 18, 24, 20, 0),
    (OfferKind.MENTOR, "Mentorordning {name}", 12, 20, 15, 0),
    (OfferKind.ALTERNATIVE_ARENA, "Alternativ opplæringsarena {name}", 13, 16, 12, 0),
    (OfferKind.PARENT_SUPPORT, "Foreldreveiledning (ICDP) i {name}", 6, 18, 20, 0),
]
REFERRAL_TEXTS = ["Ønsker fast aktivitet etter skolen.", "Trenger sommerjobb og voksne å spørre.",
                  "Motivert for jobb; har fullført kurs.", "Familien ønsker veiledning."]
REFERRAL_STATUSES = [(ReferralStatus.SENT, 10), (ReferralStatus.ACCEPTED, 40),
                     (ReferralStatus.WAITLISTED, 8), (ReferralStatus.DECLINED, 7),
                     (ReferralStatus.COMPLETED, 25), (ReferralStatus.DROPPED_OUT, 10)]


@dataclass
class ServicesSummary:
    created: bool
    seed: int
    registrations: int = 0
    fasttrack_requests: int = 0
    youth_cases: int = 0
    milestones: int = 0
    schools: int = 0
    incidents: int = 0
    incident_pupils: int = 0
    ambulant_requests: int = 0
    ambulant_visits: int = 0
    offers: int = 0
    opening_hours: int = 0
    referrals: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def services_exist() -> bool:
    """Whether build_services() has run on this database."""
    return AuditEvent.objects.filter(action=Action.DEMO_SEED,
                                     details__kind=SERVICES_KIND).exists()


def bulk_insert(model: type[models.Model], rows: Sequence[models.Model]) -> int:
    """Insert model instances (their primary keys set): COPY on PostgreSQL."""
    return copy_insert(model, rows)


# --- who is who ---------------------------------------------------------------------------------

@dataclass
class _Place:
    """One bydel of the seed: its agencies by type, their staff, its delbydeler, its persons."""

    code: str
    agencies: dict[str, list[uuid.UUID]] = field(default_factory=dict)
    subdistricts: list[str] = field(default_factory=list)
    persons: list[tuple[uuid.UUID, dt.date, str]] = field(default_factory=list)


@dataclass
class _City:
    places: dict[str, _Place]
    staff: dict[uuid.UUID, list[int]]  # agency → caseworkers (or anyone)
    by_code: dict[str, uuid.UUID]
    every_subdistrict: list[str]


def _city() -> _City:
    places: dict[str, _Place] = {}
    by_code = {}
    for pk, code, kind, district in (Agency.objects.filter(code__startswith=CODE_PREFIX)
                                     .order_by("code")
                                     .values_list("id", "code", "type", "district_id")):
        by_code[code] = pk
        if district is not None:
            place = places.setdefault(district, _Place(district))
            place.agencies.setdefault(kind, []).append(pk)
    staff: dict[uuid.UUID, list[int]] = {}
    for agency, user, role in (Membership.objects.filter(agency_id__in=by_code.values())
                               .order_by("agency_id", "user_id")
                               .values_list("agency_id", "user_id", "role")):
        if role in (Role.CASEWORKER, Role.COORDINATOR):
            staff.setdefault(agency, []).append(user)
    for agency, user in (Membership.objects.filter(agency_id__in=by_code.values())
                         .order_by("agency_id", "user_id").values_list("agency_id", "user_id")):
        staff.setdefault(agency, []).append(user)  # agencies without caseworkers: anyone
    every = []
    for code, district in (Subdistrict.objects.filter(district_id__in=places)
                           .order_by("code").values_list("code", "district_id")):
        places[district].subdistricts.append(code)
        every.append(code)
    for pk, born, district, subdistrict in (
            Person.objects.filter(is_synthetic=True, district_id__in=places).order_by("id")
            .values_list("id", "birth_date", "district_id", "subdistrict_id")):
        places[district].persons.append((pk, born, subdistrict or ""))
    return _City(places, staff, by_code, every)


# --- police registrations and the fast track ----------------------------------------------------

def _registrations(rng: random.Random, city: _City, count: int, now: dt.datetime
                   ) -> list[PoliceRegistration]:
    """`count` registrations of the seed's young persons (12–22 at the time) by the police of
    their bydel, over five years: stops and searches, apprehensions, concerns."""
    places = [p for p in city.places.values() if p.persons and p.agencies.get(AgencyType.POLITI)]
    if not places:
        return []
    rows = []
    span = REGISTRATION_YEARS * 365 * 1440
    for _ in range(count):
        place = rng.choice(places)
        pk, born, subdistrict = rng.choice(place.persons)
        at = now - dt.timedelta(minutes=rng.randrange(span))
        if age_on(born, at.date()) < 12:
            at = now - dt.timedelta(minutes=rng.randrange(span // 5))
        roll = rng.random()
        kind = (RegistrationKind.STOP_SEARCH if roll < 0.55 else
                RegistrationKind.APPREHENSION if roll < 0.8 else RegistrationKind.CONCERN)
        weapon = WeaponType.NONE
        if kind != RegistrationKind.CONCERN and rng.random() < 0.06:
            weapon = WeaponType.KNIFE if rng.random() < 0.85 else WeaponType.OTHER
        unit = place.agencies[AgencyType.POLITI][0]
        apprehension = kind == RegistrationKind.APPREHENSION
        rows.append(PoliceRegistration(
            id=_uuid(rng), kind=kind, person_id=pk, given_name="Syntetisk", family_name="Person",
            birth_date=born, occurred_at=at,
            subdistrict_id=subdistrict or rng.choice(place.subdistricts or city.every_subdistrict),
            grounds=rng.choice(GROUNDS), found_items="Kniv" if weapon == WeaponType.KNIFE else "",
            unit_id=unit, officer_id=rng.choice(city.staff[unit]),
            offence_category=rng.choice([OffenceCategory.VIOLENCE, OffenceCategory.ROBBERY,
                                         OffenceCategory.THEFT, OffenceCategory.DRUGS])
            if apprehension else "",
            weapon_type=weapon, held=apprehension and rng.random() < 0.2,
            created_at=at, updated_at=at))
    return rows


def ensure_registrations(count: int, seed: int) -> int:
    """At least `count` police registrations of the seed's persons (what bench_areas needs):
    made when missing, then kept. Returns how many there are."""
    have = PoliceRegistration.objects.filter(person__is_synthetic=True).count()
    if have >= count:
        return have
    rng = random.Random(f"{seed}-registrations-{have}")
    rows = _registrations(rng, _city(), count - have, clock.now())
    if not rows:
        raise DomainError("no scale seed here: run seed_scale first", code="no_scale_seed")
    with transaction.atomic():
        bulk_insert(PoliceRegistration, rows)
    return have + len(rows)


_PATH = [MilestoneKind.OFFENCE, MilestoneKind.REPORTED, MilestoneKind.APPREHENSION,
         MilestoneKind.CHARGED, MilestoneKind.INVESTIGATED, MilestoneKind.CHARGE_DECISION,
         MilestoneKind.COURT_RECEIVED, MilestoneKind.MAIN_HEARING, MilestoneKind.JUDGMENT,
         MilestoneKind.JUDGMENT_FINAL, MilestoneKind.REACTION_STARTED,
         MilestoneKind.REACTION_COMPLETED]
#: days from one milestone to the next (low, high)
_GAPS = {MilestoneKind.REPORTED: (0, 3), MilestoneKind.APPREHENSION: (0, 10),
         MilestoneKind.CHARGED: (0, 20), MilestoneKind.INVESTIGATED: (7, 60),
         MilestoneKind.CHARGE_DECISION: (3, 40), MilestoneKind.COURT_RECEIVED: (2, 20),
         MilestoneKind.MAIN_HEARING: (14, 70), MilestoneKind.JUDGMENT: (0, 14),
         MilestoneKind.JUDGMENT_FINAL: (14, 20), MilestoneKind.REACTION_STARTED: (3, 40),
         MilestoneKind.REACTION_COMPLETED: (90, 300)}
_COURT = {MilestoneKind.COURT_RECEIVED, MilestoneKind.MAIN_HEARING, MilestoneKind.JUDGMENT,
          MilestoneKind.JUDGMENT_FINAL}
_OUTCOMES = [(ChargeOutcome.TILTALE, 35), (ChargeOutcome.FORELEGG, 15),
             (ChargeOutcome.KONFLIKTRAAD, 25), (ChargeOutcome.PATALEUNNLATELSE, 15),
             (ChargeOutcome.HENLEGGELSE, 10)]


def _fasttrack(rng: random.Random, city: _City, registrations: list[PoliceRegistration],
               today: dt.date, summary: "ServicesSummary") -> None:
    """Requests for children (under 18) found with a weapon, and youth cases with milestones for
    a share of the apprehensions of persons aged 15–20 (the requests' cases taken up)."""
    court = city.by_code.get(f"{CODE_PREFIX}domstol")
    konfliktraad = city.by_code.get(f"{CODE_PREFIX}konfliktraad")
    kriminalomsorg = city.by_code.get(f"{CODE_PREFIX}kriminalomsorg")
    requests, cases, milestones = [], [], []
    serial = 0
    district_of = {code: place.code for place in city.places.values()
                   for code in place.subdistricts}
    for registration in sorted(registrations, key=lambda r: r.occurred_at):
        day = registration.occurred_at.astimezone(clock.OSLO).date()
        age = age_on(registration.birth_date, day)
        request = None
        if registration.weapon_type != WeaponType.NONE and 15 <= age < 18:
            at = registration.occurred_at + dt.timedelta(hours=rng.randint(1, 48))
            request = FastTrackRequest(
                id=_uuid(rng), registration_id=registration.pk, person_id=registration.person_id,
                unit_id=registration.unit_id, requested_by_id=registration.officer_id,
                requested_at=at, created_at=at, updated_at=at)
            requests.append(request)
        elif not (registration.kind == RegistrationKind.APPREHENSION and 15 <= age <= 20
                  and rng.random() < YOUTH_CASE_SHARE):
            continue
        serial += 1
        officer = registration.officer_id
        case = YouthCase(
            id=_uuid(rng), person_id=registration.person_id,
            district_id=district_of.get(registration.subdistrict_id, next(iter(city.places))),
            police_case_number=f"{day.year}{serial:08d}",
            offence_categories=[registration.offence_category or OffenceCategory.WEAPONS_ACT],
            weapon=registration.weapon_type != WeaponType.NONE, offence_on=day,
            age_at_offence=age, unit_id=registration.unit_id, opened_by_id=officer,
            court_id=court, konfliktraad_id=konfliktraad, kriminalomsorg_id=kriminalomsorg,
            request_id=request.pk if request else None,
            target_set="hurtiglop" if rng.random() < 0.5 else "legal",
            created_at=registration.occurred_at, updated_at=registration.occurred_at)
        if request is not None:
            request.taken_up_at = request.requested_at + dt.timedelta(hours=rng.randint(2, 72))
        on, ended, outcome, skip = day, False, "", set()
        last_at = registration.occurred_at - dt.timedelta(days=1)
        for kind in _PATH:
            if kind in skip:
                continue
            if kind != MilestoneKind.OFFENCE:
                if kind == MilestoneKind.APPREHENSION and rng.random() < 0.3:
                    continue
                low, high = _GAPS[kind]
                on = on + dt.timedelta(days=rng.randint(low, high))
            if on >= today:
                break
            outcome = _weighted(rng, _OUTCOMES) if kind == MilestoneKind.CHARGE_DECISION else ""
            at = min(clock.now(), max(_at(on, rng), last_at + dt.timedelta(minutes=5)))
            last_at = at
            milestones.append(Milestone(
                id=_uuid(rng), case_id=case.pk, kind=kind, occurred_on=on, outcome=outcome,
                recorded_by_id=officer, recorded_at=at, created_at=at, updated_at=at))
            if outcome in (ChargeOutcome.PATALEUNNLATELSE, ChargeOutcome.HENLEGGELSE):
                ended = True
                break
            if outcome in (ChargeOutcome.FORELEGG, ChargeOutcome.KONFLIKTRAAD):
                skip = _COURT  # no court: from the charge decision to the reaction
            if kind == MilestoneKind.REACTION_COMPLETED:
                ended = True
        if ended:
            case.status, case.closed_on = YouthCaseStatus.CLOSED, on
        cases.append(case)
    bulk_insert(FastTrackRequest, requests)
    bulk_insert(YouthCase, cases)
    bulk_insert(Milestone, milestones)
    summary.fasttrack_requests, summary.youth_cases = len(requests), len(cases)
    summary.milestones = len(milestones)


def _weighted(rng: random.Random, items: Sequence[tuple[str, float]]) -> str:
    return rng.choices([v for v, _w in items], weights=[w for _v, w in items])[0]


# --- schools --------------------------------------------------------------------------------------

def _orgnr(rng: random.Random, used: set[str]) -> str:
    """A synthetic organisation number (9 digits, valid check digit, starting 99)."""
    while True:
        digits = [9, 9] + [rng.randint(0, 9) for _ in range(6)]
        rest = sum(d * w for d, w in zip(digits, (3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
        check = (11 - rest) % 11
        number = "".join(map(str, digits)) + str(check)
        if check != 10 and number not in used:
            used.add(number)
            return number


def _schools(rng: random.Random, city: _City, now: dt.datetime, total_persons: int,
             summary: ServicesSummary) -> None:
    """A School for each school agency of the seed; incidents with the pupils involved; the
    ambulant team's requests (some after an incident) with their visits."""
    today = now.astimezone(clock.OSLO).date()
    names = dict(Agency.objects.filter(code__startswith=CODE_PREFIX, type=AgencyType.SKOLE)
                 .values_list("id", "name"))
    ambulant = city.by_code.get(f"{CODE_PREFIX}by")
    ambulant_staff = city.staff.get(ambulant, []) if ambulant else []
    schools: list[tuple[School, _Place]] = []
    used: set[str] = set()
    for place in city.places.values():
        for position, agency in enumerate(place.agencies.get(AgencyType.SKOLE, [])):
            level = SchoolLevel.VIDEREGAENDE if position == 2 else SchoolLevel.UNGDOMSSKOLE
            schools.append((School(
                id=_uuid(rng), agency_id=agency, orgnr=_orgnr(rng, used),
                name=names[agency].replace(" (skala)", ""), district_id=place.code, level=level,
                source="syntetisk"), place))
    incidents, pupils, requests, visits = [], [], [], []
    count = round(total_persons * INCIDENTS_PER_PERSON)
    for _ in range(count if schools else 0):
        school, place = rng.choice(schools)
        low, high = (16, 19) if school.level == SchoolLevel.VIDEREGAENDE else (13, 15)
        day = _day_between(rng, today - dt.timedelta(days=HISTORY_DAYS), today)
        pupils_there = [p for p in rng.sample(place.persons, min(60, len(place.persons)))
                        if low <= age_on(p[1], day) <= high]
        if not pupils_there:
            continue
        at = min(now, _at(day, rng))
        kind = _weighted(rng, INCIDENT_KINDS)
        reporter = rng.choice(city.staff[school.agency_id])
        closed = at + dt.timedelta(days=rng.randint(1, 40)) if rng.random() < 0.85 else None
        incident = Incident(
            id=_uuid(rng), school_id=school.pk, reported_by_id=reporter, occurred_at=at,
            kind=kind, description=INCIDENT_TEXTS[kind] + " (syntetisk)",
            staff_affected=1 if rng.random() < 0.1 else 0,
            actions_taken="Samtale med elevene og foresatte.",
            activity_plan_started=kind == IncidentKind.MOBBING,
            activity_plan_due=day + dt.timedelta(days=14) if kind == IncidentKind.MOBBING
            else None,
            police_informed=kind in (IncidentKind.VAPEN, IncidentKind.VOLD),
            barnevern_informed=rng.random() < 0.1,
            closed_at=closed if closed and closed < now else None, created_at=at, updated_at=at)
        incidents.append(incident)
        for number, pupil in enumerate(rng.sample(pupils_there,
                                                  min(len(pupils_there), rng.randint(1, 3)))):
            pupils.append(IncidentPupil(
                id=_uuid(rng), incident_id=incident.pk, person_id=pupil[0],
                perpetrator=number == 0, victim=number == 1, witness=number > 1,
                created_at=at, updated_at=at))
        if rng.random() < AMBULANT_SHARE and ambulant_staff:
            _ambulant(rng, school, incident, at, now, reporter, ambulant_staff, requests, visits)
    bulk_insert(School, [school for school, _p in schools])
    bulk_insert(Incident, incidents)
    bulk_insert(IncidentPupil, pupils)
    bulk_insert(AmbulantRequest, requests)
    bulk_insert(AmbulantVisit, visits)
    summary.schools, summary.incidents = len(schools), len(incidents)
    summary.incident_pupils = len(pupils)
    summary.ambulant_requests, summary.ambulant_visits = len(requests), len(visits)


def _ambulant(rng: random.Random, school: School, incident: Incident, at: dt.datetime,
              now: dt.datetime, reporter: int, team: list[int], requests: list,
              visits: list) -> None:
    requested = at + dt.timedelta(minutes=rng.randint(10, 600))
    if requested >= now:
        return
    urgency = rng.choice([Urgency.ACUTE, Urgency.HIGH, Urgency.NORMAL, Urgency.NORMAL])
    triaged = requested + dt.timedelta(minutes=rng.randint(5, 120))
    dispatched = triaged + dt.timedelta(minutes=rng.randint(5, 240))
    arrived = dispatched + dt.timedelta(minutes=rng.randint(20, 90))
    closed = arrived + dt.timedelta(days=rng.randint(1, 30))
    status = RequestStatus.CLOSED
    for moment, before in ((closed, RequestStatus.ARRIVED), (arrived, RequestStatus.DISPATCHED),
                           (dispatched, RequestStatus.TRIAGED), (triaged, RequestStatus.RECEIVED)):
        if moment >= now:
            status = before
    declined = status == RequestStatus.CLOSED and rng.random() < 0.05
    if declined:
        status = RequestStatus.DECLINED
    passed = {RequestStatus.RECEIVED: 0, RequestStatus.TRIAGED: 1, RequestStatus.DISPATCHED: 2,
              RequestStatus.ARRIVED: 3, RequestStatus.CLOSED: 4, RequestStatus.DECLINED: 1}[status]
    who = rng.choice(team)
    request = AmbulantRequest(
        id=_uuid(rng), school_id=school.pk, district_id=school.district_id,
        requested_by_id=reporter, requested_at=requested,
        kind=RequestKind.INCIDENT if rng.random() < 0.7 else RequestKind.LONG_TERM,
        incident_id=incident.pk, situation=incident.description, status=status,
        urgency=urgency if passed >= 1 else "",
        triage_note="Vurdert av teamet." if passed >= 1 else "",
        triaged_at=triaged if passed >= 1 else None, triaged_by_id=who if passed >= 1 else None,
        dispatched_at=dispatched if 2 <= passed <= 4 and not declined else None,
        dispatched_by_id=who if 2 <= passed <= 4 and not declined else None,
        arrived_at=arrived if 3 <= passed <= 4 and not declined else None,
        closed_at=closed if status in (RequestStatus.CLOSED, RequestStatus.DECLINED) else None,
        measures="Samtaler med elevgruppen; plan for friminuttene." if passed >= 3 else "",
        closing_report="Situasjonen er roligere." if status == RequestStatus.CLOSED else "",
        created_at=requested, updated_at=requested)
    requests.append(request)
    if request.arrived_at is not None:
        day = arrived.astimezone(clock.OSLO).date()
        for number in range(rng.randint(1, 3)):
            on = day + dt.timedelta(days=7 * number)
            if on > now.date():
                break
            visits.append(AmbulantVisit(
                id=_uuid(rng), request_id=request.pk, visited_on=on,
                note="Observasjon i klasserom og samtaler.", recorded_by_id=who,
                created_at=arrived, updated_at=arrived))


# --- offers and referrals ------------------------------------------------------------------------

def _pathways(rng: random.Random, city: _City, now: dt.datetime,
              summary: ServicesSummary) -> None:
    """The catalogue (each bydel's fritid agency's offers, clubs with opening hours) and
    referrals from open SaLTo cases to offers in their bydel, by the case's coordinator."""
    today = now.astimezone(clock.OSLO).date()
    district_names = dict(Agency.objects.filter(code__startswith=CODE_PREFIX,
                                                type=AgencyType.BYDEL)
                          .values_list("district_id", "district__name"))
    offers: list[Offer] = []
    hours: list[OpeningHours] = []
    by_district: dict[str, list[Offer]] = {}
    for place in city.places.values():
        providers = place.agencies.get(AgencyType.FRITID) or place.agencies.get(AgencyType.BYDEL)
        if not providers:
            continue
        name = district_names.get(place.code, place.code)
        for kind, pattern, low, high, places, price in DISTRICT_OFFERS:
            offer = Offer(
                id=_uuid(rng), provider_id=providers[0], kind=kind, name=pattern.format(name=name),
                description="Syntetisk tilbud for skalatest.", district_id=place.code,
                age_min=low, age_max=high, languages=["en"] if rng.random() < 0.4 else [],
                contact_name="Kontaktperson (syntetisk)", price_nok=price, places=places,
                free_places=min(places or 0, 5) if places else 0,
                employer=f"Bydel {name}" if kind in (OfferKind.SUMMER_JOB,
                                                     OfferKind.PART_TIME_JOB) else "",
                external_ref=f"skala-{place.code}-{kind}-{low}",
                created_at=now, updated_at=now)
            offers.append(offer)
            by_district.setdefault(place.code, []).append(offer)
            if kind == OfferKind.CLUB:
                for weekday in range(5):
                    for season in (Season.SCHOOL_YEAR, Season.SUMMER):
                        hours.append(OpeningHours(
                            id=_uuid(rng), offer_id=offer.pk, season=season, weekday=weekday,
                            opens=dt.time(15 if season == Season.SCHOOL_YEAR else 12),
                            closes=dt.time(21), created_at=now, updated_at=now))
    referrals = []
    cases = (Case.objects.filter(status=CaseStatus.ACTIVE, person__is_synthetic=True)
             .order_by("id").values_list("id", "person_id", "person__birth_date", "district_id",
                                         "opened_by_id", "created_at"))
    bydel_of = {place.code: (place.agencies.get(AgencyType.BYDEL) or [None])[0]
                for place in city.places.values()}
    for pk, person, born, district, opened_by, opened in cases:
        if rng.random() >= REFERRAL_SHARE or not by_district.get(district):
            continue
        age = age_on(born, today)
        fitting = [o for o in by_district[district] if o.age_min <= age <= o.age_max]
        for offer in rng.sample(fitting, min(len(fitting), rng.choice([1, 1, 2]))):
            sent = opened + dt.timedelta(days=rng.randint(7, max(8, (now - opened).days)))
            sent = min(sent, now)
            status = _weighted(rng, REFERRAL_STATUSES)
            decided = sent + dt.timedelta(days=rng.randint(1, 14))
            if decided >= now:
                status, decided = ReferralStatus.SENT, None
            ended = None
            if status in (ReferralStatus.COMPLETED, ReferralStatus.DROPPED_OUT) and decided:
                ended = min(today, decided.date() + dt.timedelta(days=rng.randint(30, 200)))
            job = offer.kind in (OfferKind.SUMMER_JOB, OfferKind.PART_TIME_JOB)
            start = decided.date() + dt.timedelta(days=14) if job and decided and \
                status != ReferralStatus.DECLINED else None
            referrals.append(Referral(
                id=_uuid(rng), offer_id=offer.pk, case_id=pk, person_id=person,
                referred_by_id=opened_by, referring_agency_id=bydel_of[district],
                text=rng.choice(REFERRAL_TEXTS), status=status, basis={},
                decided_at=decided if status != ReferralStatus.SENT else None,
                decided_by_id=city.staff[offer.provider_id][0]
                if status != ReferralStatus.SENT else None,
                reason="Ingen ledige plasser." if status == ReferralStatus.DECLINED else "",
                ended_on=ended, placement_start=start,
                placement_hours=10 if start else None,
                placement_end=start + dt.timedelta(days=42) if start else None,
                created_at=sent, updated_at=decided or sent))
    bulk_insert(Offer, offers)
    bulk_insert(OpeningHours, hours)
    bulk_insert(Referral, referrals)
    summary.offers, summary.opening_hours = len(offers), len(hours)
    summary.referrals = len(referrals)


# --- the step -------------------------------------------------------------------------------------

def build_services(*, seed: int = 2026, progress: Progress | None = None) -> ServicesSummary:
    """Add the services' data to the scale seed, or do nothing if it is already there. Raises
    laget.core.errors.DomainError when the database holds no scale seed."""
    if services_exist():
        return ServicesSummary(created=False, seed=seed,
                               registrations=PoliceRegistration.objects.count(),
                               youth_cases=YouthCase.objects.count())
    seeded = existing_seed()
    if not seeded:
        raise DomainError("no scale seed here: run seed_scale first", code="no_scale_seed")
    progress = progress or Progress(enabled=False)
    started = time.monotonic()
    summary = ServicesSummary(created=True, seed=seed)
    now = clock.now()
    persons = int(seeded.get("persons", 0))
    with transaction.atomic():
        progress.phase("services", 4)
        city = _city()
        mark = time.monotonic()
        rng = random.Random(f"{seed}-registrations")
        registrations = _registrations(rng, city, persons * REGISTRATIONS_PER_PERSON, now)
        summary.registrations = bulk_insert(PoliceRegistration, registrations)
        summary.timings["registrations"] = round(time.monotonic() - mark, 2)
        progress.advance()
        mark = time.monotonic()
        _fasttrack(random.Random(f"{seed}-fasttrack"), city, registrations,
                   now.astimezone(clock.OSLO).date(), summary)
        summary.timings["fasttrack"] = round(time.monotonic() - mark, 2)
        progress.advance()
        mark = time.monotonic()
        _schools(random.Random(f"{seed}-schools"), city, now, persons, summary)
        summary.timings["schools"] = round(time.monotonic() - mark, 2)
        progress.advance()
        mark = time.monotonic()
        _pathways(random.Random(f"{seed}-pathways"), city, now, summary)
        summary.timings["pathways"] = round(time.monotonic() - mark, 2)
        progress.advance()
        audit_record(
            action=Action.DEMO_SEED, actor=None, purpose=Purpose.REGISTRERING,
            details={"kind": SERVICES_KIND, "seed": seed,
                     "registrations": summary.registrations,
                     "youth_cases": summary.youth_cases, "incidents": summary.incidents,
                     "referrals": summary.referrals},
        )
    progress.done()
    summary.seconds = round(time.monotonic() - started, 1)
    return summary
