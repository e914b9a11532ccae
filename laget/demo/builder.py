"""Synthetic Oslo for the demo: agencies in three pilot bydeler, staff in every role, and some
300 young persons with guardians. Deterministic from a seed; running it again changes nothing."""

import base64
import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field

from django.db import transaction

from laget.accounts import services as account_services
from laget.accounts.models import Agency, AgencyType, Membership, Role, User
from laget.areas.models import District, Subdistrict
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.demo import names
from laget.demo.analytics import build_analytics
from laget.demo.cases import build_cases
from laget.demo.familysupport import build_familysupport
from laget.demo.intensive import build_intensive
from laget.demo.lifecycle import build_lifecycle
from laget.demo.mentors import build_mentors
from laget.demo.pathways import build_pathways
from laget.demo.reentry import build_reentry
from laget.demo.schools import build_schools
from laget.demo.workflow import build_workflow
from laget.people import services as people_services
from laget.people.identifiers import synthetic_national_id
from laget.people.models import GuardianRelation, IdKind, Language, Person

DEMO_PASSWORD = "Laget-demo-2026"  # noqa: S105 — synthetic demo users only, printed by make demo
REFERENCE_DATE = dt.date(2026, 1, 1)  # birth dates are fixed against this day, not today
PILOT_DISTRICTS = {"030111": "stovner", "030115": "sondre-nordstrand", "030101": "gamle-oslo"}
LANGUAGES = [Language.NB] * 6 + [Language.AR, Language.SO, Language.UR, Language.PL,
                                 Language.TI, Language.EN]


@dataclass
class DemoLogin:
    username: str
    name: str
    role: str
    agency: str
    totp_secret: str


@dataclass
class DemoSummary:
    agencies: int = 0
    users: int = 0
    persons: int = 0
    created_persons: int = 0
    created_cases: int = 0
    logins: list[DemoLogin] = field(default_factory=list)


def totp_key_hex(seed: int, username: str) -> str:
    """A stable 20-byte TOTP key per demo user, so the printed secrets stay valid across runs."""
    return hashlib.sha256(f"laget-demo:{seed}:{username}".encode()).hexdigest()[:40]


def totp_secret_b32(key_hex: str) -> str:
    return base64.b32encode(bytes.fromhex(key_hex)).decode()


def _agency(code: str, name: str, kind: AgencyType, district: District | None) -> Agency:
    agency, _created = Agency.objects.update_or_create(
        code=code,
        defaults={"name": name, "type": kind, "district": district, "is_synthetic": True},
    )
    return agency


def _agencies() -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for code, slug in PILOT_DISTRICTS.items():
        district = District.objects.get(code=code)
        name = district.name
        agencies[f"bydel-{slug}"] = _agency(f"bydel-{slug}", f"Bydel {name}", AgencyType.BYDEL,
                                            district)
        agencies[f"barnevern-{slug}"] = _agency(
            f"barnevern-{slug}", f"Barneverntjenesten i bydel {name}", AgencyType.BARNEVERN,
            district)
        agencies[f"nav-{slug}"] = _agency(f"nav-{slug}", f"NAV {name}", AgencyType.NAV, district)
        agencies[f"helse-{slug}"] = _agency(
            f"helse-{slug}", f"Helsestasjon for ungdom {name}", AgencyType.HELSE, district)
        agencies[f"fritid-{slug}"] = _agency(
            f"fritid-{slug}", f"{name} fritidsklubb", AgencyType.FRITID, district)
        agencies[f"skole-{slug}-1"] = _agency(
            f"skole-{slug}-1", f"{name} ungdomsskole (demo)", AgencyType.SKOLE, district)
        agencies[f"skole-{slug}-2"] = _agency(
            f"skole-{slug}-2", f"{name} videregående skole (demo)", AgencyType.SKOLE, district)
        agencies[f"politi-{slug}"] = _agency(
            f"politi-{slug}", f"Oslo politidistrikt, forebyggende {name}", AgencyType.POLITI,
            district)
    city = {
        "kriminalomsorg-oslo": ("Kriminalomsorgen region sør-øst, Oslo friomsorgskontor",
                                AgencyType.KRIMINALOMSORG),
        "konfliktraad-oslo": ("Konfliktrådet i Oslo", AgencyType.KONFLIKTRAAD),
        "domstol-oslo": ("Oslo tingrett", AgencyType.DOMSTOL),
        "by-salto": ("Velferdsetaten, SaLTo-sekretariatet", AgencyType.BY),
        "by-analyse": ("Byrådsavdeling for finans, analyse", AgencyType.BY),
        "by-kontroll": ("Kommunerevisjonen", AgencyType.BY),
        # schools: the city-wide ambulant team (settings.LAGET_AMBULANT_TEAM_AGENCY)
        "oslo-ambulant-team": ("Ambulant team mot mobbing, vold og trusler", AgencyType.BY),
    }
    for code, (name, kind) in city.items():
        agencies[code] = _agency(code, name, kind, None)
    return agencies


# (username prefix, given name, family name, role, agency key) — {slug} is the pilot bydel.
PER_DISTRICT_STAFF = [
    ("koordinator", "Kari", "Koordinator", Role.COORDINATOR, "bydel-{slug}"),
    ("saksbehandler", "Sindre", "Saksbehandler", Role.CASEWORKER, "bydel-{slug}"),
    ("leder", "Lise", "Leder", Role.LEADER, "bydel-{slug}"),
    ("barnevern", "Berit", "Barnevern", Role.CASEWORKER, "barnevern-{slug}"),
    ("nav", "Nils", "Navrådgiver", Role.CASEWORKER, "nav-{slug}"),
    ("helse", "Helga", "Helsesykepleier", Role.CASEWORKER, "helse-{slug}"),
    ("fritid", "Frank", "Fritidsleder", Role.CASEWORKER, "fritid-{slug}"),
    ("skole", "Sara", "Rådgiver", Role.CASEWORKER, "skole-{slug}-1"),
    ("rektor", "Rolf", "Rektor", Role.LEADER, "skole-{slug}-2"),
    ("laerer", "Live", "Lærer", Role.CASEWORKER, "skole-{slug}-2"),
    ("politi", "Petter", "Politi", Role.CASEWORKER, "politi-{slug}"),
    ("politileder", "Pia", "Politileder", Role.LEADER, "politi-{slug}"),
    ("patale", "Paula", "Påtalejurist", Role.PROSECUTOR, "politi-{slug}"),
]
CITY_STAFF = [
    ("kriminalomsorg", "Kristin", "Kriminalomsorg", Role.CASEWORKER, "kriminalomsorg-oslo"),
    ("konfliktraad", "Kjell", "Konfliktråd", Role.CASEWORKER, "konfliktraad-oslo"),
    ("domstol", "Dina", "Dommerfullmektig", Role.CASEWORKER, "domstol-oslo"),
    ("salto", "Sigrid", "Sekretariat", Role.COORDINATOR, "by-salto"),
    ("analytiker", "Anita", "Analytiker", Role.ANALYST, "by-analyse"),
    ("revisor", "Reidar", "Revisor", Role.AUDITOR, "by-kontroll"),
    ("admin", "Ada", "Administrator", Role.ADMIN, "by-salto"),
    ("ambulant.leder", "Amalie", "Teamleder", Role.LEADER, "oslo-ambulant-team"),
    ("ambulant", "Ali", "Ambulant team", Role.CASEWORKER, "oslo-ambulant-team"),
]


def _staff(seed: int, agencies: dict[str, Agency], summary: DemoSummary) -> None:
    rows = [
        (f"{prefix}.{slug}", given, family, role, key.format(slug=slug))
        for slug in PILOT_DISTRICTS.values()
        for prefix, given, family, role, key in PER_DISTRICT_STAFF
    ] + [(prefix, given, family, role, key) for prefix, given, family, role, key in CITY_STAFF]
    for username, given, family, role, key in rows:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = account_services.user_create(
                username=username, first_name=given, last_name=f"{family} (demo)",
                email=f"{username}@demo.laget.invalid", password=DEMO_PASSWORD, validate=False,
            )
        if role == Role.ADMIN and not user.is_staff:
            user.is_staff = True
            user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        agency = agencies[key]
        if not Membership.objects.filter(user=user, agency=agency, role=role).exists():
            account_services.membership_add(
                user=user, agency=agency, role=role, valid_from=REFERENCE_DATE
            )
        key_hex = totp_key_hex(seed, username)
        device = user.totpdevice_set.filter(confirmed=True).first()
        if device is None or device.key != key_hex:
            account_services.totp_device_set(user=user, key_hex=key_hex)
        summary.logins.append(DemoLogin(
            username=username, name=f"{given} {family}", role=Role(role).label,
            agency=agency.name, totp_secret=totp_secret_b32(key_hex),
        ))
    summary.users = len(rows)


def _birth_date(rng: random.Random) -> dt.date:
    age_days = rng.randint(10 * 365 + 3, 24 * 365)
    return REFERENCE_DATE - dt.timedelta(days=age_days)


def _persons(rng: random.Random, count: int, agencies: dict[str, Agency],
             summary: DemoSummary) -> None:
    districts = {code: District.objects.get(code=code) for code in PILOT_DISTRICTS}
    subdistricts = {
        code: list(Subdistrict.objects.filter(district_id=code, boundary__isnull=False)
                   .order_by("code"))
        for code in PILOT_DISTRICTS
    }
    created = 0
    for index in range(count):
        code = list(PILOT_DISTRICTS)[index % len(PILOT_DISTRICTS)]
        birth_date = _birth_date(rng)
        kind = IdKind.DNR if rng.random() < 0.06 else IdKind.FNR
        number = synthetic_national_id(birth_date=birth_date, rng=rng, kind=kind)
        has_number = rng.random() > 0.03  # a few newly arrived youths without a number yet
        given, family = rng.choice(names.GIVEN_NAMES), rng.choice(names.FAMILY_NAMES)
        language = rng.choice(LANGUAGES)
        interpreter = language not in (Language.NB, Language.EN) and rng.random() < 0.5
        subdistrict = rng.choice(subdistricts[code]) if subdistricts[code] else None
        guardian_plan = [
            (rng.choice(names.ADULT_GIVEN_NAMES), GuardianRelation.MOTHER if i == 0
             else GuardianRelation.FATHER, rng.random() < 0.04)
            for i in range(rng.choice([1, 2, 2]))
        ]
        phone_digits = [rng.randint(0, 9) for _ in range(7)]
        lookup = {"national_id": number} if has_number else {
            "given_name": given, "family_name": family, "birth_date": birth_date,
            "id_kind": IdKind.NONE}
        if Person.objects.filter(**lookup).exists():
            continue
        person = people_services.person_create(
            data={
                "national_id": number if has_number else "",
                "birth_date": birth_date,
                "given_name": given, "family_name": family,
                "district": districts[code], "subdistrict": subdistrict,
                "preferred_language": language, "interpreter_needed": interpreter,
                "interpreter_language": language if interpreter else "",
                "is_synthetic": True,
            },
            registered_by_agency=agencies[f"bydel-{PILOT_DISTRICTS[code]}"],
        )
        created += 1
        if person.age_on(REFERENCE_DATE) < 18:
            for adult, relation, restricted in guardian_plan:
                people_services.guardian_create(person=person, data={
                    "given_name": adult, "family_name": family, "relation": relation,
                    "parental_responsibility": True, "restricted_contact": restricted,
                    "phone": "9" + "".join(map(str, phone_digits)),
                    "email": f"{adult.lower()}.{index}@demo.laget.invalid",
                    "preferred_language": language, "interpreter_needed": interpreter,
                    "is_synthetic": True,
                })
    summary.created_persons = created
    summary.persons = Person.objects.filter(is_synthetic=True).count()


@transaction.atomic
def build_demo(*, seed: int = 2026, persons: int = 300) -> DemoSummary:
    rng = random.Random(seed)
    summary = DemoSummary()
    agencies = _agencies()
    summary.agencies = len(agencies)
    _staff(seed, agencies, summary)
    _persons(rng, persons, agencies, summary)
    summary.created_cases = build_cases(rng=random.Random(seed + 1), districts=PILOT_DISTRICTS)
    build_workflow(rng=random.Random(seed + 2), districts=PILOT_DISTRICTS)
    build_intensive(districts=PILOT_DISTRICTS)
    build_pathways(districts=PILOT_DISTRICTS)
    build_mentors(districts=PILOT_DISTRICTS)
    build_familysupport(districts=PILOT_DISTRICTS)
    build_schools(districts=PILOT_DISTRICTS)
    build_reentry(districts=PILOT_DISTRICTS)
    build_lifecycle(districts=PILOT_DISTRICTS)
    build_analytics()  # last: it counts what the others made
    if summary.created_persons:
        audit_record(
            action=Action.DEMO_SEED, actor=None, purpose=Purpose.REGISTRERING,
            details={"seed": seed, "persons_created": summary.created_persons},
        )
    return summary
