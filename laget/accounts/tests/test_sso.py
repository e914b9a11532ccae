"""Single sign-on against a real OIDC provider process on loopback (tests/oidc): the Django test
client follows the redirect to the provider, the provider's login form is filled in over HTTP, and
the callback makes Laget exchange the code and fetch the JWKS from the provider for real."""

import uuid

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from laget.accounts.models import ExternalIdentity
from laget.accounts.services import membership_end, totp_current_token, totp_device_set
from laget.accounts.tests.factories import UserFactory
from laget.audit.models import AuditEvent
from tests.oidc.harness import (  # noqa: F401 (fixtures)
    TEST_CLIENT_CALLBACK,
    oidc_provider_fixture,
    sso_on_fixture,
)

pytestmark = pytest.mark.django_db
KEY = "3132333435363738393031323334353637383930"
REFUSED = 403


def _provider_user(provider, *, email="", acr="idporten-loa-high", **extra):
    """A provider account with a fresh subject; returns (username, subject)."""
    username = f"p-{uuid.uuid4().hex[:10]}"
    subject = uuid.uuid4().hex
    claims = {"sub": subject, "acr": acr}
    if email:
        claims.update(email=email, email_verified=True)
    claims.update(extra.pop("claims", {}))
    provider.add_user(username, claims=claims, **extra)
    return username, subject


def _authorize(client, provider, next_url=""):
    query = f"?next={next_url}" if next_url else ""
    response = client.get(reverse("accounts:sso") + query)
    assert response.status_code == 302
    assert response["Location"].startswith(provider.issuer + "/authorize/")
    return response["Location"]


def _sso(client, provider, username, next_url=""):
    """Start at Laget, log in at the provider, come back: Laget's answer to the callback."""
    back = provider.log_in(_authorize(client, provider, next_url), username)
    assert back.startswith(TEST_CLIENT_CALLBACK), back
    return client.get(back.removeprefix("http://testserver"))


def _logged_in(client) -> bool:
    return client.get(reverse("web:start")).status_code == 200


def _refusals():
    return AuditEvent.objects.filter(action="auth.login_failed", outcome="denied")


def test_high_acr_links_by_verified_email_and_needs_no_code(client, make_member, sso_on):
    user = make_member("caseworker")
    totp_device_set(user=user, key_hex=KEY)
    username, subject = _provider_user(sso_on, email=user.email.upper())
    response = _sso(client, sso_on, username, next_url="/personer/")
    assert response.status_code == 302 and response["Location"] == "/personer/"
    assert _logged_in(client)
    identity = ExternalIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (sso_on.issuer, subject)
    assert identity.last_login is not None
    # The provider's login verified the session as a django-otp device would.
    assert client.session[DEVICE_ID_SESSION_KEY] == identity.persistent_id
    assert AuditEvent.objects.filter(action="auth.login", actor=user).count() == 1


def test_amr_mfa_counts_as_two_factor(client, make_member, sso_on):
    user = make_member("coordinator")
    username, _subject = _provider_user(
        sso_on, email=user.email, acr="", claims={"amr": ["pwd", "mfa"]})
    response = _sso(client, sso_on, username)
    assert response.status_code == 302 and response["Location"] == reverse("web:start")
    assert _logged_in(client)


def test_low_acr_asks_for_laget_code_after_the_provider(client, make_member, sso_on):
    user = make_member("caseworker")
    device = totp_device_set(user=user, key_hex=KEY)
    username, _subject = _provider_user(
        sso_on, email=user.email, acr="idporten-loa-low", claims={"amr": ["pwd"]})
    response = _sso(client, sso_on, username)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:totp")
    assert not _logged_in(client)
    response = client.post(reverse("accounts:totp"), {"token": totp_current_token(device=device)})
    assert response.status_code == 302 and response["Location"] == reverse("web:start")
    assert _logged_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert AuditEvent.objects.filter(action="auth.login", actor=user).count() == 1


def test_low_acr_without_authenticator_goes_to_enrolment(client, make_member, sso_on):
    user = make_member("leader")
    username, _subject = _provider_user(sso_on, email=user.email, acr="")
    response = _sso(client, sso_on, username)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:totp_enroll")
    assert not _logged_in(client)


def test_a_linked_subject_is_found_by_sub_not_by_email(client, make_member, sso_on):
    user = make_member("caseworker")
    other = make_member("caseworker")
    username, subject = _provider_user(sso_on, email=other.email)
    ExternalIdentity.objects.create(user=user, issuer=sso_on.issuer, subject=subject, name="SSO")
    response = _sso(client, sso_on, username)
    assert response.status_code == 302
    assert client.get(reverse("web:start")).context["user"] == user
    assert not ExternalIdentity.objects.filter(user=other).exists()


def test_unknown_subject_without_matching_user_is_refused_and_audited(client, sso_on):
    username, _subject = _provider_user(sso_on, email="ingen.slik@test.laget.invalid")
    response = _sso(client, sso_on, username)
    assert response.status_code == REFUSED
    assert "Vi fant ingen bruker i Laget" in response.content.decode()
    assert not _logged_in(client)
    event = _refusals().get()
    assert event.actor is None
    assert event.details == {"method": "oidc", "reason": "no_single_email_match"}


def test_unverified_email_does_not_link(client, make_member, sso_on):
    user = make_member("caseworker")
    username, _subject = _provider_user(sso_on, claims={"email": user.email})
    assert _sso(client, sso_on, username).status_code == REFUSED
    assert not ExternalIdentity.objects.exists()


def test_email_of_a_user_already_linked_is_refused(client, make_member, sso_on):
    user = make_member("caseworker")
    ExternalIdentity.objects.create(user=user, issuer=sso_on.issuer, subject="first", name="SSO")
    username, _subject = _provider_user(sso_on, email=user.email)
    assert _sso(client, sso_on, username).status_code == REFUSED
    assert ExternalIdentity.objects.filter(user=user).count() == 1
    assert _refusals().get().details["reason"] == "user_already_linked"


def test_user_without_membership_is_refused_with_a_clear_page(client, sso_on):
    user = UserFactory()
    username, _subject = _provider_user(sso_on, email=user.email)
    response = _sso(client, sso_on, username)
    assert response.status_code == REFUSED
    assert "Du har ingen aktiv rolle" in response.content.decode()
    assert not _logged_in(client)
    # Nothing is written for a refused login, not even the link.
    assert not ExternalIdentity.objects.exists()
    event = _refusals().get()
    assert event.actor == user and event.details["reason"] == "no_membership"


def test_a_leaver_is_refused_the_day_the_membership_ends(client, make_member, sso_on):
    user = make_member("caseworker")
    username, subject = _provider_user(sso_on, email=user.email)
    ExternalIdentity.objects.create(user=user, issuer=sso_on.issuer, subject=subject, name="SSO")
    membership_end(membership=user.memberships.get())
    assert _sso(client, sso_on, username).status_code == REFUSED


def test_groups_claim_can_only_take_access_away(client, make_member, sso_on, settings):
    settings.LAGET_OIDC_GROUPS_CLAIM = "groups"
    user = make_member("caseworker")
    agency = user.memberships.get().agency
    username, _subject = _provider_user(
        sso_on, email=user.email, claims={"groups": [f"{agency.code}:leader"]})
    assert _sso(client, sso_on, username).status_code == REFUSED
    username, _subject = _provider_user(
        sso_on, email=user.email, claims={"groups": [f"{agency.code}:caseworker"]})
    assert _sso(client, sso_on, username).status_code == 302
    assert _logged_in(client)


def test_wrong_state_is_refused(client, make_member, sso_on):
    user = make_member("caseworker")
    username, _subject = _provider_user(sso_on, email=user.email)
    back = sso_on.log_in(_authorize(client, sso_on), username)
    forged = back.replace("state=", "state=x", 1)
    response = client.get(forged.removeprefix("http://testserver"))
    assert response.status_code == REFUSED
    assert not _logged_in(client)
    assert _refusals().get().details["reason"] == "MismatchingStateError"


def test_a_callback_from_another_browser_is_refused(client, make_member, sso_on):
    from django.test import Client

    user = make_member("caseworker")
    username, _subject = _provider_user(sso_on, email=user.email)
    back = sso_on.log_in(_authorize(client, sso_on), username)
    # The state lives in the session that started the login; another session has none.
    other = Client()
    assert other.get(back.removeprefix("http://testserver")).status_code == REFUSED


@pytest.mark.parametrize(
    ("misbehaviour", "reason"),
    [
        ({"nonce": "not-the-nonce-we-sent"}, "InvalidClaimError"),
        ({"exp_offset": -3600}, "ExpiredTokenError"),
        ({"tamper_signature": True}, "BadSignatureError"),
    ],
)
def test_bad_id_tokens_are_refused(client, make_member, sso_on, misbehaviour, reason):
    user = make_member("caseworker")
    username, _subject = _provider_user(sso_on, email=user.email, **misbehaviour)
    response = _sso(client, sso_on, username)
    assert response.status_code == REFUSED
    assert not _logged_in(client)
    assert not ExternalIdentity.objects.exists()
    assert _refusals().get().details["reason"] == reason


def test_off_without_issuer_and_the_local_login_stays(client, make_member, settings):
    settings.LAGET_OIDC_ISSUER = ""
    assert client.get(reverse("accounts:sso")).status_code == 404
    assert client.get(reverse("accounts:sso_callback")).status_code == 404
    assert "felles innlogging" not in client.get(reverse("accounts:login")).content.decode()


def test_login_page_offers_sso_and_keeps_the_password_form(client, sso_on):
    page = client.get(reverse("accounts:login") + "?next=/personer/").content.decode()
    assert 'href="/konto/logg-inn/sso/?next=/personer/"' in page
    assert 'name="password"' in page
