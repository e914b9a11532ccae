"""Cases, team, plan, tasks, entries and persons through the API: the client sees what its service
user would see on the web (team membership, the sharing engine), pages by cursor, creates with an
Idempotency-Key, and every call is an `api.call` event with the persons it concerned."""

import datetime as dt
import json

import pytest
from django.test import Client

from laget.accounts.actor import Actor
from laget.accounts.models import Membership
from laget.apiclients import services as client_services
from laget.apiclients.models import Scope
from laget.audit.actions import Action, Outcome
from laget.audit.models import AuditEvent
from laget.cases.models import Task
from laget.core.keyset import Cursor
from laget.people.tests.factories import PersonFactory
from laget.records.access import entries_opened
from laget.records.models import Entry
from laget.records.services import case_open, team_member_add
from laget.records.vocabulary import InfoCategory
from laget.sharing import services as sharing_services

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
ALL = [Scope.CASES_READ, Scope.TASKS_WRITE, Scope.ENTRIES_READ, Scope.ENTRIES_WRITE,
       Scope.PERSONS_READ]


def actor_of(user) -> Actor:
    return Actor(user, Membership.objects.get(user=user))


def fourteen() -> dt.date:
    return TODAY.replace(year=TODAY.year - 14) - dt.timedelta(days=40)


@pytest.fixture
def world(make_member, rulebook):
    coordinator = actor_of(make_member("coordinator"))
    school = actor_of(make_member("caseworker", agency_type="skole"))
    barnevern = actor_of(make_member("caseworker", agency_type="barnevern"))
    client = client_services.client_create(agency=school.agency, name="Skolesystem", scopes=ALL)
    token = client_services.token_issue(client=client).token
    service = client_services.client_actor(client)
    cases = []
    for _ in range(3):
        person = PersonFactory(birth_date=fourteen(), registered_by_agency=school.agency)
        case = case_open(actor=coordinator, person=person)
        team_member_add(actor=coordinator, case=case, user=service.user, agency=school.agency)
        cases.append(case)
    other = case_open(actor=coordinator, person=PersonFactory(birth_date=fourteen()))
    team_member_add(actor=coordinator, case=cases[0], user=barnevern.user,
                    agency=barnevern.agency)
    team_member_add(actor=coordinator, case=cases[0], user=school.user, agency=school.agency)
    sharing_services.entry_add(actor=school, case=cases[0], category=InfoCategory.SKOLE,
                               text="Fravær 20 % siste måned.")
    sharing_services.entry_add(actor=barnevern, case=cases[0], category=InfoCategory.BARNEVERN,
                               text="Undersøkelse åpnet.")
    return {"token": token, "client": client, "cases": cases, "other": other,
            "coordinator": coordinator, "school": school}


def get(http: Client, token: str, url: str):
    return http.get(url, headers={"Authorization": f"Bearer {token}"})


def post(http: Client, token: str, url: str, body: dict, key: str | None = "k-1"):
    headers = {"Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    return http.post(url, json.dumps(body), content_type="application/json", headers=headers)


def test_case_list_pages_by_cursor_and_shows_only_the_clients_cases(client, world):
    first = get(client, world["token"], "/api/v1/cases?limit=2")
    assert first.status_code == 200
    body = first.json()
    assert len(body["items"]) == 2 and body["next_cursor"]
    second = get(client, world["token"], f"/api/v1/cases?limit=2&cursor={body['next_cursor']}")
    rest = second.json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    seen = [c["id"] for c in body["items"] + rest["items"]]
    assert sorted(seen) == sorted(str(c.pk) for c in world["cases"])
    assert str(world["other"].pk) not in seen


def test_a_case_added_between_pages_is_neither_skipped_nor_repeated(client, world):
    first = get(client, world["token"], "/api/v1/cases?limit=1").json()
    person = PersonFactory(birth_date=fourteen())
    newer = case_open(actor=world["coordinator"], person=person)
    team_member_add(actor=world["coordinator"], case=newer,
                    user=client_services.client_actor(world["client"]).user,
                    agency=world["school"].agency)
    rest = get(client, world["token"],
               f"/api/v1/cases?limit=10&cursor={first['next_cursor']}").json()
    ids = [first["items"][0]["id"]] + [c["id"] for c in rest["items"]]
    assert len(ids) == len(set(ids)) == 3
    assert str(newer.pk) not in ids


@pytest.mark.parametrize("cursor", ["not-a-cursor", "e30", Cursor.__name__])
def test_a_bad_cursor_is_a_400_problem(client, world, cursor):
    response = get(client, world["token"], f"/api/v1/cases?cursor={cursor}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")


def test_limit_out_of_range_is_a_400(client, world):
    assert get(client, world["token"], "/api/v1/cases?limit=0").status_code == 400
    assert get(client, world["token"], "/api/v1/cases?limit=101").status_code == 400


def test_case_summary_team_and_plan(client, world):
    case = world["cases"][0]
    summary = get(client, world["token"], f"/api/v1/cases/{case.pk}").json()
    assert summary["person"]["id"] == str(case.person_id)
    assert summary["status"] == case.status
    team = get(client, world["token"], f"/api/v1/cases/{case.pk}/team").json()["items"]
    # barnevern on the team is existence-confidential: the school's system does not see it
    assert "barnevern" not in {m["agency_type"] for m in team}
    assert "skole" in {m["agency_type"] for m in team}
    plan = get(client, world["token"], f"/api/v1/cases/{case.pk}/plan").json()
    assert plan == {"version": 0, "goals": [], "tasks": []}


def test_a_case_the_client_is_not_on_is_404_and_audited_as_denied(client, world):
    response = get(client, world["token"], f"/api/v1/cases/{world['other'].pk}")
    assert response.status_code == 404
    event = AuditEvent.objects.get(action=Action.API_CALL, outcome=Outcome.DENIED)
    assert event.details["case_id"] == str(world["other"].pk)
    assert event.details["error"] == "NotFound"


def test_entries_go_through_the_sharing_engine(client, world):
    case = world["cases"][0]
    body = get(client, world["token"], f"/api/v1/cases/{case.pk}/entries").json()
    assert [e["category"] for e in body["items"]] == ["skole"]
    assert body["items"][0]["basis"] == "own"
    with entries_opened():
        hidden = Entry.objects.get(case=case, category=InfoCategory.BARNEVERN)
    assert hidden.text not in json.dumps(body)
    refused = get(client, world["token"], f"/api/v1/cases/{case.pk}/entries/{hidden.pk}")
    assert refused.status_code == 404
    one = get(client, world["token"],
              f"/api/v1/cases/{case.pk}/entries/{body['items'][0]['id']}")
    assert one.status_code == 200


def test_entry_create_is_idempotent_and_audited(client, world):
    case = world["cases"][1]
    url = f"/api/v1/cases/{case.pk}/entries"
    body = {"category": "skole", "text": "Møtte alle timer denne uken."}
    first = post(client, world["token"], url, body, key="e-1")
    again = post(client, world["token"], url, body, key="e-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert first.json() == again.json()
    events = AuditEvent.objects.filter(action=Action.API_CALL, details__method="POST",
                                       details__status=201)
    assert events.count() == 2
    with entries_opened():
        assert Entry.objects.filter(case=case, text=body["text"]).count() == 1
    assert post(client, world["token"], url, body, key=None).status_code == 400
    bad = post(client, world["token"], url, {"category": "nope", "text": "x"}, key="e-2")
    assert bad.status_code == 400


def test_task_create_for_the_clients_own_agency(client, world):
    case = world["cases"][2]
    response = post(client, world["token"], f"/api/v1/cases/{case.pk}/tasks",
                    {"title": "Samtale med kontaktlærer", "due_on": None}, key="t-1")
    assert response.status_code == 201, response.content
    task = Task.objects.get(pk=response.json()["id"])
    assert task.agency_id == world["school"].agency.pk
    plan = get(client, world["token"], f"/api/v1/cases/{case.pk}/plan").json()
    assert [t["title"] for t in plan["tasks"]] == ["Samtale med kontaktlærer"]
    past = post(client, world["token"], f"/api/v1/cases/{case.pk}/tasks",
                {"title": "For sent", "due_on": (TODAY - dt.timedelta(days=2)).isoformat()},
                key="t-2")
    assert past.status_code == 400


def test_person_lookup_by_number_in_the_body(client, world):
    person = world["cases"][0].person
    found = post(client, world["token"], "/api/v1/persons/lookup",
                 {"national_id": person.national_id}, key=None)
    assert found.status_code == 200
    assert found.json()["has_open_case"] is True
    unknown = PersonFactory()
    missing = post(client, world["token"], "/api/v1/persons/lookup",
                   {"national_id": unknown.national_id}, key=None)
    assert missing.status_code == 404
    assert person.national_id not in json.dumps(
        list(AuditEvent.objects.values_list("details", flat=True)))
    assert post(client, world["token"], "/api/v1/persons/lookup", {"national_id": "123"},
                key=None).status_code == 400


def test_each_operation_needs_its_scope(client, world):
    narrow = client_services.client_create(agency=world["school"].agency, name="Bare lese",
                                           scopes=[Scope.CASES_READ])
    token = client_services.token_issue(client=narrow).token
    case = world["cases"][0]
    assert get(client, token, f"/api/v1/cases/{case.pk}/entries").status_code == 403
    assert post(client, token, f"/api/v1/cases/{case.pk}/entries",
                {"category": "skole", "text": "x"}).status_code == 403
    assert post(client, token, "/api/v1/persons/lookup",
                {"national_id": case.person.national_id}, key=None).status_code == 403
    # the narrow client is on no team: the case does not exist for it
    assert get(client, token, f"/api/v1/cases/{case.pk}").status_code == 404
