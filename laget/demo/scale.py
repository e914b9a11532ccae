"""Synthetic Oslo at city scale for benchmarks (`manage.py seed_scale`): agencies of every type in
each bydel, staff in case roles, young persons with Tenor-style synthetic numbers, SaLTo cases
with teams from several agencies, entries whose categories match their source, consents with
grants, programme and weapon markers. Written with bulk inserts in one transaction (all or
nothing), deterministic from a seed for a given day, and marked synthetic throughout.
"""

import datetime as dt
import itertools
import math
import random
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from laget.accounts.models import Agency, AgencyType, Membership, Role, User
from laget.areas.models import District, Subdistrict
from laget.audit.actions import Action, Purpose
from laget.audit.models import AuditEvent
from laget.audit.services import audit_record
from laget.cases.models import (
    CaseStatusChange,
    Concern,
    ConcernStatus,
    ContactChannel,
    Goal,
    GoalStatus,
    GuardianContact,
    Meeting,
    MeetingDecision,
    MeetingParticipant,
    MeetingStatus,
    ParticipantKind,
    Plan,
    Task,
    TaskStatus,
)
from laget.core import clock
from laget.core.bulk import copy_insert
from laget.core.errors import DomainError
from laget.demo import names
from laget.demo.progress import Progress
from laget.people.identifiers import synthetic_national_id
from laget.people.models import Guardian, GuardianRelation, IdKind, Language, Person
from laget.records.models import Case, CaseMarker, CaseStatus, Entry, MarkerKind, TeamMember
from laget.records.vocabulary import InfoCategory, Programme, SharingPurpose
from laget.sharing.engine import age_on
from laget.sharing.models import (
    AgeBand,
    Consent,
    ConsentGivenBy,
    ConsentGrant,
    ConsentMethod,
    WithdrawnBy,
)
from laget.sharing.rulebook import DEFAULT_RULEBOOK, rulebook_load
from laget.sharing.seeding import entries_bulk_create, entries_count

CODE_PREFIX = "scale-"
USERNAME_PREFIX = "scale."
SEED_KIND = "scale"
BATCH = 5000


@dataclass(frozen=True)
class ScaleSize:
    persons: int
    entries: int
    users: int
    districts: int

    def as_dict(self) -> dict[str, int]:
        return {"persons": self.persons, "entries": self.entries, "users": self.users,
                "districts": self.districts}


FULL = ScaleSize(persons=100_000, entries=1_000_000, users=2_000, districts=15)
SMALL = ScaleSize(persons=2_000, entries=20_000, users=200, districts=3)

#: Share of persons aged 10–22 who have a case, and the shape of the cases.
CASE_SHARE = 0.35
CLOSED_SHARE = 0.08
LEFT_TEAM_SHARE = 0.06
CONSENT_SHARE = 0.2
WITHDRAWN_SHARE = 0.1
CORRECTION_SHARE = 0.01
WEAPON_SHARE = 0.03
PROGRAMME_SHARES = {
    Programme.INTENSIV_OPPFOLGING: 0.05, Programme.UNGDOMSOPPFOLGING: 0.03,
    Programme.UNGDOMSSTRAFF: 0.02, Programme.HURTIGSPOR: 0.02, Programme.REENTRY: 0.01,
}
HISTORY_DAYS = 3 * 365

# (type, name pattern, weight of its staff) per bydel; three schools in each.
DISTRICT_AGENCIES: list[tuple[str, str, str, int]] = [
    ("bydel", AgencyType.BYDEL, "Bydel {name} (skala)", 30),
    ("barnevern", AgencyType.BARNEVERN, "Barneverntjenesten i bydel {name} (skala)", 14),
    ("nav", AgencyType.NAV, "NAV {name} (skala)", 10),
    ("helse", AgencyType.HELSE, "Helsestasjon for ungdom {name} (skala)", 8),
    ("fritid", AgencyType.FRITID, "{name} fritidsklubb (skala)", 8),
    ("politi", AgencyType.POLITI, "Oslo politidistrikt, forebyggende {name} (skala)", 12),
    ("skole-1", AgencyType.SKOLE, "{name} ungdomsskole nord (skala)", 10),
    ("skole-2", AgencyType.SKOLE, "{name} ungdomsskole sør (skala)", 10),
    ("skole-3", AgencyType.SKOLE, "{name} videregående skole (skala)", 10),
]
CITY_AGENCIES: list[tuple[str, str, str, int]] = [
    ("kriminalomsorg", AgencyType.KRIMINALOMSORG, "Kriminalomsorgen, Oslo friomsorgskontor (skala)",
     12),
    ("konfliktraad", AgencyType.KONFLIKTRAAD, "Konfliktrådet i Oslo (skala)", 8),
    ("domstol", AgencyType.DOMSTOL, "Oslo tingrett (skala)", 2),
    ("by", AgencyType.BY, "Velferdsetaten, SaLTo-sekretariatet (skala)", 3),
]

#: Which agency types join a team besides the bydel, with a weight by the person's age.
TEAM_TYPES: list[tuple[str, float, float]] = [  # (type, weight under 16, weight from 16)
    (AgencyType.SKOLE, 0.9, 0.7),
    (AgencyType.POLITI, 0.35, 0.5),
    (AgencyType.BARNEVERN, 0.45, 0.3),
    (AgencyType.FRITID, 0.4, 0.3),
    (AgencyType.NAV, 0.05, 0.5),
    (AgencyType.HELSE, 0.3, 0.3),
    (AgencyType.KRIMINALOMSORG, 0.0, 0.12),
    (AgencyType.KONFLIKTRAAD, 0.1, 0.15),
]

#: The categories an agency type writes, with weights.
CATEGORIES_BY_TYPE: dict[str, list[tuple[str, float]]] = {
    AgencyType.BYDEL: [(InfoCategory.PLAN, 0.4), (InfoCategory.IDENTITET, 0.2),
                       (InfoCategory.FAMILIE, 0.2), (InfoCategory.AKTIVITET, 0.2)],
    AgencyType.SKOLE: [(InfoCategory.SKOLE, 0.85), (InfoCategory.FAMILIE, 0.1),
                       (InfoCategory.PLAN, 0.05)],
    AgencyType.BARNEVERN: [(InfoCategory.BARNEVERN, 0.7), (InfoCategory.FAMILIE, 0.2),
                           (InfoCategory.PLAN, 0.1)],
    AgencyType.POLITI: [(InfoCategory.POLITI, 0.8), (InfoCategory.IDENTITET, 0.2)],
    AgencyType.NAV: [(InfoCategory.NAV, 0.9), (InfoCategory.PLAN, 0.1)],
    AgencyType.HELSE: [(InfoCategory.HELSE, 0.95), (InfoCategory.FAMILIE, 0.05)],
    AgencyType.FRITID: [(InfoCategory.AKTIVITET, 1.0)],
    AgencyType.KRIMINALOMSORG: [(InfoCategory.KRIMINALOMSORG, 0.9), (InfoCategory.PLAN, 0.1)],
    AgencyType.KONFLIKTRAAD: [(InfoCategory.KONFLIKTRAAD, 0.85), (InfoCategory.PLAN, 0.15)],
}
PURPOSES = [(SharingPurpose.FOREBYGGING, 0.7), (SharingPurpose.OPPFOLGING, 0.25),
            (SharingPurpose.MELDING_BARNEVERN, 0.03), (SharingPurpose.STRAFFESAK, 0.02)]

TEXTS: dict[str, list[str]] = {
    InfoCategory.IDENTITET: ["Kontaktinformasjon oppdatert etter samtale med familien.",
                             "Ny adresse og telefonnummer registrert."],
    InfoCategory.PLAN: ["Koordinert plan revidert i teammøte; nye delmål for skole og fritid.",
                        "Tiltak i planen evaluert. Neste gjennomgang om seks uker.",
                        "Ansvarsfordeling i teamet avklart og skrevet inn i planen."],
    InfoCategory.SKOLE: ["Fravær siste måned over ti prosent; kontaktlærer følger opp.",
                         "Elevsamtale gjennomført. Trives bedre i ny klasse.",
                         "Tilpasset opplæring i matematikk fra neste uke."],
    InfoCategory.BARNEVERN: ["Hjelpetiltak i hjemmet videreført etter evaluering.",
                             "Undersøkelse avsluttet; oppfølging i familien fortsetter."],
    InfoCategory.POLITI: ["Bekymringssamtale gjennomført med ungdom og foresatte.",
                          "Registrert i forbindelse med hendelse i nærmiljøet; ingen anmeldelse."],
    InfoCategory.HELSE: ["Samtale på helsestasjonen; avtalt ny time om tre uker.",
                         "Henvist videre til spesialisthelsetjenesten etter samtykke."],
    InfoCategory.FAMILIE: ["Foreldremøte gjennomført med tolk.",
                           "Familien ønsker tettere kontakt med skolen."],
    InfoCategory.NAV: ["Avklaringssamtale om arbeidstrening gjennomført.",
                       "Søknad om tiltaksplass sendt."],
    InfoCategory.KRIMINALOMSORG: ["Oppmøte hos friomsorgen som avtalt.",
                                  "Program for ungdomsoppfølging startet."],
    InfoCategory.KONFLIKTRAAD: ["Ungdomsstormøte gjennomført; plan signert.",
                                "Oppfølgingsteam møttes; avtalene holdes."],
    InfoCategory.AKTIVITET: ["Deltar fast på fotballtrening to kvelder i uken.",
                             "Startet i sommerjobb gjennom fritidsklubben."],
}
LANGUAGES = [Language.NB] * 6 + [Language.AR, Language.SO, Language.UR, Language.PL,
                                 Language.TI, Language.EN]


@dataclass
class ScaleSummary:
    created: bool
    size: ScaleSize
    seed: int
    agencies: int = 0
    users: int = 0
    persons: int = 0
    guardians: int = 0
    cases: int = 0
    team_members: int = 0
    markers: int = 0
    consents: int = 0
    grants: int = 0
    entries: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


class ScaleSeedExists(DomainError):
    """The database already holds a scale seed of other sizes."""


def existing_seed() -> dict[str, int] | None:
    """The sizes and seed of the scale seed already in the database, or None."""
    if not Agency.objects.filter(code__startswith=CODE_PREFIX).exists():
        return None
    event = (
        AuditEvent.objects.filter(action=Action.DEMO_SEED, details__kind=SEED_KIND)
        .order_by("-occurred_at").first()
    )
    if event is None:  # agencies without the seed's record: made by hand, not by this command
        return {}
    keys = ("persons", "entries", "users", "districts", "seed")
    return {key: int(event.details.get(key, -1)) for key in keys}


# --- helpers -------------------------------------------------------------------------------------

def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _weighted(rng: random.Random, items: Sequence[tuple[str, float]]) -> str:
    return rng.choices([v for v, _w in items], weights=[w for _v, w in items])[0]


@dataclass(frozen=True)
class _Choice:
    """A fixed weighted choice, with its cumulative weights worked out once."""

    values: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, items: Sequence[tuple[str, float]]) -> "_Choice":
        return cls(tuple(v for v, _w in items),
                   tuple(itertools.accumulate(w for _v, w in items)))

    def pick(self, rng: random.Random) -> str:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


_CATEGORY_CHOICE = {kind: _Choice.of(items) for kind, items in CATEGORIES_BY_TYPE.items()}
_PURPOSE_CHOICE = _Choice.of(PURPOSES)


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    """An instant during working hours in Oslo on `day`."""
    seconds = rng.randint(7 * 3600, 19 * 3600)
    local = dt.datetime.combine(day, dt.time(), tzinfo=clock.OSLO) + dt.timedelta(seconds=seconds)
    return local.astimezone(dt.UTC)


def _day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _years_after(born: dt.date, years: int) -> dt.date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February
        return born.replace(year=born.year + years, month=3, day=1)


def _allocate(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split `total` over the weights (largest remainder), each getting at least `minimum`."""
    counts = [minimum] * len(weights)
    rest = total - minimum * len(weights)
    if rest <= 0 or not weights:
        return counts
    whole = sum(weights)
    shares = [rest * w / whole for w in weights]
    floors = [math.floor(s) for s in shares]
    left = rest - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: shares[i] - floors[i], reverse=True)
    for i in order[:left]:
        floors[i] += 1
    return [c + f for c, f in zip(counts, floors, strict=True)]


def _batches(items: Sequence[object], size: int = BATCH) -> Iterator[Sequence[object]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- the parts -----------------------------------------------------------------------------------

@dataclass
class _AgencyInfo:
    agency: Agency
    district_code: str | None
    weight: int
    users: list[int] = field(default_factory=list)  # who may be put on a team
    coordinators: list[int] = field(default_factory=list)


@dataclass
class _World:
    rng: random.Random
    today: dt.date
    now: dt.datetime
    districts: list[District]
    agencies: list[_AgencyInfo] = field(default_factory=list)
    #: district code → agency type → agencies
    local: dict[str, dict[str, list[_AgencyInfo]]] = field(default_factory=dict)
    city: dict[str, _AgencyInfo] = field(default_factory=dict)


def _make_agencies(world: _World) -> None:
    rows: list[_AgencyInfo] = []
    for district in world.districts:
        world.local[district.code] = {}
        for key, kind, pattern, weight in DISTRICT_AGENCIES:
            agency = Agency(
                id=_uuid(world.rng), code=f"{CODE_PREFIX}{district.code}-{key}",
                name=pattern.format(name=district.name), type=kind, district=district,
                is_synthetic=True,
            )
            info = _AgencyInfo(agency, district.code, weight)
            rows.append(info)
            world.local[district.code].setdefault(kind, []).append(info)
    for key, kind, name, weight in CITY_AGENCIES:
        agency = Agency(id=_uuid(world.rng), code=f"{CODE_PREFIX}{key}", name=name, type=kind,
                        is_synthetic=True)
        info = _AgencyInfo(agency, None, weight)
        rows.append(info)
        world.city[kind] = info
    Agency.objects.bulk_create([info.agency for info in rows])
    world.agencies = rows


def _roles_for(kind: str, count: int) -> list[str]:
    """Roles of an agency's staff, in the order they are handed out."""
    if kind == AgencyType.BYDEL:
        coordinators = max(1, round(count * 0.1))
        head = [Role.COORDINATOR, Role.LEADER] + [Role.COORDINATOR] * (coordinators - 1)
    elif kind == AgencyType.BY:
        head = [Role.COORDINATOR, Role.ANALYST, Role.AUDITOR]
    else:
        head = [Role.CASEWORKER, Role.LEADER]
    return (head + [Role.CASEWORKER] * count)[:count]


def _make_users(world: _World, total: int, load: dict[uuid.UUID, int]) -> int:
    """Staff for every agency, as many as its share of the team places (`load`) calls for, so
    that caseloads are even across agencies, as they are when agencies staff to their work."""
    rng = world.rng
    weights = [max(load.get(info.agency.pk, 0), info.weight) for info in world.agencies]
    counts = _allocate(total, weights, minimum=1)
    password = make_password(None)  # unusable: scale users never log in
    joined = world.now - dt.timedelta(days=HISTORY_DAYS + 400)
    users, memberships = [], []
    serial = 0
    for info, count in zip(world.agencies, counts, strict=True):
        for role in _roles_for(info.agency.type, count):
            serial += 1
            given, family = rng.choice(names.GIVEN_NAMES), rng.choice(names.FAMILY_NAMES)
            username = f"{USERNAME_PREFIX}{serial:05d}"
            user = User(username=username, first_name=given, last_name=f"{family} (skala)",
                        email=f"{username}@skala.laget.invalid", password=password,
                        date_joined=joined)
            users.append((user, info, role))
    User.objects.bulk_create([u for u, _i, _r in users], batch_size=BATCH)
    for user, info, role in users:
        memberships.append(Membership(
            id=_uuid(rng), user=user, agency=info.agency, role=role,
            valid_from=joined.date(), created_at=joined, updated_at=joined,
        ))
        if role == Role.COORDINATOR:
            info.coordinators.append(user.pk)
        if role in (Role.CASEWORKER, Role.COORDINATOR):  # leaders add people, not join teams
            info.users.append(user.pk)
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    return len(users)


@dataclass
class _PersonInfo:
    pk: uuid.UUID
    birth_date: dt.date
    district_code: str


def _make_persons(world: _World, total: int) -> list[_PersonInfo]:
    rng = world.rng
    subdistricts = {
        d.code: list(Subdistrict.objects.filter(district=d, boundary__isnull=False)
                     .order_by("code").values_list("code", flat=True))
        for d in world.districts
    }
    bydel = {code: types[AgencyType.BYDEL][0].agency for code, types in world.local.items()}
    used: set[str] = set()
    persons, infos = [], []
    for index in range(total):
        district = world.districts[index % len(world.districts)]
        born = world.today - dt.timedelta(days=rng.randint(6 * 365 + 2, 25 * 365 - 2))
        kind = IdKind.DNR if rng.random() < 0.06 else IdKind.FNR
        number: str | None = None
        if rng.random() > 0.03:  # a few newly arrived youths without a number yet
            number = synthetic_national_id(birth_date=born, rng=rng, kind=kind)
            while number in used:
                number = synthetic_national_id(birth_date=born, rng=rng, kind=kind)
            used.add(number)
        language = rng.choice(LANGUAGES)
        interpreter = language not in (Language.NB, Language.EN) and rng.random() < 0.5
        created = _at(world.today - dt.timedelta(days=rng.randint(0, HISTORY_DAYS)), rng)
        person = Person(
            id=_uuid(rng), national_id=number, id_kind=kind if number else IdKind.NONE,
            birth_date=born, given_name=rng.choice(names.GIVEN_NAMES),
            family_name=rng.choice(names.FAMILY_NAMES), district=district,
            subdistrict_id=rng.choice(subdistricts[district.code]) if subdistricts[district.code]
            else None,
            preferred_language=language, interpreter_needed=interpreter,
            interpreter_language=language if interpreter else "", is_synthetic=True,
            registered_by_agency=bydel[district.code], created_at=created, updated_at=created,
        )
        persons.append(person)
        infos.append(_PersonInfo(person.pk, born, district.code))
    for batch in _batches(persons):
        copy_insert(Person, batch)
    return infos


@dataclass
class _Member:
    agency: _AgencyInfo
    joined: dt.date
    left: dt.date | None
    user_id: int = 0


@dataclass
class _CaseInfo:
    pk: uuid.UUID
    person: _PersonInfo
    opened: dt.date
    closed: dt.date | None
    members: list[_Member]
    opened_by: int = 0


def _team_types(rng: random.Random, age: int, size: int) -> list[str]:
    pool = [(kind, under if age < 16 else over) for kind, under, over in TEAM_TYPES]
    pool = [(kind, weight) for kind, weight in pool if weight > 0]
    chosen: list[str] = []
    while len(chosen) < size and pool:
        kind = _weighted(rng, pool)
        chosen.append(kind)
        pool = [(k, w) for k, w in pool if k != kind]
    return chosen


def _team_agency(world: _World, district: str, kind: str, age: int) -> _AgencyInfo:
    if kind in world.city:
        return world.city[kind]
    options = world.local[district][kind]
    if kind == AgencyType.SKOLE:  # ungdomsskole under 16, videregående from 16
        options = options[:2] if age < 16 else options[2:]
    return world.rng.choice(options)


def _plan_cases(world: _World, persons: list[_PersonInfo]) -> list[_CaseInfo]:
    """Cases for a share of the persons aged 10–22, each with a team: someone from the bydel and
    two to five people from other agency types (people are picked once staff exist)."""
    rng, today = world.rng, world.today
    cases: list[_CaseInfo] = []
    for person in persons:
        age = age_on(person.birth_date, today)
        if not 10 <= age <= 22 or rng.random() >= CASE_SHARE:
            continue
        earliest = max(today - dt.timedelta(days=HISTORY_DAYS), _years_after(person.birth_date, 10))
        opened = _day_between(rng, earliest, today - dt.timedelta(days=1))
        closed = None
        if rng.random() < CLOSED_SHARE and (today - opened).days > 90:
            closed = _day_between(rng, opened + dt.timedelta(days=60), today - dt.timedelta(days=1))
        bydel = world.local[person.district_code][AgencyType.BYDEL][0]
        age_then = age_on(person.birth_date, opened)
        members = [_Member(bydel, opened, closed)]
        for kind in _team_types(rng, age_then, rng.randint(2, 5)):
            agency = _team_agency(world, person.district_code, kind, age_then)
            joined = min(_day_between(rng, opened, opened + dt.timedelta(days=30)),
                         closed or today)
            left = closed
            if left is None and rng.random() < LEFT_TEAM_SHARE and (today - joined).days > 31:
                left = _day_between(rng, joined + dt.timedelta(days=30), today)
            members.append(_Member(agency, joined, left))
        cases.append(_CaseInfo(_uuid(rng), person, opened, closed, members))
    return cases


def _team_load(cases: list[_CaseInfo]) -> dict[uuid.UUID, int]:
    load: dict[uuid.UUID, int] = {}
    for case in cases:
        for member in case.members:
            load[member.agency.agency.pk] = load.get(member.agency.agency.pk, 0) + 1
    return load


def _make_cases(world: _World, cases: list[_CaseInfo]) -> None:
    """Pick the people for each team and write the cases and their teams."""
    rng = world.rng
    case_rows, member_rows = [], []
    for case in cases:
        bydel = case.members[0].agency
        case.opened_by = rng.choice(bydel.coordinators or bydel.users)
        for member in case.members:
            member.user_id = rng.choice(member.agency.users)
        at = _at(case.opened, rng)
        case_rows.append(Case(
            id=case.pk, person_id=case.person.pk, district_id=case.person.district_code,
            status=CaseStatus.CLOSED if case.closed else CaseStatus.ACTIVE,
            opened_by_id=case.opened_by,
            closed_at=_at(case.closed, rng) if case.closed else None, created_at=at,
            updated_at=at,
        ))
        for member in case.members:
            joined_at = _at(member.joined, rng)
            member_rows.append(TeamMember(
                id=_uuid(rng), case_id=case.pk, user_id=member.user_id,
                agency=member.agency.agency,
                team_role="SaLTo-kontakt" if member.agency is bydel else "",
                joined_on=member.joined, left_on=member.left, added_by_id=case.opened_by,
                created_at=joined_at, updated_at=joined_at,
            ))
    for batch in _batches(case_rows):
        copy_insert(Case, batch)
    for batch in _batches(member_rows):
        copy_insert(TeamMember, batch)


def _make_markers(world: _World, cases: list[_CaseInfo]) -> int:
    rng, today = world.rng, world.today
    rows = []
    for case in cases:
        end = case.closed or today
        for programme, share in PROGRAMME_SHARES.items():
            if rng.random() < share:
                start = _day_between(rng, case.opened, end)
                stop = case.closed or (
                    _day_between(rng, start + dt.timedelta(days=1), today + dt.timedelta(days=1))
                    if rng.random() < 0.3 else None)
                rows.append(CaseMarker(id=_uuid(rng), case_id=case.pk, kind=MarkerKind.PROGRAMME,
                                       programme=programme, valid_from=start, valid_to=stop))
        if rng.random() < WEAPON_SHARE and age_on(case.person.birth_date, case.opened) < 18:
            start = _day_between(rng, case.opened, end)
            stop = case.closed or (start + dt.timedelta(days=180)
                                   if rng.random() < 0.5 else None)
            rows.append(CaseMarker(id=_uuid(rng), case_id=case.pk,
                                   kind=MarkerKind.WEAPON_TRIGGER, valid_from=start,
                                   valid_to=stop))
    for batch in _batches(rows):
        copy_insert(CaseMarker, batch)
    return len(rows)


def _make_guardians(world: _World, cases: list[_CaseInfo]) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Guardians with parental responsibility for persons who were minors when their case
    opened."""
    rng = world.rng
    rows, by_person = [], {}
    for case in cases:
        person = case.person
        if age_on(person.birth_date, case.opened) >= 18 or person.pk in by_person:
            continue
        ids = []
        for i in range(rng.choice([1, 2, 2])):
            guardian = Guardian(
                id=_uuid(rng), person_id=person.pk,
                given_name=rng.choice(names.ADULT_GIVEN_NAMES),
                family_name=rng.choice(names.FAMILY_NAMES),
                relation=GuardianRelation.MOTHER if i == 0 else GuardianRelation.FATHER,
                parental_responsibility=True, restricted_contact=rng.random() < 0.03,
                phone="9" + "".join(str(rng.randint(0, 9)) for _ in range(7)),
                is_synthetic=True,
            )
            rows.append(guardian)
            ids.append(guardian.pk)
        by_person[person.pk] = ids
    for batch in _batches(rows):
        copy_insert(Guardian, batch)
    return by_person


def _band(age: int) -> str:
    if age >= 18:
        return AgeBand.ADULT
    return AgeBand.AGE_16_17 if age >= 16 else AgeBand.UNDER_16


GIVEN_BY = {AgeBand.UNDER_16: ConsentGivenBy.GUARDIAN, AgeBand.AGE_16_17: ConsentGivenBy.BOTH,
            AgeBand.ADULT: ConsentGivenBy.YOUTH}


@dataclass
class _Entries:
    """Streams entries and consents to the database in batches."""

    entries: list[Entry] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    guardian_links: list[object] = field(default_factory=list)
    grants: list[ConsentGrant] = field(default_factory=list)
    written: int = 0
    consent_count: int = 0
    grant_count: int = 0
    progress: Progress | None = None

    def flush(self, force: bool = False) -> None:
        if len(self.entries) < 4 * BATCH and not force:
            return
        written = entries_bulk_create(self.entries, batch_size=BATCH)
        self.written += written
        if self.progress is not None:
            self.progress.advance(written)
        copy_insert(Consent, self.consents)
        copy_insert(Consent.guardians.through, self.guardian_links)
        copy_insert(ConsentGrant, self.grants)
        self.consent_count += len(self.consents)
        self.grant_count += len(self.grants)
        self.entries, self.consents, self.guardian_links, self.grants = [], [], [], []


def _consent(world: _World, case: _CaseInfo, entry: Entry, day: dt.date,
             guardians: list[uuid.UUID], out: _Entries) -> None:
    rng = world.rng
    band = _band(age_on(case.person.birth_date, day))
    given_by = GIVEN_BY[band]
    types = sorted({m.agency.agency.type for m in case.members})
    categories = sorted({
        category for kind in types for category, _w in CATEGORIES_BY_TYPE.get(kind, [])
        if rng.random() < 0.6
    } | {InfoCategory.PLAN})
    purposes = [SharingPurpose.FOREBYGGING, SharingPurpose.OPPFOLGING]
    valid_to = day + dt.timedelta(days=365)
    withdrawn = None
    if rng.random() < WITHDRAWN_SHARE:
        when = _day_between(rng, day + dt.timedelta(days=10), day + dt.timedelta(days=300))
        if when < world.today:
            withdrawn = _at(when, rng)
    entry.category = InfoCategory.FAMILIE
    entry.purpose = SharingPurpose.OPPFOLGING
    entry.supersedes_id = None
    entry.text = (f"Samtykke til deling av {', '.join(categories)} med {', '.join(types)} for "
                  f"{', '.join(purposes)}, gyldig {day.isoformat()}–{valid_to.isoformat()}.")
    consent = Consent(
        id=_uuid(rng), case_id=case.pk, entry_id=entry.pk, given_by=given_by, age_band=band,
        method=ConsentMethod.SIGNED_FORM if rng.random() < 0.7 else ConsentMethod.DIGITAL,
        youth_view="Den unge er enig i delingen." if given_by == ConsentGivenBy.GUARDIAN else "",
        categories=categories, recipients=types, purposes=purposes, valid_from=day,
        valid_to=valid_to, registered_by_id=entry.author_id, agency_id=entry.source_agency_id,
        withdrawn_at=withdrawn,
        withdrawn_by=(WithdrawnBy.YOUTH if given_by == ConsentGivenBy.YOUTH
                      else WithdrawnBy.GUARDIAN) if withdrawn else "",
        withdrawal_recorded_by_id=entry.author_id if withdrawn else None,
        created_at=entry.created_at, updated_at=withdrawn or entry.created_at,
    )
    out.consents.append(consent)
    if given_by != ConsentGivenBy.YOUTH:
        through = Consent.guardians.through
        out.guardian_links.extend(through(consent_id=consent.pk, guardian_id=g)
                                  for g in guardians)
    out.grants.extend(
        ConsentGrant(consent_id=consent.pk, case_id=case.pk, category=c, recipient=r, purpose=p)
        for c in categories for r in types for p in purposes
    )


def _case_entries(world: _World, case: _CaseInfo, count: int, with_consent: bool,
                  guardians: list[uuid.UUID], out: _Entries) -> None:
    rng = world.rng
    end = case.closed or world.today
    days = sorted(_day_between(rng, case.opened, end) for _ in range(count))
    latest: dict[uuid.UUID, Entry] = {}  # the newest version of each entry, by source agency
    bydel_members = [m for m in case.members if m.agency.agency.type == AgencyType.BYDEL]
    consent_at = rng.randrange(count) if with_consent and count else -1
    for index, day in enumerate(days):
        active = [m for m in case.members
                  if m.joined <= day and (m.left is None or m.left > day)] or case.members
        if index == consent_at:
            member = rng.choice([m for m in active if m in bydel_members] or bydel_members)
        else:
            member = rng.choice(active)
        agency = member.agency.agency
        at = _at(day, rng)
        entry = Entry(
            id=_uuid(rng), case_id=case.pk, source_agency_id=agency.pk,
            category=_CATEGORY_CHOICE[agency.type].pick(rng),
            purpose=_PURPOSE_CHOICE.pick(rng), author_id=member.user_id,
            created_at=at, updated_at=at,
        )
        previous = latest.get(agency.pk)
        if previous is not None and index != consent_at and rng.random() < CORRECTION_SHARE:
            entry.supersedes_id = previous.pk
            entry.category, entry.purpose = previous.category, previous.purpose
            entry.text = previous.text.replace(" (syntetisk)", "") + " Rettet. (syntetisk)"
        else:
            entry.text = rng.choice(TEXTS[entry.category]) + " (syntetisk)"
        if index == consent_at:
            _consent(world, case, entry, day, guardians, out)
        else:
            latest[agency.pk] = entry
        out.entries.append(entry)


def _make_entries(world: _World, cases: list[_CaseInfo], total: int,
                  guardians: dict[uuid.UUID, list[uuid.UUID]],
                  progress: Progress | None = None) -> _Entries:
    rng = world.rng
    weights = []
    for case in cases:
        span = ((case.closed or world.today) - case.opened).days + 30
        weights.append(span * rng.lognormvariate(0, 0.6))
    counts = _allocate(total, weights)
    out = _Entries(progress=progress)
    for case, count in zip(cases, counts, strict=True):
        with_consent = count > 0 and rng.random() < CONSENT_SHARE
        _case_entries(world, case, count, with_consent, guardians.get(case.person.pk, []), out)
        out.flush()
    out.flush(force=True)
    return out


def _analyze() -> None:
    """Fresh planner statistics (and, outside a transaction, the visibility map for index-only
    scans) so that the first benchmark after a seed measures the plans production would get."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")


def build_scale(*, size: ScaleSize, seed: int = 2026,
                progress: Progress | None = None) -> ScaleSummary:
    """Seed the database at `size`, or do nothing if a seed of that size and seed is already
    there. Raises ScaleSeedExists for a seed of other sizes."""
    existing = existing_seed()
    wanted = {**size.as_dict(), "seed": seed}
    if existing is not None:
        if existing == wanted:
            return ScaleSummary(created=False, size=size, seed=seed,
                                entries=entries_count(source_agency_code_prefix=CODE_PREFIX))
        found = ", ".join(f"{k} {v}" for k, v in existing.items()) or "agencies only"
        raise ScaleSeedExists(
            f"the database already holds a scale seed ({found}); seed another size into a "
            "fresh database", code="scale_exists")
    districts = list(District.objects.filter(has_administration=True).order_by("code"))
    if size.districts < 1 or size.districts > len(districts):
        raise DomainError(f"--districts must be between 1 and {len(districts)}",
                          code="districts")
    started = time.monotonic()
    summary = ScaleSummary(created=True, size=size, seed=seed)
    world = _World(rng=random.Random(seed), today=clock.today(), now=clock.now(),
                   districts=districts[:size.districts])

    def lap(name: str, began: float) -> float:
        now = time.monotonic()
        summary.timings[name] = round(now - began, 2)
        return now

    progress = progress or Progress(enabled=False)
    with transaction.atomic():
        mark = time.monotonic()
        progress.phase("persons", size.persons)
        rulebook_load(text=DEFAULT_RULEBOOK.read_text(encoding="utf-8"),
                      file_name=DEFAULT_RULEBOOK.name)
        _make_agencies(world)
        summary.agencies = len(world.agencies)
        if size.users < summary.agencies:
            raise DomainError(f"--users must be at least {summary.agencies} (one per agency)",
                              code="users")
        persons = _make_persons(world, size.persons)
        summary.persons = len(persons)
        progress.advance(len(persons))
        progress.done()
        mark = lap("persons", mark)
        cases = _plan_cases(world, persons)
        summary.users = _make_users(world, size.users, _team_load(cases))
        _make_cases(world, cases)
        summary.cases = len(cases)
        summary.team_members = sum(len(c.members) for c in cases)
        summary.markers = _make_markers(world, cases)
        guardians = _make_guardians(world, cases)
        summary.guardians = sum(len(v) for v in guardians.values())
        mark = lap("cases_teams", mark)
        if size.entries and not cases:
            raise DomainError("no cases to put entries on: seed more persons", code="persons")
        progress.phase("entries", size.entries)
        written = _make_entries(world, cases, size.entries, guardians, progress)
        progress.done()
        summary.entries, summary.consents = written.written, written.consent_count
        summary.grants = written.grant_count
        mark = lap("entries", mark)
        audit_record(
            action=Action.DEMO_SEED, actor=None, purpose=Purpose.REGISTRERING,
            details={"kind": SEED_KIND, **wanted, "cases": summary.cases,
                     "consents": summary.consents},
        )
    mark = time.monotonic()
    _analyze()
    lap("analyze", mark)
    summary.seconds = round(time.monotonic() - started, 1)
    return summary


# --- the SaLTo workflow on the scale cases (build_workflow) --------------------------------------
# Plans, goals, tasks, meetings, status history, guardian contacts and new concerns for the cases
# build_scale() made: what the case page and the coordinator's desk read (bench/bench_web.py).
# A separate step, so that a database seeded before the workflow existed gets it without a
# reseed; run once (recorded by its own audit event), deterministic from the seed for a given day.

WORKFLOW_KIND = "scale_workflow"
#: Share of open cases with a meeting on a weekday of the current week, and with one planned
#: one to four weeks ahead.
MEETING_THIS_WEEK_SHARE = 0.15
MEETING_AHEAD_SHARE = 0.1
#: Share of open cases that went active → closing → active once.
REOPENED_SHARE = 0.03
#: New concerns waiting for assessment in each bydel.
NEW_CONCERNS_PER_DISTRICT = (4, 12)

GOALS = [
    ("Stabilt oppmøte på skolen", "Fravær under 10 % over en måned"),
    ("Fast fritidsaktivitet", "Deltar minst to ganger i uken"),
    ("Ingen nye lovbrudd", "Ingen nye anmeldelser eller bekymringsmeldinger fra politiet"),
    ("Trygg og forutsigbar hverdag hjemme", "Familien opplever færre konflikter"),
    ("Arbeidstrening eller jobb", "I tiltak eller jobb minst 20 timer i uken"),
    ("God kontakt med voksne på skolen", "Fast samtale med kontaktlærer hver uke"),
    ("Fullføre skoleåret", "Bestått i alle fag"),
]
TASKS_BY_TYPE: dict[str, list[str]] = {
    AgencyType.BYDEL: ["Kalle inn til teammøte", "Oppdatere planen etter møtet",
                       "Følge opp familien med hjemmebesøk", "Avklare tolk til neste møte"],
    AgencyType.SKOLE: ["Ukentlig samtale med kontaktlærer", "Følge opp fravær med foresatte",
                       "Vurdere tilpasset opplæring", "Melde fravær til teamet hver fredag"],
    AgencyType.BARNEVERN: ["Evaluere hjelpetiltak i hjemmet", "Samtale med foresatte"],
    AgencyType.POLITI: ["Bekymringssamtale med ungdom og foresatte",
                        "Oppfølgingssamtale etter hendelse"],
    AgencyType.NAV: ["Avklare arbeidstrening", "Søke om tiltaksplass"],
    AgencyType.HELSE: ["Samtale på helsestasjonen", "Vurdere henvisning"],
    AgencyType.FRITID: ["Følge til første trening", "Finne sommerjobb gjennom klubben"],
    AgencyType.KRIMINALOMSORG: ["Oppfølging etter program", "Oppmøtesamtale"],
    AgencyType.KONFLIKTRAAD: ["Forberede ungdomsstormøte", "Møte i oppfølgingsteamet"],
}
OUTCOMES = ["Gjennomført som avtalt.", "Gjennomført; ny samtale avtalt om tre uker.",
            "Gjennomført med tolk. Familien er positiv.", "Delvis gjennomført; tas opp i møtet."]
CANCEL_REASONS = ["Ikke lenger aktuelt etter teammøtet.", "Erstattet av en annen oppgave."]
MINUTES = ["Gjennomgang av planen. Skolen melder bedre oppmøte; fritid følger opp.",
           "Teamet ble enige om nye delmål. Familien deltok med tolk.",
           "Status fra hver virksomhet. Ingen nye hendelser siden forrige møte."]
DECISIONS = ["Skolen følger opp fravær ukentlig", "Bydelen kaller inn til nytt møte om seks uker",
             "Fritidsklubben tar kontakt om sommerjobb", "Politiet gjennomfører ny samtale"]
PLACES = ["Bydelshuset, møterom 2", "Skolen, rådgivers kontor", "Fritidsklubben", "Digitalt"]
REASONS = {
    CaseStatus.ACTIVE: ["Vurdering ferdig; samtykke og team på plass.",
                        "Grunnlag for SaLTo-oppfølging; teamet er satt."],
    CaseStatus.CLOSING: ["Målene i planen er i hovedsak nådd.", "Flytter fra bydelen."],
    "reactivated": ["Ny bekymring; oppfølgingen fortsetter."],
    CaseStatus.CLOSED: ["Avsluttet etter evaluering i teammøtet.", "Ungdommen ønsker ikke mer "
                        "oppfølging.", "Flyttet ut av Oslo."],
}
CONTACT_NOTES = ["Avtalt tid for hjemmebesøk.", "Informert om neste teammøte.",
                 "Samtale om fravær på skolen.", ""]
CONCERN_TEXTS = ["Mye fravær siste måned og nye venner som skolen er bekymret for.",
                 "Observert sammen med eldre ungdom i miljø vi kjenner fra tidligere saker.",
                 "Foresatte har tatt kontakt og ber om hjelp."]


@dataclass
class WorkflowSummary:
    created: bool
    seed: int
    plans: int = 0
    goals: int = 0
    tasks: int = 0
    meetings: int = 0
    participants: int = 0
    decisions: int = 0
    status_changes: int = 0
    guardian_contacts: int = 0
    concerns: int = 0
    seconds: float = 0.0


def workflow_exists() -> bool:
    """Whether build_workflow() has run on this database."""
    return AuditEvent.objects.filter(action=Action.DEMO_SEED,
                                     details__kind=WORKFLOW_KIND).exists()


@dataclass
class _WfMember:
    user_id: int
    agency_id: uuid.UUID
    kind: str
    joined: dt.date
    left: dt.date | None

    def active(self, day: dt.date) -> bool:
        return self.joined <= day and (self.left is None or self.left > day)


@dataclass
class _WfCase:
    pk: uuid.UUID
    status: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    coordinator: int
    person_id: uuid.UUID
    person_name: str
    birth_date: dt.date
    interpreter: str  # the language, or "" for none
    members: list[_WfMember] = field(default_factory=list)


@dataclass
class _WfRows:
    plans: list[Plan] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    participants: list[MeetingParticipant] = field(default_factory=list)
    decisions: list[MeetingDecision] = field(default_factory=list)
    changes: list[CaseStatusChange] = field(default_factory=list)
    contacts: list[GuardianContact] = field(default_factory=list)


def _wf_cases() -> list[_WfCase]:
    rows = (
        Case.objects.filter(opened_by__username__startswith=USERNAME_PREFIX).order_by("id")
        .values_list("id", "status", "created_at", "closed_at", "opened_by_id", "person_id",
                     "person__given_name", "person__family_name", "person__birth_date",
                     "person__interpreter_needed", "person__interpreter_language")
    )
    cases = {
        pk: _WfCase(pk, status, created, closed, by, person, f"{given} {family}", born,
                    language if needed else "")
        for (pk, status, created, closed, by, person, given, family, born, needed,
             language) in rows
    }
    members = (
        TeamMember.objects.filter(case__opened_by__username__startswith=USERNAME_PREFIX)
        .order_by("case_id", "joined_on", "id")
        .values_list("case_id", "user_id", "agency_id", "agency__type", "joined_on", "left_on")
    )
    for case_id, user_id, agency_id, kind, joined, left in members:
        cases[case_id].members.append(_WfMember(user_id, agency_id, kind, joined, left))
    return list(cases.values())


def _at_time(rng: random.Random, day: dt.date, earliest: dt.datetime,
             latest: dt.datetime) -> dt.datetime:
    """An instant in working hours on `day`, kept between `earliest` and `latest`."""
    return min(max(_at(day, rng), earliest), latest)


def _meeting_at(rng: random.Random, day: dt.date) -> dt.datetime:
    hour, quarter = rng.randint(8, 15), rng.choice([0, 15, 30, 45])
    return dt.datetime.combine(day, dt.time(hour, quarter), tzinfo=clock.OSLO).astimezone(dt.UTC)


def _weekday_on_or_after(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _wf_status_history(rng: random.Random, case: _WfCase, now: dt.datetime,
                       rows: _WfRows) -> None:
    """The moves that led to the case's status: opened into assessment, then active, and for a
    closed case closing (or at once) and closed, with reasons; a few went closing and back."""

    end = case.closed_at or now
    moves: list[tuple[str, str, dt.datetime, str]] = [
        ("", CaseStatus.ASSESSMENT, case.opened_at, "")]
    activated = min(case.opened_at + dt.timedelta(days=rng.randint(3, 21), hours=1),
                    case.opened_at + (end - case.opened_at) / 3)
    moves.append((CaseStatus.ASSESSMENT, CaseStatus.ACTIVE, activated,
                  rng.choice(REASONS[CaseStatus.ACTIVE])))
    if case.closed_at is None and rng.random() < REOPENED_SHARE and (now - activated).days > 60:
        closing = activated + (now - activated) / 2
        back = closing + (now - closing) / 2
        moves.append((CaseStatus.ACTIVE, CaseStatus.CLOSING, closing,
                      rng.choice(REASONS[CaseStatus.CLOSING])))
        moves.append((CaseStatus.CLOSING, CaseStatus.ACTIVE, back,
                      rng.choice(REASONS["reactivated"])))
    if case.closed_at is not None:
        if rng.random() < 0.85:
            closing = max(activated + (case.closed_at - activated) / 2,
                          case.closed_at - dt.timedelta(days=rng.randint(14, 45)))
            moves.append((CaseStatus.ACTIVE, CaseStatus.CLOSING, closing,
                          rng.choice(REASONS[CaseStatus.CLOSING])))
            moves.append((CaseStatus.CLOSING, CaseStatus.CLOSED, case.closed_at,
                          rng.choice(REASONS[CaseStatus.CLOSED])))
        else:
            moves.append((CaseStatus.ACTIVE, CaseStatus.CLOSED, case.closed_at,
                          rng.choice(REASONS[CaseStatus.CLOSED])))
    for from_status, to_status, at, reason in moves:
        rows.changes.append(CaseStatusChange(
            id=_uuid(rng), case_id=case.pk, from_status=from_status, to_status=to_status,
            reason=reason, changed_by_id=case.coordinator, changed_at=at, created_at=at,
            updated_at=at))


def _wf_task(rng: random.Random, case: _WfCase, plan_id: uuid.UUID, goal_ids: list[uuid.UUID],
             member: _WfMember, created: dt.datetime, now: dt.datetime,
             title: str | None = None) -> Task:
    """A task for the member's agency: open, overdue, done with an outcome, or cancelled."""

    today = now.astimezone(clock.OSLO).date()
    created_day = created.astimezone(clock.OSLO).date()
    due = created_day + dt.timedelta(days=rng.randint(7, 90)) if rng.random() < 0.92 else None
    status, outcome, completed = TaskStatus.OPEN, "", None
    if due is not None and due < today:
        roll = rng.random()
        if roll < 0.65:
            status = TaskStatus.DONE
        elif roll < 0.75:
            status = TaskStatus.CANCELLED
    elif rng.random() < 0.15:
        status = TaskStatus.DONE
    updated = created
    if status == TaskStatus.DONE:
        last = min(now, _at(min(due or today, today), rng) + dt.timedelta(days=rng.randint(0, 10)))
        completed = created + (max(last, created) - created) * rng.random()
        outcome, updated = rng.choice(OUTCOMES), completed
    elif status == TaskStatus.CANCELLED:
        outcome = rng.choice(CANCEL_REASONS)
        updated = min(now, created + dt.timedelta(days=rng.randint(1, 30)))
    return Task(
        id=_uuid(rng), plan_id=plan_id,
        goal_id=rng.choice(goal_ids) if goal_ids and rng.random() < 0.8 else None,
        title=title or rng.choice(TASKS_BY_TYPE.get(member.kind, TASKS_BY_TYPE[AgencyType.BYDEL])),
        agency_id=member.agency_id, assignee_id=member.user_id, due_on=due, status=status,
        outcome=outcome, completed_at=completed,
        family_visible=member.kind not in (AgencyType.BARNEVERN, AgencyType.HELSE)
        or rng.random() < 0.3,
        created_by_id=case.coordinator if rng.random() < 0.6 else member.user_id,
        created_at=created, updated_at=updated,
    )


def _came(rng: random.Random, held: bool) -> bool | None:
    """Attendance: recorded for a held meeting, unknown before."""
    return rng.random() < 0.85 if held else None


def _wf_meetings(rng: random.Random, case: _WfCase, now: dt.datetime, names_by_user: dict,
                 guardians: list[tuple[uuid.UUID, str]], rows: _WfRows) -> list[tuple]:
    """0–3 meetings over the case's life (held with minutes, a few cancelled or still without
    minutes), one on a weekday of this week for some, one planned ahead for others. Returns the
    held meetings as (meeting id, minutes time) for their decisions."""

    today = now.astimezone(clock.OSLO).date()
    opened = case.opened_at.astimezone(clock.OSLO).date()
    days = sorted(_day_between(rng, opened + dt.timedelta(days=7), today - dt.timedelta(days=1))
                  for _ in range(rng.choice([0, 1, 1, 2, 2, 3])))
    days = [d for d in days if opened < d < today]
    if rng.random() < MEETING_THIS_WEEK_SHARE:
        monday = today - dt.timedelta(days=today.weekday())
        this_week = monday + dt.timedelta(days=rng.randint(0, 4))
        if this_week > opened:
            days.append(this_week)
    elif rng.random() < MEETING_AHEAD_SHARE / (1 - MEETING_THIS_WEEK_SHARE):
        days.append(_weekday_on_or_after(today + dt.timedelta(days=rng.randint(7, 28))))
    held: list[tuple] = []
    for day in days:
        starts = _meeting_at(rng, _weekday_on_or_after(day) if day < today else day)
        past = starts < now
        status = MeetingStatus.PLANNED
        if past:
            roll = rng.random()
            status = (MeetingStatus.HELD if roll < 0.85 else
                      MeetingStatus.CANCELLED if roll < 0.92 else MeetingStatus.PLANNED)
        created = max(case.opened_at, starts - dt.timedelta(days=rng.randint(7, 21)))
        created = min(created, now)
        minutes_at = None
        if status == MeetingStatus.HELD:
            minutes_at = min(now, starts + dt.timedelta(hours=rng.randint(1, 48)))
        meeting = Meeting(
            id=_uuid(rng), case_id=case.pk, starts_at=starts, place=rng.choice(PLACES),
            interpreter_needed=bool(case.interpreter), interpreter_language=case.interpreter,
            agenda="1. Status fra hver virksomhet\n2. Oppgaver i planen\n3. Veien videre",
            status=status, minutes=rng.choice(MINUTES) if minutes_at else "",
            minutes_by_id=case.coordinator if minutes_at else None, minutes_at=minutes_at,
            created_by_id=case.coordinator, created_at=created,
            updated_at=minutes_at or created,
        )
        rows.meetings.append(meeting)
        meeting_day = starts.astimezone(clock.OSLO).date()

        was_held = status == MeetingStatus.HELD

        for member in case.members:
            if member.active(meeting_day):
                rows.participants.append(MeetingParticipant(
                    id=_uuid(rng), meeting_id=meeting.pk, kind=ParticipantKind.TEAM,
                    user_id=member.user_id, agency_id=member.agency_id,
                    name=names_by_user.get(member.user_id, ""), attended=_came(rng, was_held),
                    created_at=created, updated_at=created))
        if rng.random() < 0.6:
            rows.participants.append(MeetingParticipant(
                id=_uuid(rng), meeting_id=meeting.pk, kind=ParticipantKind.YOUNG_PERSON,
                name=case.person_name, attended=_came(rng, was_held), created_at=created,
                updated_at=created))
        if guardians and age_on(case.birth_date, meeting_day) < 18 and rng.random() < 0.6:
            guardian_id, name = rng.choice(guardians)
            rows.participants.append(MeetingParticipant(
                id=_uuid(rng), meeting_id=meeting.pk, kind=ParticipantKind.GUARDIAN,
                guardian_id=guardian_id, name=name, attended=_came(rng, was_held),
                created_at=created, updated_at=created))
        if case.interpreter:
            rows.participants.append(MeetingParticipant(
                id=_uuid(rng), meeting_id=meeting.pk, kind=ParticipantKind.INTERPRETER,
                attended=_came(rng, was_held), created_at=created, updated_at=created))
        if minutes_at is not None:
            held.append((meeting.pk, minutes_at))
    return held


def _wf_case(rng: random.Random, case: _WfCase, now: dt.datetime, names_by_user: dict,
             guardians: list[tuple[uuid.UUID, str]], rows: _WfRows) -> None:
    """An open case's plan (1–3 goals, 2–8 tasks for agencies on the team, some from meeting
    decisions), its meetings and a few contacts with the guardians."""

    today = now.astimezone(clock.OSLO).date()
    opened_day = case.opened_at.astimezone(clock.OSLO).date()
    active = [m for m in case.members if m.active(today)] or case.members
    plan_id = _uuid(rng)
    changes = 0
    latest = case.opened_at
    goal_ids = []
    for position, (title, indicator) in enumerate(rng.sample(GOALS, rng.randint(1, 3))):
        at = _at_time(rng, _day_between(rng, opened_day, opened_day + dt.timedelta(days=30)),
                      case.opened_at, now)
        reached = (today - opened_day).days > 180 and rng.random() < 0.15
        rows.goals.append(Goal(
            id=_uuid(rng), plan_id=plan_id, title=title, indicator=indicator,
            status=GoalStatus.REACHED if reached else GoalStatus.ACTIVE, position=position,
            created_by_id=case.coordinator, created_at=at, updated_at=at))
        goal_ids.append(rows.goals[-1].pk)
        changes += 1 + reached
        latest = max(latest, at)
    held = _wf_meetings(rng, case, now, names_by_user, guardians, rows)
    first_task = len(rows.tasks)
    budget = rng.randint(2, 8)
    for meeting_id, minutes_at in held:
        for _ in range(rng.choice([0, 1, 1, 2])):
            text = rng.choice(DECISIONS)
            task: Task | None = None
            if budget > 0 and rng.random() < 0.6:
                member = rng.choice(active)
                task = _wf_task(rng, case, plan_id, goal_ids, member, minutes_at, now,
                                title=text)
                rows.tasks.append(task)
                budget -= 1
            rows.decisions.append(MeetingDecision(
                id=_uuid(rng), meeting_id=meeting_id, text=text,
                task_id=task.pk if task else None,
                created_at=minutes_at, updated_at=minutes_at))
    for _ in range(budget):
        created = _at_time(rng, _day_between(rng, opened_day, today), case.opened_at, now)
        rows.tasks.append(_wf_task(rng, case, plan_id, goal_ids, rng.choice(active), created,
                                   now))
    for task in rows.tasks[first_task:]:
        changes += 1 + (task.status != TaskStatus.OPEN)
        latest = max(latest, task.updated_at)
    rows.plans.append(Plan(id=plan_id, case_id=case.pk, version=changes,
                           changed_by_id=case.coordinator, created_at=case.opened_at,
                           updated_at=latest))
    if guardians and age_on(case.birth_date, today) < 18:
        bydel = [m for m in case.members if m.kind == AgencyType.BYDEL] or case.members
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            by = rng.choice(bydel if rng.random() < 0.7 else case.members)
            day = _day_between(rng, opened_day, today)
            at = _at_time(rng, day, case.opened_at, now)
            rows.contacts.append(GuardianContact(
                id=_uuid(rng), case_id=case.pk, guardian_id=rng.choice(guardians)[0],
                contacted_on=day, channel=rng.choice(ContactChannel.values),
                interpreter_used=bool(case.interpreter) and rng.random() < 0.7,
                note=rng.choice(CONTACT_NOTES), by_user_id=by.user_id, by_agency_id=by.agency_id,
                created_at=at, updated_at=at))


def _wf_concerns(rng: random.Random, now: dt.datetime,
                 with_case: set[uuid.UUID]) -> list[Concern]:
    """A few new concerns in each bydel, from its schools, police and youth club, about young
    persons without a case (a few not registered yet), waiting for the coordinator."""

    today = now.astimezone(clock.OSLO).date()
    agencies = list(
        Agency.objects.filter(code__startswith=CODE_PREFIX, district__isnull=False,
                              type__in=[AgencyType.SKOLE, AgencyType.POLITI, AgencyType.FRITID])
        .order_by("code").values_list("id", "district_id"))
    staff: dict[uuid.UUID, list[int]] = {}
    for agency_id, user_id in (Membership.objects.filter(agency_id__in=[a for a, _d in agencies],
                                                         role=Role.CASEWORKER)
                               .order_by("user_id").values_list("agency_id", "user_id")):
        staff.setdefault(agency_id, []).append(user_id)
    persons: dict[str, list[tuple]] = {}
    young = Person.objects.filter(
        is_synthetic=True, birth_date__lte=today - dt.timedelta(days=10 * 366),
        birth_date__gt=today - dt.timedelta(days=22 * 365)).order_by("id").values_list(
        "id", "district_id", "national_id", "given_name", "family_name", "birth_date")
    for row in young:
        if row[0] not in with_case:
            persons.setdefault(row[1], []).append(row)
    by_district: dict[str, list[uuid.UUID]] = {}
    for agency_id, district_id in agencies:
        if staff.get(agency_id):
            by_district.setdefault(district_id, []).append(agency_id)
    rows: list[Concern] = []
    for district_id, agency_ids in sorted(by_district.items()):
        candidates = persons.get(district_id, [])
        for _ in range(rng.randint(*NEW_CONCERNS_PER_DISTRICT)):
            agency_id = rng.choice(agency_ids)
            at = now - dt.timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 600))
            if candidates and rng.random() < 0.8:
                pk, _d, number, given, family, born = candidates.pop(
                    rng.randrange(len(candidates)))
            else:
                pk, number = None, None
                given, family = rng.choice(names.GIVEN_NAMES), rng.choice(names.FAMILY_NAMES)
                born = today - dt.timedelta(days=rng.randint(11 * 365, 17 * 365))
            rows.append(Concern(
                id=_uuid(rng), district_id=district_id, person_id=pk, national_id=number,
                given_name=given, family_name=family, birth_date=born,
                text=rng.choice(CONCERN_TEXTS) + " (syntetisk)",
                submitted_by_id=rng.choice(staff[agency_id]), submitting_agency_id=agency_id,
                submitted_at=at, status=ConcernStatus.NEW, created_at=at, updated_at=at))
    return rows


def build_workflow(*, seed: int = 2026, progress: Progress | None = None) -> WorkflowSummary:
    """Give the scale cases a realistic SaLTo workflow, or do nothing if it is already there:
    for every case its status history; for every open case a plan with 1–3 goals and 2–8 tasks
    for agencies on the team (some overdue, some done with an outcome, some from meeting
    decisions), 0–3 meetings (held with minutes and attendance, a few cancelled or without
    minutes; one this week for some, one ahead for others) and a few contacts with guardians;
    and a few new concerns in each bydel. Bulk inserts in one transaction. Raises DomainError
    when the database holds no scale seed."""

    if workflow_exists():
        return WorkflowSummary(created=False, seed=seed, plans=Plan.objects.count(),
                               tasks=Task.objects.count(), meetings=Meeting.objects.count())
    if not existing_seed():
        raise DomainError("no scale seed here: run seed_scale first", code="no_scale_seed")
    started = time.monotonic()
    rng = random.Random(f"{seed}-workflow")
    now = clock.now()
    summary = WorkflowSummary(created=True, seed=seed)
    with transaction.atomic():
        cases = _wf_cases()
        names_by_user = {
            pk: f"{first} {last}".strip() for pk, first, last in User.objects.filter(
                username__startswith=USERNAME_PREFIX).values_list("id", "first_name",
                                                                  "last_name")}
        guardians: dict[uuid.UUID, list[tuple[uuid.UUID, str]]] = {}
        for pk, person_id, given, family in (
                Guardian.objects.filter(is_synthetic=True, parental_responsibility=True)
                .order_by("person_id", "id")
                .values_list("id", "person_id", "given_name", "family_name")):
            guardians.setdefault(person_id, []).append((pk, f"{given} {family}"))
        rows = _WfRows()
        progress = progress or Progress(enabled=False)
        progress.phase("workflow", len(cases))
        for case in cases:
            progress.advance()
            _wf_status_history(rng, case, now, rows)
            if case.closed_at is None and case.status != CaseStatus.CLOSED:
                _wf_case(rng, case, now, names_by_user, guardians.get(case.person_id, []), rows)
        progress.done()
        concerns = _wf_concerns(rng, now, {c.person_id for c in cases})
        # In dependency order (plans before goals and tasks, meetings before participants).
        copy_insert(CaseStatusChange, rows.changes)
        copy_insert(Plan, rows.plans)
        copy_insert(Goal, rows.goals)
        copy_insert(Task, rows.tasks)
        copy_insert(Meeting, rows.meetings)
        copy_insert(MeetingParticipant, rows.participants)
        copy_insert(MeetingDecision, rows.decisions)
        copy_insert(GuardianContact, rows.contacts)
        copy_insert(Concern, concerns)
        summary.plans, summary.goals, summary.tasks = (len(rows.plans), len(rows.goals),
                                                       len(rows.tasks))
        summary.meetings, summary.participants = len(rows.meetings), len(rows.participants)
        summary.decisions, summary.status_changes = len(rows.decisions), len(rows.changes)
        summary.guardian_contacts, summary.concerns = len(rows.contacts), len(concerns)
        audit_record(
            action=Action.DEMO_SEED, actor=None, purpose=Purpose.REGISTRERING,
            details={"kind": WORKFLOW_KIND, "seed": seed, "plans": summary.plans,
                     "tasks": summary.tasks, "meetings": summary.meetings},
        )
    _analyze()
    summary.seconds = round(time.monotonic() - started, 1)
    return summary
