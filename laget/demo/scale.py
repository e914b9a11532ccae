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
from laget.core import clock
from laget.core.errors import DomainError
from laget.demo import names
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
        Person.objects.bulk_create(batch)
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
        Case.objects.bulk_create(batch)
    for batch in _batches(member_rows):
        TeamMember.objects.bulk_create(batch)


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
        CaseMarker.objects.bulk_create(batch)
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
        Guardian.objects.bulk_create(batch)
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

    def flush(self, force: bool = False) -> None:
        if len(self.entries) < 4 * BATCH and not force:
            return
        self.written += entries_bulk_create(self.entries, batch_size=BATCH)
        Consent.objects.bulk_create(self.consents, batch_size=BATCH)
        Consent.guardians.through.objects.bulk_create(self.guardian_links, batch_size=BATCH)
        ConsentGrant.objects.bulk_create(self.grants, batch_size=BATCH)
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
                  guardians: dict[uuid.UUID, list[uuid.UUID]]) -> _Entries:
    rng = world.rng
    weights = []
    for case in cases:
        span = ((case.closed or world.today) - case.opened).days + 30
        weights.append(span * rng.lognormvariate(0, 0.6))
    counts = _allocate(total, weights)
    out = _Entries()
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


def build_scale(*, size: ScaleSize, seed: int = 2026) -> ScaleSummary:
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

    with transaction.atomic():
        mark = time.monotonic()
        rulebook_load(text=DEFAULT_RULEBOOK.read_text(encoding="utf-8"),
                      file_name=DEFAULT_RULEBOOK.name)
        _make_agencies(world)
        summary.agencies = len(world.agencies)
        if size.users < summary.agencies:
            raise DomainError(f"--users must be at least {summary.agencies} (one per agency)",
                              code="users")
        persons = _make_persons(world, size.persons)
        summary.persons = len(persons)
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
        written = _make_entries(world, cases, size.entries, guardians)
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
