"""The two-step login through the real forms: password, then the one-time code."""

import pytest
from django.urls import reverse

from laget.accounts.services import totp_current_token, totp_device_set
from laget.accounts.tests.factories import TEST_PASSWORD
from laget.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
KEY = "3132333435363738393031323334353637383930"


def _password_step(client, user, password=TEST_PASSWORD):
    return client.post(reverse("accounts:login"),
                       {"username": user.username, "password": password})


def test_caseworker_needs_the_second_factor_before_being_logged_in(client, make_member):
    user = make_member("caseworker")
    device = totp_device_set(user=user, key_hex=KEY)
    response = _password_step(client, user)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:totp")
    # Between the steps the session is not logged in.
    assert client.get(reverse("web:start")).status_code == 302
    response = client.post(reverse("accounts:totp"), {"token": totp_current_token(device=device)})
    assert response.status_code == 302 and response["Location"] == reverse("web:start")
    assert client.get(reverse("web:start")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.login", actor=user).count() == 1


def test_wrong_code_is_refused_and_audited(client, make_member):
    user = make_member("coordinator")
    device = totp_device_set(user=user, key_hex=KEY)
    _password_step(client, user)
    good = totp_current_token(device=device)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = client.post(reverse("accounts:totp"), {"token": wrong})
    assert response.status_code == 200
    assert "Koden er feil eller utløpt." in response.content.decode()
    assert client.get(reverse("web:start")).status_code == 302
    assert AuditEvent.objects.filter(action="auth.second_factor_failed", actor=user).exists()


def test_non_numeric_code_gets_a_form_error(client, make_member):
    user = make_member("coordinator")
    totp_device_set(user=user, key_hex=KEY)
    _password_step(client, user)
    response = client.post(reverse("accounts:totp"), {"token": "abcdef"})
    assert response.status_code == 200
    assert "Koden har bare siffer." in response.content.decode()


def test_wrong_password_gets_a_clear_message_and_an_audit_event(client, make_member):
    user = make_member("caseworker")
    response = _password_step(client, user, password="feil-passord")
    assert response.status_code == 200
    assert "Feil brukernavn eller passord." in response.content.decode()
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor is None and event.outcome == "denied"
    assert user.username not in str(event.details)


def test_lockout_after_repeated_failures(client, make_member, settings):
    user = make_member("caseworker")
    totp_device_set(user=user, key_hex=KEY)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _password_step(client, user, password="feil-passord")
    response = _password_step(client, user)  # even the right password is refused now
    assert response.status_code == 429
    assert "midlertidig sperret" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()


def test_first_login_enrols_an_authenticator(client, make_member):
    user = make_member("leader")
    response = _password_step(client, user)
    assert response["Location"] == reverse("accounts:totp_enroll")
    page = client.get(reverse("accounts:totp_enroll"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = user.totpdevice_set.get(confirmed=False)
    response = client.post(reverse("accounts:totp_enroll"),
                           {"token": totp_current_token(device=device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="auth.second_factor_enrolled", actor=user).exists()


def test_analyst_without_personal_data_logs_in_with_password_only(client, make_member):
    user = make_member("analyst", agency_type="by", district=None)
    response = _password_step(client, user)
    assert response["Location"] == reverse("web:start")
    assert client.get(reverse("web:start")).status_code == 200


def test_session_without_second_factor_is_thrown_out(client, make_member):
    user = make_member("caseworker")
    client.force_login(user)  # e.g. a login path that skipped the second factor
    response = client.get(reverse("web:start"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert client.get(reverse("web:start")).status_code == 302


def test_admin_site_login_goes_through_laget_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_open_redirect_is_refused(client, make_member):
    user = make_member("analyst", agency_type="by", district=None)
    response = client.post(reverse("accounts:login") + "?next=https://evil.example/",
                           {"username": user.username, "password": TEST_PASSWORD,
                            "next": "https://evil.example/"})
    assert response["Location"] == reverse("web:start")


def test_logout_and_password_change(client, make_member, login):
    user = make_member("caseworker")
    login(client, user)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": TEST_PASSWORD, "new_password1": "Et-nytt-langt-passord-77",
        "new_password2": "Et-nytt-langt-passord-77"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.password_changed", actor=user).exists()
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(action="auth.logout", actor=user).exists()
    assert client.get(reverse("web:start")).status_code == 302


def test_leaver_loses_access_the_same_day(client, make_member, login):
    from laget.accounts.services import membership_end

    user = make_member("caseworker")
    login(client, user)
    assert client.get(reverse("web:person_list")).status_code == 200
    membership_end(membership=user.memberships.get())
    assert client.get(reverse("web:person_list")).status_code == 403
