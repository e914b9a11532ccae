"""The youth fast track's pages: the responsible agency's list (overdue first, in red; the weapon
trigger's requests for the prosecutor), opening a case by fødselsnummer in the POST body or from a
request, the case page (milestones, stages against both target sets, the timeline chart, the
reaction plan) and the city statistics with their XLSX export — who sees what, and that bad input
gives a clear message and writes nothing."""

import datetime as dt
import io
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from laget.accounts.models import AgencyType, Role
from laget.accounts.tests.factories import AgencyFactory
from laget.areas.models import Subdistrict
from laget.audit.models import AuditEvent
from laget.core import clock
from laget.fasttrack import services
from laget.fasttrack.models import Breach, Milestone, ReactionPlan, YouthCase
from laget.people.tests.factories import PersonFactory
from laget.policing.models import FastTrackRequest, PoliceRegistration
from laget.web.tests.conftest import actor_of

pytestmark = pytest.mark.django_db

STOVNER = "030111"
ALNA = "030112"


def ago(days: int) -> dt.date:
    return clock.today() - dt.timedelta(days=days)


def born(years: int) -> dt.date:
    return clock.today() - dt.timedelta(days=int(years * 365.25) + 40)


def writes() -> tuple[int, ...]:
    return (YouthCase.objects.count(), Milestone.objects.count(), ReactionPlan.objects.count(),
            Breach.objects.count(),
            AuditEvent.objects.filter(action__startswith="fasttrack.").exclude(
                action__in=["fasttrack.view", "fasttrack.list"]).count())


@pytest.fixture
def client_for(login):
    return lambda user: login(Client(), user)


@pytest.fixture
def world(make_member):
    unit = AgencyFactory(type=AgencyType.POLITI, name="Øst politidistrikt", district_id=None)
    court = AgencyFactory(type=AgencyType.DOMSTOL, name="Oslo tingrett", district_id=None)
    other_court = AgencyFactory(type=AgencyType.DOMSTOL, name="Annen tingrett", district_id=None)
    w = {
        "unit": unit, "court_agency": court,
        "prosecutor": make_member(Role.PROSECUTOR, agency=unit, password=None),
        "officer": make_member("caseworker", agency=unit, password=None),
        "judge": make_member("caseworker", agency=court, password=None),
        "other_judge": make_member("caseworker", agency=other_court, password=None),
        "bydel": make_member("caseworker", district=STOVNER, password=None),
        "analyst": make_member("analyst", agency_type="by", district=None, password=None),
        "person": PersonFactory(district_id=STOVNER, birth_date=born(16), given_name="Sara",
                                family_name="Syntetisk"),
    }
    return w


def open_case(world, *, number="12345678", offence=60, charged=None, **kwargs):
    case = services.youth_case_open(
        actor=actor_of(world["prosecutor"]), person=kwargs.pop("person", world["person"]),
        police_case_number=number, offence_on=ago(offence), offence_categories=["vold"],
        weapon=True, court=world["court_agency"], **kwargs)
    if charged is not None:
        services.milestone_record(actor=actor_of(world["prosecutor"]), case=case,
                                  kind="charged", occurred_on=ago(charged))
    return case


# --- the list -------------------------------------------------------------------------------

def test_the_list_puts_overdue_cases_first_in_red(world, client_for):
    calm = open_case(world, number="11111111", offence=20, charged=10)
    late = open_case(world, number="22222222", offence=60, charged=50,
                     person=PersonFactory(district_id=STOVNER, birth_date=born(16)))
    page = client_for(world["prosecutor"]).get(reverse("web:fasttrack_list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index(late.police_case_number) < html.index(calm.police_case_number)
    assert 'data-testid="fasttrack-overdue-alert"' in html
    assert "1 sak har passert fristen" in html
    assert "8 dager over" in html and "pkt-tag--red" in html
    assert "32" in html  # the calm case's days left (42 − 10)
    # the court named on both sees them too, and the police's case roles read them
    assert late.police_case_number in client_for(world["judge"]).get(
        reverse("web:fasttrack_list")).content.decode()
    assert late.police_case_number in client_for(world["officer"]).get(
        reverse("web:fasttrack_list")).content.decode()
    # another court sees nothing; a bydel and an analyst are outside the fast track
    assert late.police_case_number not in client_for(world["other_judge"]).get(
        reverse("web:fasttrack_list")).content.decode()
    assert client_for(world["bydel"]).get(reverse("web:fasttrack_list")).status_code == 403
    assert client_for(world["analyst"]).get(reverse("web:fasttrack_list")).status_code == 403


def _request(world, person):
    registration = PoliceRegistration.objects.create(
        kind="apprehension", person=person, given_name="Ung", family_name="Kniv",
        birth_date=born(16), occurred_at=clock.now() - dt.timedelta(days=2),
        subdistrict=Subdistrict.objects.filter(district_id=STOVNER).first(),
        unit=world["unit"], officer=world["officer"], offence_category="ran",
        weapon_type="kniv")
    return FastTrackRequest.objects.create(registration=registration, person=person,
                                           unit=world["unit"], requested_by=world["officer"],
                                           requested_at=clock.now())


def test_a_prosecutor_takes_up_the_weapon_triggers_request_from_the_list(world, client_for):
    request = _request(world, world["person"])
    client = client_for(world["prosecutor"])
    html = client.get(reverse("web:fasttrack_list")).content.decode()
    url = reverse("web:fasttrack_request", kwargs={"request_id": request.pk})
    assert url in html and "Ung Kniv" in html
    # the officer who registered it does not take it up
    assert client_for(world["officer"]).get(url).status_code == 403
    assert "fasttrack-requests" not in client_for(world["officer"]).get(
        reverse("web:fasttrack_list")).content.decode()
    before = writes()
    refused = client.post(url, {"police_case_number": "123", "target_set": "legal"})
    assert "Politiets saksnummer skal ha 8 til 10 sifre." in refused.content.decode()
    assert writes() == before
    response = client.post(url, {"police_case_number": "3333 4444", "target_set": "hurtiglop",
                                 "court": world["court_agency"].pk})
    case = YouthCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "web:fasttrack_case", kwargs={"case_id": case.pk})
    assert case.request == request and case.target_set == "hurtiglop" and case.weapon
    # taken up: gone from the list, and its page no longer exists
    assert url not in client.get(reverse("web:fasttrack_list")).content.decode()
    assert client.get(url).status_code == 404


# --- opening a case -------------------------------------------------------------------------

def _open_data(world, **extra):
    return {"national_id": world["person"].national_id, "police_case_number": "87654321",
            "offence_on": ago(10).isoformat(), "apprehended_on": "",
            "offence_categories": ["vold", "ran"], "weapon": "on", "target_set": "legal",
            "court": world["court_agency"].pk, "konfliktraad": "", "kriminalomsorg": "", **extra}


def test_a_prosecutor_opens_a_case_by_number_in_the_post_body(world, client_for):
    client = client_for(world["prosecutor"])
    form = client.get(reverse("web:fasttrack_open"))
    assert form.status_code == 200 and form["Cache-Control"] == "no-store"
    response = client.post(reverse("web:fasttrack_open"), _open_data(world))
    case = YouthCase.objects.get()
    assert response.status_code == 302
    assert world["person"].national_id not in response["Location"]
    assert case.person == world["person"] and case.offence_categories == ["ran", "vold"]
    assert case.court == world["court_agency"] and case.weapon
    page = client.get(response["Location"]).content.decode()
    assert "Saken er lagt inn i hurtigsporet." in page and "Sara Syntetisk" in page


@pytest.mark.parametrize("extra, message", [
    ({"police_case_number": "01017012345"}, "Politiets saksnummer skal ha 8 til 10 sifre."),
    ({"offence_categories": []}, "Velg minst én lovbruddskategori."),
    ({"offence_categories": ["spionasje"]}, "Velg et gyldig valg"),
    ({"offence_on": (clock.today() + dt.timedelta(days=3)).isoformat()},
     "kan ikke være fram i tid"),
    ({"national_id": "12345678901"}, "fødselsnummer"),
])
def test_bad_input_to_open_gives_a_form_error_and_writes_nothing(world, client_for, extra,
                                                                 message):
    before = writes()
    response = client_for(world["prosecutor"]).post(reverse("web:fasttrack_open"),
                                                    _open_data(world, **extra))
    assert response.status_code == 200
    assert message.lower() in response.content.decode().lower()
    assert "Skjemaet har feil" in response.content.decode()
    assert writes() == before


def test_a_person_over_the_age_limit_or_unknown_is_refused(world, client_for):
    adult = PersonFactory(district_id=STOVNER, birth_date=born(20))
    client = client_for(world["prosecutor"])
    before = writes()
    over = client.post(reverse("web:fasttrack_open"),
                       _open_data(world, national_id=adult.national_id))
    assert "høyst 17 år" in over.content.decode()
    unknown = PersonFactory.build(district_id=STOVNER, birth_date=born(16))
    missing = client.post(reverse("web:fasttrack_open"),
                          _open_data(world, national_id=unknown.national_id))
    assert "Fant ingen person med dette fødselsnummeret" in missing.content.decode()
    assert writes() == before


def test_only_a_police_prosecutor_opens_cases(world, client_for):
    for who in ("officer", "judge", "bydel", "analyst"):
        assert client_for(world[who]).get(reverse("web:fasttrack_open")).status_code == 403


# --- the case page --------------------------------------------------------------------------

def test_the_case_page_shows_stages_against_both_targets_and_the_chart(world, client_for):
    case = open_case(world, offence=60, charged=50)
    url = reverse("web:fasttrack_case", kwargs={"case_id": case.pk})
    html = client_for(world["prosecutor"]).get(url).content.decode()
    assert 'data-testid="fasttrack-case-overdue"' in html
    assert "strpl. § 249" in html and "8 dager over fristen" in html
    # the milestones with who recorded them
    assert "Lovbrudd" in html and "Siktet" in html and world["prosecutor"].get_full_name() in html
    # the timeline chart: days from the first milestone, the overdue part and the due day
    spec = json.loads(re.search(r'<script[^>]*type="application/json">(.*?)</script>',
                                html, re.S).group(1))
    bars = spec["data"]["values"]
    assert {"label": "Påtaleavgjørelse", "stage": "Over målet", "start": 52, "end": 60,
            "days": 8} in bars
    assert spec["layer"][1]["encoding"]["x"]["datum"] == 52
    # the prosecutor records only the police's milestones
    kinds = re.findall(r'<option value="(\w+)"', html.split('data-testid="milestone-form"')[1]
                       .split("</form>")[0])
    assert "charge_decision" in kinds and "judgment" not in kinds and "charged" not in kinds


def test_who_sees_a_case(world, client_for):
    case = open_case(world, charged=5)
    url = reverse("web:fasttrack_case", kwargs={"case_id": case.pk})
    assert client_for(world["judge"]).get(url).status_code == 200
    officer = client_for(world["officer"]).get(url)
    assert officer.status_code == 200 and 'data-testid="milestone-form"' not in \
        officer.content.decode()
    assert client_for(world["other_judge"]).get(url).status_code == 404
    assert client_for(world["bydel"]).get(url).status_code == 403
    assert client_for(world["analyst"]).get(url).status_code == 403
    # the court's own milestones only after a charge decision with tiltale
    judge_html = client_for(world["judge"]).get(url).content.decode()
    assert 'data-testid="milestone-form"' in judge_html


def test_recording_milestones_and_refusals_that_write_nothing(world, client_for):
    case = open_case(world, offence=30, charged=20)
    url = reverse("web:fasttrack_case", kwargs={"case_id": case.pk})
    client = client_for(world["prosecutor"])
    before = writes()
    early = client.post(url, {"form": "milestone", "kind": "investigated",
                              "occurred_on": ago(25).isoformat()})
    assert "kan ikke ha tidligere dato enn siktet" in early.content.decode()
    no_outcome = client.post(url, {"form": "milestone", "kind": "charge_decision",
                                   "occurred_on": ago(5).isoformat(), "outcome": ""})
    assert "Velg hva påtaleavgjørelsen ble." in no_outcome.content.decode()
    court_kind = client.post(url, {"form": "milestone", "kind": "judgment",
                                   "occurred_on": ago(1).isoformat()})
    assert "Du kan ikke registrere denne milepælen." in court_kind.content.decode()
    assert writes() == before
    done = client.post(url, {"form": "milestone", "kind": "charge_decision",
                             "occurred_on": ago(5).isoformat(), "outcome": "tiltale"})
    assert done.status_code == 302
    assert case.milestones.get(kind="charge_decision").outcome == "tiltale"
    # now the court records its own
    judge = client_for(world["judge"])
    judge.post(url, {"form": "milestone", "kind": "court_received",
                     "occurred_on": ago(3).isoformat()})
    assert case.milestones.filter(kind="court_received").exists()
    # the other court cannot post to it at all
    assert client_for(world["other_judge"]).post(url, {
        "form": "milestone", "kind": "main_hearing",
        "occurred_on": ago(1).isoformat()}).status_code == 404


def test_the_prosecutor_names_the_konfliktraad(world, client_for):
    case = open_case(world, charged=5)
    konfliktraad = AgencyFactory(type=AgencyType.KONFLIKTRAAD, name="Konfliktrådet i Oslo",
                                 district_id=None)
    url = reverse("web:fasttrack_case", kwargs={"case_id": case.pk})
    response = client_for(world["prosecutor"]).post(url, {
        "form": "agencies", "court": world["court_agency"].pk, "konfliktraad": konfliktraad.pk,
        "kriminalomsorg": ""})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.konfliktraad == konfliktraad
    # the court may not
    assert client_for(world["judge"]).post(url, {"form": "agencies", "court": "",
                                                 "konfliktraad": "",
                                                 "kriminalomsorg": ""}).status_code == 403


def test_the_reaction_plan_and_a_breach(world, client_for):
    case = open_case(world, charged=5)
    url = reverse("web:fasttrack_case", kwargs={"case_id": case.pk})
    judge = client_for(world["judge"])
    base = {"form": "reaction", "del-TOTAL_FORMS": "3", "del-INITIAL_FORMS": "0",
            "del-MIN_NUM_FORMS": "0", "del-MAX_NUM_FORMS": "20", "custody_days": ""}
    due = (clock.today() + dt.timedelta(days=14)).isoformat()
    before = writes()
    unknown = judge.post(url, {**base, "reaction_forms": ["straffearbeid"]})
    assert "Ukjent reaksjonsform: straffearbeid." in unknown.content.decode()
    half_row = judge.post(url, {**base, "reaction_forms": ["ungdomsstraff"],
                                "del-0-kind": "meeting"})
    assert "la hele raden stå tom" in half_row.content.decode()
    custody = judge.post(url, {**base, "reaction_forms": ["ungdomsfengsel"],
                               "custody_days": "400"})
    assert "Ungdomsfengsel skal være fra 1 til 60 dager." in custody.content.decode()
    assert writes() == before
    made = judge.post(url, {**base, "reaction_forms": ["ungdomsstraff", "bot"],
                            "del-0-kind": "meeting", "del-0-text": "Stormøte med familien",
                            "del-0-agency": world["court_agency"].pk, "del-0-due_on": due})
    assert made.status_code == 302
    plan = ReactionPlan.objects.get(case=case)
    assert plan.forms == ["ungdomsstraff", "bot"] and plan.components.count() == 1
    page = judge.get(url).content.decode()
    assert "Stormøte med familien" in page and "Ikke lagt i en SaLTo-plan" in page
    judge.post(url, {"form": "breach", "occurred_on": clock.today().isoformat(),
                     "component": "", "response": "samtale", "note": "Kom ikke."})
    assert Breach.objects.get().note == "Kom ikke."

    # the youth team: an agency in its role, a named person; a wrong choice is a form error
    from laget.accounts.tests.factories import AgencyFactory
    from laget.fasttrack.models import ReactionTeamMember

    mediation = AgencyFactory(type="konfliktraad", district_id=None)
    wrong = judge.post(url, {"form": "team", "role": "skole", "agency": mediation.pk,
                             "name": ""})
    assert "Velg en virksomhet av riktig type for rollen." in wrong.content.decode()
    assert judge.post(url, {"form": "team", "role": "annen", "agency": "",
                            "name": "Trener i bokseklubben"}).status_code == 302
    member = ReactionTeamMember.objects.get()
    page = judge.get(url).content.decode()
    assert 'data-testid="youth-team"' in page and "Trener i bokseklubben" in page
    assert judge.post(url, {"form": "team_remove", "member": "not-a-uuid"}).status_code == 404
    assert judge.post(url, {"form": "team_remove", "member": member.pk}).status_code == 302
    assert not ReactionTeamMember.objects.exists()


# --- statistics -----------------------------------------------------------------------------

def _finished_charge_decisions(world, district: str, count: int, start: int) -> None:
    prosecutor = actor_of(world["prosecutor"])
    for n in range(count):
        person = PersonFactory(district_id=district, birth_date=born(16))
        case = open_case(world, person=person, number=f"{start + n:08d}", offence=40,
                         charged=30)
        services.milestone_record(actor=prosecutor, case=case, kind="charge_decision",
                                  occurred_on=ago(30 - 10 - n), outcome="tiltale")


def test_statistics_suppress_small_cells_on_the_page_and_in_the_xlsx(world, client_for):
    _finished_charge_decisions(world, STOVNER, 6, 10000000)
    _finished_charge_decisions(world, ALNA, 2, 20000000)
    client = client_for(world["analyst"])  # aggregates only: every role may read them
    page = client.get(reverse("web:fasttrack_statistics"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "skjult (for få saker)" in html and "Påtaleavgjørelse" in html
    assert html.count("<figure") >= 1
    export = client.get(reverse("web:fasttrack_statistics_xlsx"))
    assert export.status_code == 200 and export["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row and any(row)]
    alna = [row for row in rows if row[2] and "Alna" in str(row[2])]
    assert alna, rows
    for row in alna:
        assert not any(isinstance(value, int | float) for value in row), row
        assert "Skjult" in str(row[3])
    stovner = next(row for row in rows if row[2] and "Stovner" in str(row[2]))
    assert isinstance(stovner[4], int | float)  # its median is published
    # no suppressed count leaks: the Alna count (2) is nowhere as a number of cases
    assert all(row[3] != 2 for row in rows)


def test_a_bad_period_is_a_form_error(world, client_for):
    client = client_for(world["prosecutor"])
    response = client.get(reverse("web:fasttrack_statistics"),
                          {"fra": "2026-05-01", "til": "2026-01-01"})
    assert "Perioden slutter før den begynner." in response.content.decode()
    export = client.get(reverse("web:fasttrack_statistics_xlsx"),
                        {"fra": "2026-05-01", "til": "2026-01-01"})
    assert export.status_code == 302


def test_the_list_takes_a_fixed_number_of_queries(world, client_for):
    client = client_for(world["prosecutor"])
    open_case(world, number="11111111", charged=10)
    client.get(reverse("web:fasttrack_list"))  # warm the session and the caches
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("web:fasttrack_list"))
    for n in range(3):
        open_case(world, number=f"2222222{n}", charged=5,
                  person=PersonFactory(district_id=STOVNER, birth_date=born(16)))
    with CaptureQueriesContext(connection) as four:
        client.get(reverse("web:fasttrack_list"))
    assert len(four) == len(one), [q["sql"] for q in four.captured_queries]


def test_the_start_page_leads_to_the_fast_track(world, client_for):
    prosecutor = client_for(world["prosecutor"]).get(reverse("web:start")).content.decode()
    for name in ("web:fasttrack_list", "web:fasttrack_open", "web:fasttrack_statistics"):
        assert f'href="{reverse(name)}"' in prosecutor
    judge = client_for(world["judge"]).get(reverse("web:start")).content.decode()
    assert f'href="{reverse("web:fasttrack_list")}"' in judge
    assert f'href="{reverse("web:fasttrack_open")}"' not in judge
    bydel = client_for(world["bydel"]).get(reverse("web:start")).content.decode()
    assert f'href="{reverse("web:fasttrack_list")}"' not in bydel
