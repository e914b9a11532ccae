"""Single sign-on in a real browser: Laget's login page → the test provider's own login page (a
separate process on loopback) → back to Laget, with or without Laget's code step depending on
the provider's acr."""

import uuid

import pytest
from playwright.sync_api import expect

from laget.accounts.services import totp_current_token
from tests.browser.tab import Tab, assert_accessible, code_step, heading, log_out
from tests.oidc.harness import (  # noqa: F401 (fixtures)
    CALLBACK_PATH,
    PASSWORD,
    oidc_provider_fixture,
    sso_on_fixture,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _provider_login(tab: Tab, username: str) -> None:
    page = tab.page
    tab.goto("/konto/logg-inn/")
    page.get_by_role("link", name="Logg inn med felles innlogging").click()
    expect(page.locator("h1")).to_have_text("Test identity provider")
    page.get_by_label("Provider user").fill(username)
    page.get_by_label("Provider password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in at provider").click()


def test_sso_with_high_acr_skips_the_code_and_low_acr_asks_for_it(
    in_browser, member_with_device, sso_on, live_server
):
    sso_on.allow_redirect(live_server.url + CALLBACK_PATH)
    kari, _device = member_with_device("coordinator", first_name="Kari", last_name="Nordmann")
    per, per_device = member_with_device("caseworker", first_name="Per", last_name="Hansen")
    high, low = f"kari-{uuid.uuid4().hex[:6]}", f"per-{uuid.uuid4().hex[:6]}"
    sso_on.add_user(high, claims={"sub": uuid.uuid4().hex, "email": kari.email,
                                  "email_verified": True, "acr": "idporten-loa-substantial"})
    sso_on.add_user(low, claims={"sub": uuid.uuid4().hex, "email": per.email,
                                 "email_verified": True, "acr": "idporten-loa-low"})
    nobody = f"nobody-{uuid.uuid4().hex[:6]}"
    sso_on.add_user(nobody, claims={"sub": uuid.uuid4().hex, "acr": "idporten-loa-high"})
    per_code = totp_current_token(device=per_device)

    def scenario(tab: Tab) -> None:
        page = tab.page
        _provider_login(tab, high)
        expect(page).to_have_url(tab.url("/"))
        expect(page.get_by_test_id("current-user")).to_contain_text("Kari Nordmann")
        tab.take_problems()  # the provider's page is not Laget's (no favicon, no styles)
        log_out(tab)
        # Logging out of Laget leaves the provider's own session (that is single sign-on): the
        # next person on this browser starts without cookies.
        page.context.clear_cookies()

        _provider_login(tab, low)
        expect(page).to_have_url(tab.url("/konto/logg-inn/kode/"))
        assert heading(page) == "Bekreft at det er deg"
        expect(page.get_by_test_id("current-user")).to_have_count(0)
        code_step(tab, per_code)
        expect(page).to_have_url(tab.url("/"))
        expect(page.get_by_test_id("current-user")).to_contain_text("Per Hansen")
        tab.take_problems()
        log_out(tab)
        page.context.clear_cookies()

        _provider_login(tab, nobody)
        expect(page.get_by_test_id("sso-refused")).to_contain_text("Vi fant ingen bruker i Laget")
        expect(page.get_by_test_id("current-user")).to_have_count(0)
        assert_accessible(tab, "refused single sign-on")
        tab.take_problems()
        tab.goto("/konto/logg-inn/")
        assert_accessible(tab, "login page with single sign-on")
        tab.assert_no_problems("login page with single sign-on")

    in_browser(scenario)
