"""The schools in the demo, written through the real services (audited) with the clock turned
back: the synthetic school register (`data/schools/`), the pilot bydeler's demo schools as
schools, and in them incidents, the ambulant team's requests over the last three months (enough in
Stovner for a median, fewer elsewhere, so the statistics show suppression), two requests still on
the team's board, a forced school change in hearing and a decided one for a pupil with an open
SaLTo case (a handover waiting for the coordinator). Skipped when the demo already has incidents."""

import datetime as dt
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, Membership, Role
from laget.core import clock
from laget.people.models import Person
from laget.records.models import Case
from laget.schools import services
from laget.schools.importer import schools_import
from laget.schools.models import Incident, School, SchoolLevel
from laget.schools.services import Involvement

REGISTER = Path(settings.BASE_DIR) / "data" / "schools" / "oslo_skoler_syntetisk.csv"
#: requests with arrival per pilot bydel slug over the last three months
REQUESTS = {"stovner": 12, "sondre-nordstrand": 6, "gamle-oslo": 3}


@contextmanager
def _at(moment: dt.datetime) -> Iterator[None]:
    with clock.frozen(moment):
        yield


def _actor(code: str, role: str) -> Actor | None:
    membership = (Membership.objects.select_related("agency", "user")
                  .filter(agency__code=code, role=role).order_by("created_at").first())
    return Actor(membership.user, membership) if membership else None


def _orgnr(code: str) -> str:
    """A synthetic organisation number (98…, valid check digit) derived from the agency code."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    counter = 0
    while True:
        digest = hashlib.sha256(f"{code}:{counter}".encode()).hexdigest()
        digits = [9, 8, *(int(c, 16) % 10 for c in digest[:6])]
        check = 11 - sum(w * d for w, d in zip(weights, digits, strict=True)) % 11
        number = "".join(map(str, digits)) + str(0 if check == 11 else check)
        if check != 10 and not School.objects.filter(orgnr=number).exists():
            return number
        counter += 1


def _demo_schools(districts: dict[str, str]) -> None:
    for district, slug in districts.items():
        for suffix, level in (("1", SchoolLevel.UNGDOMSSKOLE), ("2", SchoolLevel.VIDEREGAENDE)):
            agency = Agency.objects.filter(code=f"skole-{slug}-{suffix}").first()
            if agency is None or School.objects.filter(agency=agency).exists():
                continue
            School.objects.create(agency=agency, orgnr=_orgnr(agency.code), name=agency.name,
                                  district_id=district, level=level, source="syntetisk")


def _pupils(district: str, day: dt.date) -> list[Person]:
    persons = (Person.objects.filter(district_id=district, is_synthetic=True,
                                     national_id__isnull=False)
               .exclude(national_id="").order_by("birth_date", "family_name", "given_name"))
    return [p for p in persons if 13 <= p.age_on(day) <= 17 and p.guardians.exists()]


def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clock.OSLO)


def _requests(slug: str, count: int, teacher: Actor, principal: Actor, lead: Actor,
              member: Actor, pupils: list[Person], today: dt.date) -> None:
    for index in range(count):
        day = today - dt.timedelta(days=10 + (index * 7) % 80)
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
        start = _moment(day, 9, 5 * (index % 6))
        with _at(start):
            pupil = [Involvement(pupils[index % len(pupils)], perpetrator=True)] if pupils else []
            incident = services.incident_report(
                actor=teacher, occurred_at=start - dt.timedelta(minutes=30),
                kind=("vold", "trusler", "mobbing")[index % 3],
                description="Konflikt mellom elever i friminuttet (demo).", pupils=pupil,
                actions_taken="Elevene ble skilt og foresatte kontaktet.",
                activity_plan_started=index % 3 == 2,
                activity_plan_due=day + dt.timedelta(days=7) if index % 3 == 2 else None)
        with _at(start + dt.timedelta(minutes=10)):
            request = services.ambulant_request_create(
                actor=principal, kind="hendelse", incident=incident,
                situation="Uro etter en hendelse; lærerne trenger støtte i klassen.")
        with _at(start + dt.timedelta(minutes=20)):
            services.ambulant_triage(actor=lead, request=request,
                                     urgency=("akutt", "hoy", "normal")[index % 3])
            services.ambulant_dispatch(actor=lead, request=request)
        response = 30 + (index * 37) % 210  # minutes from the request to arrival
        arrival = start + dt.timedelta(minutes=10 + response)
        with _at(arrival):
            services.ambulant_arrive(actor=member, request=request)
            services.ambulant_visit_add(actor=member, request=request,
                                        visited_on=arrival.astimezone(clock.OSLO).date(),
                                        note="Samtaler med klassen og kontaktlærer.")
        with _at(arrival + dt.timedelta(days=2)):
            services.ambulant_close(actor=member, request=request,
                                    measures="Klassemøter og tett voksenoppfølging i friminutt.",
                                    report="Situasjonen er roligere; skolens miljøteam følger opp.")


def _board(teacher: Actor, principal: Actor, lead: Actor, today: dt.date) -> None:
    with _at(_moment(today, 8, 15)):
        services.ambulant_request_create(
            actor=principal, kind="langsiktig",
            situation="Vedvarende trusler mellom to elevgrupper på 9. trinn.")
    with _at(_moment(today, 7, 50)):
        incident = services.incident_report(
            actor=teacher, occurred_at=_moment(today, 7, 40), kind="vapen",
            description="En elev viste fram en kniv ved inngangen (demo).",
            police_informed=True, actions_taken="Kniven ble tatt hånd om; politiet varslet.")
        request = services.ambulant_request_create(
            actor=principal, kind="hendelse", incident=incident,
            situation="Utrygghet blant elevene etter at en kniv ble vist fram.")
        services.ambulant_triage(actor=lead, request=request, urgency="akutt")
        services.ambulant_dispatch(actor=lead, request=request)


def _changes(slug: str, teacher: Actor, principal: Actor, pupils: list[Person],
             today: dt.date) -> None:
    receiving = School.objects.filter(agency__code=f"skole-{slug}-1").first()
    open_cases = {c.person_id for c in Case.objects.open().filter(person__in=pupils)}
    with_case = next((p for p in pupils if p.pk in open_cases), None)
    without = next((p for p in reversed(pupils) if p.pk not in open_cases), None)
    if receiving is None:
        return
    if with_case is not None:
        proposed = today - dt.timedelta(days=30)
        with _at(_moment(proposed, 10)):
            incident = services.incident_report(
                actor=teacher, occurred_at=_moment(proposed, 9), kind="vold",
                description="Gjentatt vold mot medelev (demo).",
                pupils=[Involvement(with_case, perpetrator=True)], police_informed=True,
                barnevern_informed=True)
            change = services.change_propose(
                actor=principal, person=with_case, to_school=receiving,
                grounds="Gjentatt alvorlig vold mot medelever; andre tiltak har ikke virket.",
                incidents=[incident])
        for party in change.parties.all():
            with _at(_moment(proposed + dt.timedelta(days=5), 12)):
                services.hearing_register(actor=principal, change=change, party=party,
                                          statement="Uttalelse mottatt i møte (demo).")
        with _at(_moment(proposed + dt.timedelta(days=8), 12)):
            services.change_decide(
                actor=principal, change=change, change_school=True,
                reasons="Hensynet til medelevenes trygghet veier tyngst.",
                effective_on=today + dt.timedelta(days=7),
                measures_for_receiving="Fast kontaktperson første måned; tett samarbeid "
                                       "med hjemmet.")
    if without is not None:
        with _at(_moment(today - dt.timedelta(days=3), 10)):
            incident = services.incident_report(
                actor=teacher, occurred_at=_moment(today - dt.timedelta(days=3), 9),
                kind="trusler", description="Trusler mot medelev og ansatt (demo).",
                pupils=[Involvement(without, perpetrator=True)], staff_affected=1)
            services.change_propose(actor=principal, person=without, to_school=receiving,
                                    grounds="Alvorlige trusler mot medelever og ansatte.",
                                    incidents=[incident])


def build_schools(*, districts: dict[str, str]) -> None:
    schools_import(text=REGISTER.read_text(encoding="utf-8"), file_name=REGISTER.name)
    _demo_schools(districts)
    if Incident.objects.exists():
        return
    lead = _actor(settings.LAGET_AMBULANT_TEAM_AGENCY, Role.LEADER)
    member = _actor(settings.LAGET_AMBULANT_TEAM_AGENCY, Role.CASEWORKER)
    today = clock.today()
    for district, slug in districts.items():
        teacher = _actor(f"skole-{slug}-2", Role.CASEWORKER)
        principal = _actor(f"skole-{slug}-2", Role.LEADER)
        if None in (teacher, principal, lead, member):
            continue
        assert teacher and principal and lead and member
        pupils = _pupils(district, today)
        _requests(slug, REQUESTS.get(slug, 0), teacher, principal, lead, member, pupils, today)
        if slug == "stovner":
            _board(teacher, principal, lead, today)
            _changes(slug, teacher, principal, pupils, today)
