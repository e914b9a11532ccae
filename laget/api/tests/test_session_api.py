"""The JSON API from a logged-in browser: the session of the web pages opens the operations its
acting role may use (laget.api.auth.SESSION_ROLES), a write only with the CSRF token, and every
call is an audit event that says it came from a session. Django's test client skips the CSRF
check unless asked, so these clients enforce it."""

import json
import uuid

import pytest
from django.test import Client

from laget.accounts.tests.factories import AgencyFactory, MembershipFactory, UserFactory
from laget.api.auth import SESSION_ROLES
from laget.api.tests.test_clients_api import BODY, CONCERNS, STOVNER, calls, problem
from laget.apiclients import services
from laget.apiclients.models import IdempotencyRecord, Scope
from laget.audit.actions import Outcome
from laget.cases.models import Concern
from laget.people.tests.factories import PersonFactory
from laget.records.tests.factories import CaseFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return AgencyFactory(type="skole", district_id=STOVNER)


def browser(login, agency, role: str) -> tuple[Client, object, str]:
    """A verified session acting in `role`, and the CSRF token its pages carry."""
    user = UserFactory(password=None)
    MembershipFactory(user=user, agency=agency, role=role)
    client = login(Client(enforce_csrf_checks=True), user)
    client.get("/")  # any page sets the CSRF cookie, as a browser gets it with the first page
    return client, user, client.cookies["csrftoken"].value


def submit(client: Client, *, csrf: str | None, key: str = "k-1", token: str | None = None):
    headers = {"Idempotency-Key": key}
    if csrf is not None:
        headers["X-CSRFToken"] = csrf
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.post(CONCERNS, json.dumps(BODY), content_type="application/json",
                       headers=headers)


def test_every_scope_says_which_roles_a_session_may_use():
    assert set(SESSION_ROLES) == set(Scope.values)


def test_a_session_writes_with_the_csrf_token_and_is_audited_as_the_user(login, school):
    client, user, csrf = browser(login, school, "caseworker")
    response = submit(client, csrf=csrf)
    assert response.status_code == 202, response.content
    concern = Concern.objects.get()
    assert (concern.submitting_agency, concern.submitted_by) == (school, user)
    event = calls().get()
    assert event.actor == user
    assert event.details["via"] == "session"
    assert "client" not in event.details
    assert event.details["operation"] == "concern_submit"


def test_a_session_write_without_the_csrf_token_is_refused_and_writes_nothing(login, school):
    client, _, _ = browser(login, school, "caseworker")
    body = problem(submit(client, csrf=None), 403)
    assert "CSRF" in body["detail"]
    body = problem(submit(client, csrf="x" * 64), 403)
    assert "CSRF" in body["detail"]
    assert Concern.objects.count() == 0
    assert not IdempotencyRecord.objects.exists()


def test_without_a_session_or_token_a_post_is_401_not_a_csrf_refusal():
    problem(submit(Client(enforce_csrf_checks=True), csrf=None), 401)


@pytest.mark.parametrize("role", ["analyst", "auditor", "admin", "prosecutor"])
def test_a_role_outside_the_case_work_is_refused_and_the_refusal_audited(login, school, role):
    client, user, csrf = browser(login, school, role)
    problem(submit(client, csrf=csrf), 403)
    assert Concern.objects.count() == 0
    event = calls(Outcome.DENIED).get()
    assert event.actor == user
    assert event.details == {"via": "session", "operation": "concern_submit", "method": "POST",
                             "scope": "concerns:write"}


def test_a_session_without_the_second_factor_opens_nothing(school):
    user = UserFactory(password=None)
    MembershipFactory(user=user, agency=school, role="caseworker")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)  # the password step only
    response = client.get("/api/v1/cases")
    assert response.status_code in (302, 401)  # the second-factor guard logs such a session out
    assert Concern.objects.count() == 0


def test_the_idempotency_key_is_the_users_own(login, school):
    first, _, csrf = browser(login, school, "caseworker")
    assert submit(first, csrf=csrf).status_code == 202
    again = submit(first, csrf=csrf)
    assert again.status_code == 202
    assert again["Idempotent-Replayed"] == "true"
    assert Concern.objects.count() == 1
    other, _, other_csrf = browser(login, school, "caseworker")
    response = submit(other, csrf=other_csrf)  # the same key, another user: a new request
    assert response.status_code == 202
    assert not response.has_header("Idempotent-Replayed")
    assert Concern.objects.count() == 2
    assert IdempotencyRecord.objects.filter(client=None).count() == 2


def test_a_bearer_token_beside_a_session_speaks_for_the_client(login, school):
    client, _, _ = browser(login, school, "analyst")  # a role the session could not use
    api_client = services.client_create(agency=school, name="Skolesystem",
                                        scopes=[Scope.CONCERNS_WRITE])
    token = services.token_issue(client=api_client).token
    assert submit(client, csrf=None, token=token).status_code == 202
    assert calls().get().details["client"] == str(api_client.pk)


def test_a_session_reads_what_the_case_page_shows(login):
    bydel = AgencyFactory(type="bydel", district_id=STOVNER)
    client, user, _ = browser(login, bydel, "caseworker")
    case = CaseFactory(person=PersonFactory(district_id=STOVNER))
    assert client.get(f"/api/v1/cases/{case.pk}").status_code == 404  # not on the team
    TeamMemberFactory(case=case, user=user, agency=bydel)
    response = client.get(f"/api/v1/cases/{case.pk}")  # a read needs no CSRF token
    assert response.status_code == 200, response.content
    assert response.json()["id"] == str(case.pk)
    listed = client.get("/api/v1/cases").json()["items"]
    assert [item["id"] for item in listed] == [str(case.pk)]
    assert client.get(f"/api/v1/cases/{uuid.uuid4()}").status_code == 404
    assert calls().filter(actor=user, details__via="session").count() == 2
