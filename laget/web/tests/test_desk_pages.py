"""The coordinator's desk, the start page's cards, the agency's open tasks and the case search
(by name or number, within the sharing filter, the number only ever in a POST body)."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from laget.accounts.models import User
from laget.accounts.tests.factories import AgencyFactory
from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.cases.models import Task
from laget.cases.plan import plan_get_or_create
from laget.cases.services import case_open
from laget.core import clock
from laget.people.tests.factories import PersonFactory
from laget.records.models import Case
from laget.records.services import team_member_add
from laget.web.tests.conftest import actor_of

pytestmark = pytest.mark.django_db

STOVNER = "030111"


@dataclass
class Scene:
    coordinator: User
    leader: User
    caseworker: User
    teacher: User
    outsider: User  # a teacher at another school, on no team
    police_coordinator: User
    case: Case


@pytest.fixture
def scene(make_member, rulebook) -> Scene:
    def member(role, **kwargs):
        return make_member(role, password=None, **kwargs)

    bydel = AgencyFactory(type="bydel", name="Bydel Stovner", district_id=STOVNER)
    school = AgencyFactory(type="skole", name="Haugen skole", district_id=STOVNER)
    coordinator, teacher = member("coordinator", agency=bydel), member("caseworker",
                                                                        agency=school)
    case = case_open(actor=actor_of(coordinator), person=PersonFactory(
        district_id=STOVNER, given_name="Sara", family_name="Søkbar"))
    team_member_add(actor=actor_of(coordinator), case=case, user=teacher, agency=school)
    return Scene(coordinator=coordinator, leader=member("leader", agency=bydel),
                 caseworker=member("caseworker", agency=bydel), teacher=teacher,
                 outsider=member("caseworker", agency_type="skole"),
                 police_coordinator=member("coordinator", agency_type="politi", district=None),
                 case=case)


def client_for(login, user) -> Client:
    return login(Client(), user)


def overdue_task(case: Case, user: User, title: str = "Ring hjem") -> Task:
    agency = actor_of(user).agency
    return Task.objects.create(plan=plan_get_or_create(case), title=title, agency=agency,
                               due_on=clock.today() - dt.timedelta(days=2), created_by=user)


# --- the desk ------------------------------------------------------------------------------------

def test_the_desk_page_shows_every_section_and_is_audited(scene, login):
    overdue_task(scene.case, scene.coordinator, title="Innkall til møte")
    page = client_for(login, scene.coordinator).get(reverse("web:desk"))
    assert page.status_code == 200
    html = page.content.decode()
    for section in ("desk-concerns", "desk-cases", "desk-group-assessment", "desk-overdue",
                    "desk-meetings", "desk-idle"):
        assert f'data-testid="{section}"' in html
    assert "Søkbar, Sara" in html and "Innkall til møte" in html
    assert AuditEvent.objects.filter(action=Action.DESK_VIEW).count() == 1


def test_the_desk_is_only_the_bydel_coordinators(scene, login):
    assert client_for(login, scene.leader).get(reverse("web:desk")).status_code == 200
    for user in (scene.caseworker, scene.teacher, scene.police_coordinator):
        assert client_for(login, user).get(reverse("web:desk")).status_code == 403


def test_the_desk_page_query_count_does_not_grow_with_the_cases(scene, login):
    client = client_for(login, scene.coordinator)
    client.get(reverse("web:desk"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("web:desk"))
    lead = actor_of(scene.coordinator)
    for _ in range(5):
        case = case_open(actor=lead, person=PersonFactory(district_id=STOVNER))
        overdue_task(case, scene.coordinator)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("web:desk")).content.decode()
    assert html.count("Ring hjem") == 5
    assert len(many) == len(few)


# --- the start page ------------------------------------------------------------------------------

def test_start_page_cards_for_a_school(scene, login):
    overdue_task(scene.case, scene.teacher)
    html = client_for(login, scene.teacher).get(reverse("web:start")).content.decode()
    assert 'data-testid="start-figures"' in html and 'data-testid="start-desk"' not in html
    assert "1 sak der virksomheten er med i teamet" in html
    assert "1 åpen oppgave for virksomheten" in html and "1 har passert fristen." in html
    assert reverse("web:agency_tasks") in html and reverse("web:concern_create") in html
    assert reverse("web:case_search") in html


def test_start_page_cards_for_the_coordinator_link_the_desk(scene, login):
    html = client_for(login, scene.coordinator).get(reverse("web:start")).content.decode()
    assert 'data-testid="start-desk"' in html and reverse("web:desk") in html
    assert "0 nye bekymringer å vurdere" in html


def test_start_page_has_no_cards_for_other_roles(scene, make_member, login):
    analyst = make_member("analyst", password=None)
    html = client_for(login, analyst).get(reverse("web:start")).content.decode()
    assert 'data-testid="start-figures"' not in html


def test_the_agency_tasks_page(scene, login):
    overdue_task(scene.case, scene.teacher, title="Samtale med eleven")
    colleague_case = case_open(actor=actor_of(scene.coordinator), person=PersonFactory())
    overdue_task(colleague_case, scene.teacher, title="Tittel ingen andre skal se")
    html = client_for(login, scene.teacher).get(reverse("web:agency_tasks")).content.decode()
    assert "Samtale med eleven" in html and "Sara Søkbar" in html
    assert "Tittel ingen andre skal se" not in html
    assert "Oppgave i en sak der du ikke er med i teamet" in html
    assert html.count('data-testid="task-overdue"') == 2


# --- search --------------------------------------------------------------------------------------

def search(client: Client, query: str):
    return client.post(reverse("web:case_search"), {"query": query})


def test_search_by_name_and_by_number_within_what_i_may_see(scene, login):
    teacher = client_for(login, scene.teacher)
    assert teacher.get(reverse("web:case_search")).status_code == 200
    by_name = search(teacher, "søkbar")
    assert by_name.status_code == 200  # rendered from the POST, no redirect
    assert "Søkbar, Sara" in by_name.content.decode()
    by_number = search(teacher, scene.case.person.national_id)
    assert "Søkbar, Sara" in by_number.content.decode()
    assert by_number["Cache-Control"] == "no-store"
    # the bydel's coordinator sees the bydel's cases; an outsider finds nothing
    assert "Søkbar, Sara" in search(client_for(login, scene.leader), "Sara").content.decode()
    for user in (scene.outsider, scene.police_coordinator):
        html = search(client_for(login, user), scene.case.person.national_id).content.decode()
        assert "Søkbar" not in html and "0 saker" in html


def test_search_is_audited_without_the_query(scene, login):
    number = scene.case.person.national_id
    search(client_for(login, scene.teacher), number)
    search(client_for(login, scene.teacher), "Søkbar")
    events = AuditEvent.objects.filter(action=Action.CASE_SEARCH).order_by("id")
    assert [e.details["by"] for e in events] == ["national_id", "name"]
    for event in events:
        assert number not in str(event.details) and "Søkbar" not in str(event.details)
        assert list(event.subjects.values_list("person_id", flat=True)) == [
            scene.case.person_id]


@pytest.mark.parametrize("query, message", [
    ("", "Skriv et navn eller et fødselsnummer."),
    ("12345", "Skriv hele nummeret (11 siffer)"),
    ("12345678901", "Kontrollsifrene stemmer ikke"),
    ("Sara 1", "Et navn kan ikke inneholde siffer."),
    ("S", "Skriv minst to bokstaver."),
])
def test_bad_search_input_is_a_form_error(scene, login, query, message):
    response = search(client_for(login, scene.teacher), query)
    assert response.status_code == 200 and message in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.CASE_SEARCH).exists()


def test_the_search_form_posts(scene, login):
    html = client_for(login, scene.teacher).get(reverse("web:case_search")).content.decode()
    assert 'method="post"' in html and 'name="query"' in html
