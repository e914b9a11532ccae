"""Unge forbilder in the demo: one programme per pilot bydel, run by the bydel (or, in the last
pilot bydel, its youth club), with criteria from the source paper's idea of young role models. In
the first pilot bydel the club's caseworker has applied for four young people through the real
services (audited, the clock turned back): one enrolled — with a course, a trip and a part-time
job, and a younger mentee referred by the school — one on the waitlist, one rejected and one
waiting for assessment. Skipped for a bydel whose programme already exists."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import Q

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, Membership, Role
from laget.areas.models import District
from laget.core import clock
from laget.mentors import services
from laget.mentors.models import Application, Programme
from laget.mentors.services import Consent, Decision
from laget.pathways.models import JOB_KINDS, Offer
from laget.people.models import Person

CRITERIA = [
    ("Har fullført eller er i videregående opplæring eller jobb", True),
    ("Har ikke nye registreringer hos politiet siste 12 måneder", True),
    ("Anbefalt av en voksen som kjenner den unge (skole, klubb, trener eller NAV)", True),
    ("Har vist at de vil hjelpe yngre, for eksempel som aktivitetsleder eller frivillig", False),
]
DESCRIPTION = (
    "Unge som har tatt gode valg, blir forbilder for yngre i bydelen. De får kurs, turer og "
    "hjelp til deltidsjobb, og blir mentorer for barn og unge som trenger noen å se opp til.")


@contextmanager
def _at(day: dt.date, hour: int = 10) -> Iterator[None]:
    with clock.frozen(dt.datetime.combine(day, dt.time(hour), tzinfo=clock.OSLO)):
        yield


def _actor(agency: Agency, role: str = Role.CASEWORKER) -> Actor | None:
    membership = (Membership.objects.select_related("agency", "user")
                  .filter(agency=agency, role=role).order_by("created_at").first())
    return Actor(membership.user, membership) if membership else None


def _agency(code: str) -> Agency | None:
    return Agency.objects.filter(code=code).first()


def build_mentors(*, districts: dict[str, str]) -> int:
    """Create the pilot bydeler's programmes and the first one's applications. Returns the number
    of programmes created."""
    created = 0
    slugs = list(districts.items())
    for index, (code, slug) in enumerate(slugs):
        runs_club = index == len(slugs) - 1
        agency = _agency(f"fritid-{slug}" if runs_club else f"bydel-{slug}")
        if agency is None or Programme.objects.filter(agency=agency).exists():
            continue
        district = District.objects.get(code=code)
        programme = services.programme_create(
            agency=agency, district=district, name=f"Unge forbilder {district.name}",
            description=DESCRIPTION, capacity=6, age_min=15, age_max=24, criteria=CRITERIA)
        created += 1
        if index == 0:
            _applications(programme, slug)
    return created


def _people(district_id: str, low: int, high: int, today: dt.date) -> list[Person]:
    rows = Person.objects.filter(district_id=district_id).order_by("created_at", "id")
    return [p for p in rows if low <= p.age_on(today) <= high]


def _applications(programme: Programme, slug: str) -> None:
    club = _agency(f"fritid-{slug}")
    school = _agency(f"skole-{slug}-1")
    submitter = _actor(club) if club else None
    staff = _actor(programme.agency)
    referrer = _actor(school) if school else None
    if submitter is None or staff is None or referrer is None:
        return
    today = clock.today()
    applied, decided = today - dt.timedelta(days=40), today - dt.timedelta(days=30)
    youths = _people(programme.district_id, 16, 20, applied)[:4]
    mentees = _people(programme.district_id, 12, 14, applied)[:1]
    if len(youths) < 4 or not mentees:
        return
    consent = Consent(method="skjema", given_on=applied, youth=True, guardians=True)
    motivations = [
        "Går på videregående og er aktivitetsleder på klubben to kvelder i uka. De yngre "
        "ser opp til henne.",
        "Har jobbet seg tilbake til skolen og trener de minste på fotballaget.",
        "Fikk læreplass i høst og vil gjerne hjelpe andre i samme situasjon.",
        "Er med i ungdomsrådet og anbefales av rådgiveren på skolen.",
    ]
    with _at(applied):
        applications = [services.application_submit(
            actor=submitter, programme=programme, person=person, motivation=text,
            consent=consent) for person, text in zip(youths, motivations, strict=True)]
    criteria = list(programme.criteria.all())
    with _at(decided):
        # enrolled: every criterion met
        _assess(staff, applications[0], criteria, {})
        services.application_decide(actor=staff, application=applications[0],
                                    decision=Decision.ENROL)
        # on the waitlist: met, but the bydel waits for the next course
        _assess(staff, applications[1], criteria, {})
        services.application_decide(
            actor=staff, application=applications[1], decision=Decision.WAITLIST,
            reason="Oppfyller kriteriene. Tas opp når neste kurs starter.")
        # rejected: a new registration in the last twelve months
        _assess(staff, applications[2], criteria,
                {1: ("ikke_oppfylt", "Ny registrering i vår.")})
        services.application_decide(
            actor=staff, application=applications[2], decision=Decision.REJECT,
            reason="Har en ny registrering siste 12 måneder. Kan søke igjen til høsten.")
    _mentor_year(programme, applications[0], staff, referrer, mentees[0], today)


def _assess(staff: Actor, application: Application, criteria: list,
            exceptions: dict[int, tuple[str, str]]) -> None:
    services.application_assess(actor=staff, application=application, results={
        str(c.pk): exceptions.get(index, ("oppfylt", "")) for index, c in enumerate(criteria)})


def _mentor_year(programme: Programme, application: Application, staff: Actor,
                 referrer: Actor, mentee: Person, today: dt.date) -> None:
    mentor = application.mentor
    job = (Offer.objects.filter(active=True, kind__in=JOB_KINDS)
           .filter(Q(district_id=programme.district_id) | Q(district__isnull=True))
           .order_by("name").first())
    with _at(today - dt.timedelta(days=25)):
        services.benefit_add(actor=staff, mentor=mentor, kind="kurs", given_on=clock.today(),
                             description="Lederkurs for unge forbilder (to helger)")
    with _at(today - dt.timedelta(days=18)):
        services.benefit_add(actor=staff, mentor=mentor, kind="tur", given_on=clock.today(),
                             description="Fjelltur med de andre forbildene")
    with _at(today - dt.timedelta(days=14)):
        services.benefit_add(
            actor=staff, mentor=mentor, kind="deltidsjobb", given_on=clock.today(),
            description="Deltidsjobb seks timer i uka", offer=job)
        mentorship = services.mentee_refer(
            actor=referrer, programme=programme, person=mentee,
            consent=Consent(method="mote", given_on=clock.today(), youth=True, guardians=True))
    with _at(today - dt.timedelta(days=10)):
        services.benefit_add(actor=staff, mentor=mentor, kind="mentorrolle",
                             given_on=clock.today(),
                             description="Mentor for en elev på ungdomsskolen")
        services.mentorship_start(actor=staff, mentorship=mentorship, mentor=mentor)
    with _at(today - dt.timedelta(days=1)):
        services.mentorship_update(actor=staff, mentorship=mentorship, meetings=3,
                                   notes="Møtes på klubben etter skolen.")


__all__ = ["build_mentors"]
