"""The two-step login in a real browser, through the forms a user fills in."""

import pytest
from playwright.sync_api import expect

from laget.accounts.services import totp_current_token
from tests.browser.tab import Tab, code_step, heading, log_in, password_step, wrong_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_password_then_code_lands_on_the_start_page_with_the_users_name(
    in_browser, member_with_device
):
    user, device = member_with_device("coordinator", first_name="Kari", last_name="Nordmann")

    def scenario(tab: Tab) -> None:
        page = tab.page
        password_step(tab, user.username)
        expect(page).to_have_url(tab.url("/konto/logg-inn/kode/"))
        assert heading(page) == "Bekreft at det er deg"
        # Between the steps nobody is logged in.
        expect(page.get_by_test_id("current-user")).to_have_count(0)
        code_step(tab, totp_current_token(device=device))
        expect(page).to_have_url(tab.url("/"))
        expect(page.get_by_test_id("current-user")).to_contain_text("Kari Nordmann")
        expect(page.locator("h1")).to_have_text("Hei, Kari")
        tab.assert_no_problems("login")

    in_browser(scenario)


def test_a_wrong_code_is_refused_with_a_message_and_the_right_one_then_works(
    in_browser, member_with_device
):
    user, device = member_with_device("caseworker", first_name="Ola")

    def scenario(tab: Tab) -> None:
        page = tab.page
        password_step(tab, user.username)
        expect(page).to_have_url(tab.url("/konto/logg-inn/kode/"))
        code_step(tab, wrong_code(totp_current_token(device=device)))
        expect(page).to_have_url(tab.url("/konto/logg-inn/kode/"))
        error = page.locator("#id_token_error")
        expect(error).to_have_text("Koden er feil eller utløpt.")
        expect(page.get_by_test_id("current-user")).to_have_count(0)
        # django-otp throttles the device for 1 s after a failure (then 2 s, 4 s, ...).
        page.wait_for_timeout(1100)
        code_step(tab, totp_current_token(device=device))
        expect(page).to_have_url(tab.url("/"))
        expect(page.get_by_test_id("current-user")).to_contain_text("Ola")
        # The refused code was a form error, not a broken page.
        tab.assert_no_problems("login after a wrong code")

    in_browser(scenario)


def test_a_wrong_password_keeps_the_user_on_the_login_page(in_browser, member_with_device):
    user, _device = member_with_device("caseworker")

    def scenario(tab: Tab) -> None:
        page = tab.page
        password_step(tab, user.username, password="feil-passord-1234")
        expect(page).to_have_url(tab.url("/konto/logg-inn/"))
        expect(page.get_by_text("Feil brukernavn eller passord.")).to_be_visible()
        tab.assert_no_problems("wrong password")

    in_browser(scenario)


def test_log_in_helper_and_log_out(in_browser, member_with_device):
    user, device = member_with_device("leader")

    def scenario(tab: Tab) -> None:
        page = tab.page
        log_in(tab, user, device)
        page.get_by_role("button", name="Logg ut").click()
        expect(page).to_have_url(tab.url("/konto/logg-inn/"))
        expect(page.get_by_text("Du er logget ut.")).to_be_visible()
        expect(page.get_by_test_id("current-user")).to_have_count(0)
        # The start page now asks for a login again.
        tab.goto("/")
        expect(page).to_have_url(tab.url("/konto/logg-inn/?next=/"))
        tab.assert_no_problems("logout")

    in_browser(scenario)
