"""Police registrations and fast-track milestones from agencies' own systems: the same services
as the web pages, the receipt the officer sees, an Idempotency-Key that makes a retry create
nothing twice, the client's agency deciding what it may record, and one `api.call` event per call
with the person it concerned."""

import datetime as dt
import json

import pytest
from django.test import Client

from laget.accounts.models import AgencyType
from laget.accounts.tests.factories import AgencyFactory
from laget.apiclients import services as client_services
from laget.apiclients.models import Scope
from laget.audit.actions import Action, Outcome
from laget.audit.models import AuditEvent
from laget.core import clock
from laget.fasttrack.models import Milestone
from laget.fasttrack.tests.conftest import Scene, actor_of  # noqa: F401 (fixtures below)
from laget.fasttrack.tests.conftest import frozen as frozen  # a fixture
from laget.fasttrack.tests.conftest import scene as scene  # a fixture
from laget.policing.models import PoliceRegistration
from laget.policing.tests.conftest import STOVNER, born
from laget.policing.tests.conftest import world as world  # a fixture

pytestmark = pytest.mark.django_db


def _token(agency, *scopes) -> str:
    name = f"Fagsystem {'+'.join(scopes)}"
    client = client_services.client_create(agency=agency, name=name, scopes=list(scopes))
    return client_services.token_issue(client=client).token


def get(http: Client, token: str, url: str):
    return http.get(url, headers={"Authorization": f"Bearer {token}"})


def post(http: Client, token: str, url: str, body: dict, key: str | None = "k-1"):
    headers = {"Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    return http.post(url, json.dumps(body), content_type="application/json", headers=headers)


def _calls(outcome=Outcome.OK):
    return AuditEvent.objects.filter(action=Action.API_CALL, outcome=outcome)


# --- police registrations ------------------------------------------------------------------------

def _registration(world, person, **extra):
    return {"kind": "stop_search", "subdistrict": world.place.pk,
            "occurred_at": (clock.now() - dt.timedelta(minutes=10)).isoformat(),
            "given_name": person.given_name, "family_name": person.family_name,
            "national_id": person.national_id, "grounds": "Lukt av cannabis.", **extra}


def test_the_police_system_registers_and_gets_the_officers_receipt(client, world):
    token = _token(world.police.agency, Scope.POLICE_WRITE)
    person, _case = world.young(15, case=True)
    request = _registration(world, person)
    response = post(client, token, "/api/v1/police/registrations", request)
    assert response.status_code == 201, response.content
    body = response.json()
    registration = PoliceRegistration.objects.get()
    assert body["id"] == str(registration.pk) and registration.unit == world.police.agency
    assert body["salto"] == "Sendt til SaLTo-koordinatoren i bydelen."
    assert body["case"] is None  # the client is not on the case's team
    [guardian] = body["guardians"]
    assert guardian["guardian"].startswith("Mor") and guardian["status"] == "queued"
    assert guardian["channel"] == "sms"  # a code, not a label
    assert (body["barnevern_report"], body["fast_track_requested"]) == (False, False)
    # a retry creates nothing more and answers the same
    again = post(client, token, "/api/v1/police/registrations", request)
    assert again.status_code == 201 and again.json() == body
    assert PoliceRegistration.objects.count() == 1
    call = _calls().get(details__operation="api_police_registration_create",
                        details__replayed=False)
    assert list(call.subjects.values_list("person_id", flat=True)) == [person.pk]
    # the receipt again, with the message's status now
    receipt = get(client, token, f"/api/v1/police/registrations/{registration.pk}")
    assert receipt.status_code == 200 and receipt.json()["id"] == body["id"]


def test_a_child_with_a_weapon_sets_off_barnevern_and_the_fast_track(client, world):
    token = _token(world.police.agency, Scope.POLICE_WRITE)
    person, _case = world.young(14)
    response = post(client, token, "/api/v1/police/registrations", _registration(
        world, person, kind="apprehension", offence_category="vapenloven", weapon_type="kniv"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["fast_track_requested"] is True


def test_only_the_police_register_and_a_unit_reads_only_its_own(client, world):
    person, _case = world.young(15)
    school = _token(AgencyFactory(type=AgencyType.SKOLE, district_id=STOVNER),
                    Scope.POLICE_WRITE)
    response = post(client, school, "/api/v1/police/registrations", _registration(world, person))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert not PoliceRegistration.objects.exists()
    own = _token(world.police.agency, Scope.POLICE_WRITE)
    created = post(client, own, "/api/v1/police/registrations", _registration(world, person))
    other_unit = _token(AgencyFactory(type=AgencyType.POLITI, district_id=None),
                        Scope.POLICE_WRITE)
    url = f"/api/v1/police/registrations/{created.json()['id']}"
    assert get(client, other_unit, url).status_code == 404
    assert _calls(Outcome.DENIED).filter(details__operation="api_police_registration_get")
    # a token without the scope is refused before anything is read
    assert get(client, _token(world.police.agency, Scope.CASES_READ), url).status_code == 403


@pytest.mark.parametrize("change, status", [
    ({"subdistrict": "99999999"}, 400),
    ({"kind": "arrest"}, 400),
    ({"occurred_at": "2026-01-01T10:00:00"}, 400),
    ({"kind": "apprehension"}, 400),  # no offence category
    ({"weapon_type": "sverd"}, 400),
    ({"surprise": 1}, 400),
])
def test_bad_registrations_are_refused_and_nothing_is_written(client, world, change, status):
    token = _token(world.police.agency, Scope.POLICE_WRITE)
    person, _case = world.young(15)
    response = post(client, token, "/api/v1/police/registrations",
                    {**_registration(world, person), **change})
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert not PoliceRegistration.objects.exists()


def test_a_person_without_a_number_goes_by_name_and_birth_date(client, world):
    token = _token(world.police.agency, Scope.POLICE_WRITE)
    body = {"kind": "concern", "subdistrict": world.place.pk,
            "occurred_at": (clock.now() - dt.timedelta(hours=1)).isoformat(),
            "given_name": "Ukjent", "family_name": "Ungdom", "birth_date": born(15).isoformat(),
            "grounds": "Sent ute alene."}
    response = post(client, token, "/api/v1/police/registrations", body)
    assert response.status_code == 201, response.content
    assert response.json()["guardians"] == []


# --- fast track ----------------------------------------------------------------------------------

def _charged(scene: Scene):
    from laget.fasttrack import services

    case = scene.open(court=scene.court.agency)
    services.milestone_record(actor=scene.prosecutor, case=case, kind="charge_decision",
                              occurred_on=dt.date(2026, 3, 5), outcome="tiltale")
    return case


def test_the_courts_system_reads_the_case_and_records_its_milestone(client, scene):
    case = _charged(scene)
    token = _token(scene.court.agency, Scope.FASTTRACK_READ, Scope.FASTTRACK_WRITE)
    response = get(client, token, f"/api/v1/fasttrack/cases/{case.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [m["kind"] for m in body["milestones"]] == ["offence", "charge_decision"]
    assert "court_received" in body["may_record"] and "charged" not in body["may_record"]
    assert body["stages"] and {"stage", "due", "overdue"} <= set(body["stages"][0])
    url = f"/api/v1/fasttrack/cases/{case.pk}/milestones"
    created = post(client, token, url, {"kind": "court_received", "occurred_on": "2026-03-09"})
    assert created.status_code == 201, created.content
    assert post(client, token, url, {"kind": "court_received", "occurred_on": "2026-03-09"}
                ).json() == created.json()
    assert Milestone.objects.filter(case=case, kind="court_received").count() == 1
    call = _calls().get(details__operation="api_fasttrack_milestone_create",
                        details__replayed=False)
    assert list(call.subjects.values_list("person_id", flat=True)) == [scene.person.pk]


def test_a_client_records_only_its_own_agencys_milestones_in_order(client, scene):
    case = _charged(scene)
    court = _token(scene.court.agency, Scope.FASTTRACK_WRITE, Scope.FASTTRACK_READ)
    url = f"/api/v1/fasttrack/cases/{case.pk}/milestones"
    # the court does not record the police's stages
    refused = post(client, court, url, {"kind": "investigated", "occurred_on": "2026-03-04"})
    assert refused.status_code == 400
    # nor a judgment dated before the charge decision
    early = post(client, court, url, {"kind": "judgment", "occurred_on": "2026-03-02"},
                 key="k-2")
    assert early.status_code == 400
    # the unit's own system reads but does not record (only a prosecutor does)
    unit = _token(scene.prosecutor.agency, Scope.FASTTRACK_WRITE, Scope.FASTTRACK_READ)
    assert get(client, unit, f"/api/v1/fasttrack/cases/{case.pk}").status_code == 200
    assert post(client, unit, url, {"kind": "investigated", "occurred_on": "2026-03-04"},
                key="k-3").status_code == 400
    # an agency the case does not name: the case does not exist
    other = _token(scene.konfliktraad.agency, Scope.FASTTRACK_READ, Scope.FASTTRACK_WRITE)
    assert get(client, other, f"/api/v1/fasttrack/cases/{case.pk}").status_code == 404
    assert post(client, other, url, {"kind": "reaction_started", "occurred_on": "2026-03-09"},
                key="k-4").status_code == 404
    assert Milestone.objects.filter(case=case).count() == 2
    # a charge decision's outcome belongs to the charge decision alone
    bad = post(client, court, url, {"kind": "court_received", "occurred_on": "2026-03-09",
                                    "outcome": "tiltale"}, key="k-5")
    assert bad.status_code == 400
