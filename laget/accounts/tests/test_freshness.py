"""A session unused for a while is logged out; an export asks for the password and code again when
the last proof is old. Both are audited."""

import pytest
from django.test import Client

from laget.accounts import freshness
from laget.accounts.services import totp_current_token
from laget.audit.actions import Action, Outcome
from laget.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "Et-langt-passord-2026"
EXPORT = "/logg/hendelser/eksport/"


@pytest.fixture
def auditor(make_member):
    user = make_member("auditor", agency_type="by", district=None)
    user.set_password(PASSWORD)
    user.save()
    return user


def _age(client: Client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = session[key] - seconds
    session.save()


def test_an_idle_session_is_logged_out_with_the_way_back(client, login, auditor, settings):
    login(client, auditor)
    assert client.get("/").status_code == 200
    _age(client, freshness.SEEN_KEY, settings.LAGET_SESSION_IDLE_SECONDS + 1)
    response = client.get("/logg/hendelser/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logg-inn/?next=")
    assert AuditEvent.objects.filter(action=Action.SESSION_TIMEOUT, actor=auditor).exists()
    # the session is gone: the next page asks for a login
    assert client.get("/logg/hendelser/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_session_in_use_stays(client, login, auditor, settings):
    login(client, auditor)
    _age(client, freshness.SEEN_KEY, settings.LAGET_SESSION_IDLE_SECONDS - 120)
    assert client.get("/").status_code == 200
    # the request moved the last-seen time forward
    assert client.session[freshness.SEEN_KEY] > freshness._now() - 5
    assert not AuditEvent.objects.filter(action=Action.SESSION_TIMEOUT).exists()


def test_htmx_requests_are_sent_to_the_login_by_header(client, login, auditor, settings):
    login(client, auditor)
    _age(client, freshness.SEEN_KEY, settings.LAGET_SESSION_IDLE_SECONDS + 1)
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/konto/logg-inn/")


def test_an_export_soon_after_login_needs_nothing_more(client, login, auditor):
    login(client, auditor)
    assert client.get(EXPORT).status_code == 200


def test_an_export_after_a_while_asks_again(client, login, auditor, settings):
    login(client, auditor)
    _age(client, freshness.AUTH_KEY, settings.LAGET_REAUTH_SECONDS + 1)
    response = client.get(EXPORT)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/bekreft/?next=")
    page = client.get(response["Location"])
    assert page.status_code == 200 and "token" in page.context["form"].fields

    wrong = client.post("/konto/bekreft/", {"password": "feil", "token": "000000",
                                             "next": EXPORT})
    assert wrong.status_code == 200 and wrong.context["form"].errors["password"]
    assert AuditEvent.objects.filter(action=Action.REAUTH_FAILED,
                                     outcome=Outcome.DENIED).count() == 1
    assert client.get(EXPORT).status_code == 302

    device = auditor.totpdevice_set.get(confirmed=True)
    right = client.post("/konto/bekreft/", {"password": PASSWORD,
                                             "token": totp_current_token(device=device),
                                             "next": EXPORT})
    assert right.status_code == 302 and right["Location"] == EXPORT
    assert AuditEvent.objects.filter(action=Action.REAUTH, actor=auditor).exists()
    assert client.get(EXPORT).status_code == 200


def test_the_way_back_after_reauth_stays_on_this_site(client, login, auditor, settings):
    login(client, auditor)
    _age(client, freshness.AUTH_KEY, settings.LAGET_REAUTH_SECONDS + 1)
    device = auditor.totpdevice_set.get(confirmed=True)
    response = client.post("/konto/bekreft/", {
        "password": PASSWORD, "token": totp_current_token(device=device),
        "next": "https://angriper.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_reauth_needs_a_login(client):
    response = client.get("/konto/bekreft/")
    assert response.status_code == 302 and "/konto/logg-inn/" in response["Location"]
