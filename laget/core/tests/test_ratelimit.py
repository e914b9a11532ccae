"""Rate limits: counted in the database per subject and window, a 429 with Retry-After on the web
and in the API, the first refusal of a window audited, old windows pruned."""

import datetime as dt
import json

import pytest
from django.test import Client

from laget.apiclients import services as client_services
from laget.apiclients.models import Scope
from laget.audit.actions import Action, Outcome
from laget.audit.models import AuditEvent
from laget.core import clock, ratelimit
from laget.core.models import RateCounter

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 26, 10, 0, 5, tzinfo=dt.UTC)


@pytest.fixture
def small(settings):
    settings.LAGET_RATE_LIMITS = {"login": (3, 300), "search": (2, 60), "api": (2, 60),
                                  "api_open": (2, 60)}


def test_counts_per_subject_and_window(small):
    with clock.frozen(T0):
        assert [ratelimit.hit("search", "a") for _ in range(3)] == [1, 2, 3]
        assert ratelimit.hit("search", "b") == 1
    with clock.frozen(T0 + dt.timedelta(seconds=60)):
        assert ratelimit.hit("search", "a") == 1  # a new window
    # the subject is stored only as a keyed hash
    assert not RateCounter.objects.filter(bucket__contains=":a").exists()


def test_over_the_limit_raises_with_the_seconds_left(small):
    with clock.frozen(T0):
        ratelimit.check("search", "a")
        ratelimit.check("search", "a")
        with pytest.raises(ratelimit.RateLimited) as refused:
            ratelimit.check("search", "a")
    assert refused.value.retry_after == 55


def test_prune_removes_windows_that_are_over(small):
    with clock.frozen(T0):
        ratelimit.hit("search", "a")
        ratelimit.hit("login", "a")
    with clock.frozen(T0 + dt.timedelta(seconds=120)):
        assert ratelimit.prune() == 1  # the minute window; the five-minute one is still open
    assert RateCounter.objects.count() == 1


def test_login_attempts_from_one_address(client: Client, small):
    for _ in range(3):
        response = client.post("/konto/logg-inn/", {"username": "x", "password": "y"})
        assert response.status_code == 200
    for _ in range(2):
        response = client.post("/konto/logg-inn/", {"username": "x", "password": "y"})
        assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "For mange forsøk" in response.content.decode()
    # the page itself still opens; only the attempts are limited
    assert client.get("/konto/logg-inn/").status_code == 200
    events = AuditEvent.objects.filter(action=Action.RATE_LIMITED, outcome=Outcome.DENIED)
    assert events.count() == 1 and events.get().details["group"] == "login"


def test_searches_per_user(client: Client, small, make_member, login):
    login(client, make_member("caseworker"))
    assert client.get("/personer/").status_code == 200
    assert client.get("/personer/").status_code == 200
    assert client.get("/personer/").status_code == 429


def test_api_per_client(client: Client, small, make_member):
    from laget.accounts.tests.factories import AgencyFactory

    api_client = client_services.client_create(agency=AgencyFactory(type="skole"),
                                               name="System", scopes=[Scope.CASES_READ])
    token = client_services.token_issue(client=api_client).token
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/cases", headers=headers).status_code == 200
    assert client.get("/api/v1/cases", headers=headers).status_code == 200
    refused = client.get("/api/v1/cases", headers=headers)
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/problem+json")
    assert refused.json()["status"] == 429 and int(refused["Retry-After"]) > 0


def test_the_open_guide_per_address(client: Client, small):
    body = json.dumps({"source": "skole", "recipient": "bydel", "category": "skole",
                       "purpose": "forebygging", "person_age": 14})
    codes = [client.post("/api/v1/sharing/guide", body, content_type="application/json")
             .status_code for _ in range(3)]
    assert codes == [200, 200, 429]
