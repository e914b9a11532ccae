"""Demo cases: in each pilot bydel a dozen SaLTo cases with teams, entries from every agency,
consents, a programme and a weapon trigger, so that every sharing situation can be seen. Written
through the real services (audited); deterministic; skipped when the bydel already has cases.
Most cases are active; in each dozen one is still in assessment, one is closing and one closed."""

import datetime as dt
import random
from dataclasses import dataclass

from django.conf import settings

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, Membership, User
from laget.cases.services import case_open, case_transition
from laget.core import clock
from laget.people.models import Person
from laget.records.models import Case, CaseStatus, MarkerKind
from laget.records.services import case_marker_add, team_member_add
from laget.records.vocabulary import InfoCategory, Programme
from laget.sharing import services as sharing_services
from laget.sharing.rulebook import DEFAULT_RULEBOOK, rulebook_load

TEXTS: dict[str, list[str]] = {
    InfoCategory.SKOLE: [
        "Fravær 18 % siste seks uker, mest første time. Kontaktlærer har hatt samtale med eleven.",
        "Konflikt i friminuttet med elever fra parallellklassen; miljøterapeut følger opp.",
        "Eleven har fått tilbud om leksehjelp to dager i uken og har møtt opp begge gangene.",
    ],
    InfoCategory.POLITI: [
        "Bekymringssamtale gjennomført med den unge og foresatte etter hendelse på t-banen.",
        "Observert sammen med eldre ungdom med kjent tilknytning til kriminelt miljø.",
        "Anmeldt for innbrudd i bod; saken er under etterforskning.",
    ],
    InfoCategory.BARNEVERN: [
        "Undersøkelsessak åpnet etter melding fra skolen.",
        "Familien har takket ja til foreldreveiledning (hjelpetiltak).",
    ],
    InfoCategory.HELSE: [
        "Har hatt samtaler hos helsesykepleier om søvn og stress.",
    ],
    InfoCategory.NAV: [
        "Registrert som arbeidssøker; ønsker sommerjobb og er henvist til jobbprogram.",
    ],
    InfoCategory.AKTIVITET: [
        "Møter jevnlig på fritidsklubben tirsdag og torsdag; deltar i musikkstudio.",
        "Har begynt på fotballtrening to ganger i uken.",
    ],
    InfoCategory.PLAN: [
        "Mål: stabilt oppmøte på skolen. Tiltak: morgenkontakt, leksehjelp, fast aktivitet.",
        "Koordinerende møte avtalt om tre uker; alle i teamet melder status før møtet.",
    ],
}
SOURCE_CATEGORY = {
    "skole": InfoCategory.SKOLE, "politi": InfoCategory.POLITI,
    "barnevern": InfoCategory.BARNEVERN, "helse": InfoCategory.HELSE, "nav": InfoCategory.NAV,
    "fritid": InfoCategory.AKTIVITET, "bydel": InfoCategory.PLAN,
}


@dataclass(frozen=True)
class _Worker:
    actor: Actor

    @property
    def agency(self) -> Agency:
        assert self.actor.agency is not None
        return self.actor.agency


def _worker(username: str) -> _Worker:
    user = User.objects.get(username=username)
    membership = Membership.objects.select_related("agency").filter(user=user).first()
    return _Worker(Actor(user, membership))


def build_cases(*, rng: random.Random, districts: dict[str, str], per_district: int = 12) -> int:
    """Open demo cases in each pilot bydel (code → slug). Returns the number created."""
    today = clock.today()
    # Loaded a year back: the demo's history (cases, plans, police registrations with the clock
    # turned back) happens under this rulebook, as it would have in a city that has used Laget.
    with clock.frozen(dt.datetime.combine(today - dt.timedelta(days=365), dt.time(8),
                                          tzinfo=clock.OSLO)):
        rulebook_load(text=DEFAULT_RULEBOOK.read_text(encoding="utf-8"),
                      file_name=DEFAULT_RULEBOOK.name)
    created = 0
    for code, slug in districts.items():
        if Case.objects.filter(district_id=code).exists():
            continue
        staff = {name: _worker(f"{name}.{slug}") for name in
                 ("koordinator", "skole", "politi", "barnevern", "helse", "nav", "fritid")}
        coordinator = staff["koordinator"]
        candidates = [
            p for p in Person.objects.filter(district_id=code, is_synthetic=True)
            .prefetch_related("guardians").order_by("national_id", "given_name")
            if settings.LAGET_SALTO_MIN_AGE <= p.age_on(today) <= 21
        ]
        for index, person in enumerate(candidates[:per_district]):
            age = person.age_on(today)
            case = case_open(actor=coordinator.actor, person=person)
            members = ["skole", "politi", "fritid"]
            if index % 3 == 0:
                members.append("barnevern")
            if index % 4 == 1:
                members.append("helse")
            if age >= 16:
                members.append("nav")
            for name in members:
                team_member_add(actor=coordinator.actor, case=case, user=staff[name].actor.user,
                                agency=staff[name].agency)
            for name in ["koordinator", *members]:
                worker = staff[name]
                category = SOURCE_CATEGORY[worker.agency.type]
                for text in rng.sample(TEXTS[category], k=min(2, len(TEXTS[category]))):
                    sharing_services.entry_add(actor=worker.actor, case=case, category=category,
                                               text=text)
            guardians = [g for g in person.guardians.all() if g.parental_responsibility]
            if index % 2 == 0 and (guardians or age >= 18):
                _consent(coordinator.actor, case, person, guardians, age, today)
            if index == 1:
                case_marker_add(actor=coordinator.actor, case=case, kind=MarkerKind.PROGRAMME,
                                programme=Programme.INTENSIV_OPPFOLGING)
            if index == 2 and age < 18:
                case_marker_add(actor=staff["politi"].actor, case=case,
                                kind=MarkerKind.WEAPON_TRIGGER)
            _move(coordinator.actor, case, index)
            created += 1
    return created


#: position in each dozen → the moves after assessment (the rest become active)
_MOVES: dict[int, list[tuple[CaseStatus, str]]] = {
    5: [],
    7: [(CaseStatus.ACTIVE, "Kartlegging viser behov for koordinert innsats."),
        (CaseStatus.CLOSING, "Målene i planen er nådd; avslutning avtalt i teammøtet.")],
    11: [(CaseStatus.ACTIVE, "Kartlegging viser behov for koordinert innsats."),
         (CaseStatus.CLOSED, "Familien har flyttet ut av Oslo.")],
}
_ACTIVE = [(CaseStatus.ACTIVE, "Kartlegging viser behov for koordinert innsats.")]


def _move(actor: Actor, case: Case, index: int) -> None:
    for status, reason in _MOVES.get(index % 12, _ACTIVE):
        case_transition(actor=actor, case=case, to=status, reason=reason)


def _consent(actor: Actor, case: Case, person: Person, guardians: list, age: int,
             today: dt.date) -> None:
    given_by = "youth" if age >= 18 else ("both" if age >= 16 else "guardian")
    sharing_services.consent_register(
        actor=actor, case=case, given_by=given_by,
        guardian_ids=[g.pk for g in guardians] if given_by != "youth" else [],
        method="signed_form",
        categories=[InfoCategory.SKOLE, InfoCategory.AKTIVITET, InfoCategory.PLAN],
        recipients=["bydel", "skole", "politi", "fritid"],
        purposes=["forebygging", "oppfolging"],
        valid_from=today - dt.timedelta(days=10), valid_to=today + dt.timedelta(days=365),
        youth_view="Syntetisk: den unge er enig i at skole, klubb og politi snakker sammen.",
    )
