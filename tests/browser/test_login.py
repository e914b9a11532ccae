"""The two-step login in a real browser, through the forms a user fills in."""

import base64

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from laget.accounts.services import totp_current_token
from tests.browser.tab import (
    Tab,
    assert_accessible,
    code_step,
    heading,
    password_step,
    wrong_code,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_password_and_code_log_in_a_wrong_code_is_refused(in_browser, member_with_device):
    user, device = member_with_device("coordinator", first_name="Kari", last_name="Nordmann")

    def scenario(tab: Tab) -> None:
        page = tab.page
        password_step(tab, user.username)
        expect(page).to_have_url(tab.url("/konto/logg-inn/kode/"))
        assert heading(page) == "Bekreft at det er deg"
        # Between the steps nobody is logged in.
        expect(page.get_by_test_id("current-user")).to_have_count(0)

        code_step(tab, wrong_code(totp_current_token(device=device)))
        expect(page).to_have_url(tab.url("/konto/logg-inn/kode/"))
        expect(page.locator("#id_token_error")).to_have_text("Koden er feil eller utløpt.")
        expect(page.get_by_test_id("current-user")).to_have_count(0)

        # django-otp throttles the device for 1 s after a failure (then 2 s, 4 s, ...).
        page.wait_for_timeout(1100)
        code_step(tab, totp_current_token(device=device))
        expect(page).to_have_url(tab.url("/"))
        expect(page.get_by_test_id("current-user")).to_contain_text("Kari Nordmann")
        expect(page.locator("h1")).to_have_text("Hei, Kari")
        # The refused code was a form error, not a broken page.
        tab.assert_no_problems("login")

        page.get_by_role("button", name="Logg ut").click()
        expect(page).to_have_url(tab.url("/konto/logg-inn/"))
        expect(page.get_by_text("Du er logget ut.")).to_be_visible()
        expect(page.get_by_test_id("current-user")).to_have_count(0)
        tab.goto("/")
        expect(page).to_have_url(tab.url("/konto/logg-inn/?next=/"))
        tab.assert_no_problems("logout")

    in_browser(scenario)


def test_first_login_enrols_an_authenticator_from_the_shown_secret(in_browser, make_member):
    # A leader without any device: the password step leads to the enrolment page.
    user = make_member("leader", first_name="Per")

    def scenario(tab: Tab) -> None:
        page = tab.page
        password_step(tab, user.username)
        expect(page).to_have_url(tab.url("/konto/logg-inn/tofaktor/"))
        expect(page.locator(".laget-qr svg")).to_be_visible()
        assert_accessible(tab, "authenticator enrolment page")
        # What an authenticator app does with the secret it was given.
        secret = page.get_by_test_id("totp-secret").inner_text().strip()
        code = f"{TOTP(base64.b32decode(secret + '=' * (-len(secret) % 8))).token():06d}"
        page.get_by_label("Engangskode").fill(code)
        page.get_by_role("button", name="Bekreft og logg inn").click()
        expect(page).to_have_url(tab.url("/"))
        expect(page.get_by_test_id("current-user")).to_contain_text("Per")
        tab.assert_no_problems("enrolment")

    in_browser(scenario)
