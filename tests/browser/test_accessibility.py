"""axe-core (WCAG 2.0/2.1 A and AA) finds no serious or critical violations on Laget's pages.

The start page of every role is scanned in test_start_pages.py. Full-page screenshots for a human
look go to /tmp/laget-shots/.
"""

import pytest
from playwright.sync_api import expect

from laget.people.tests.factories import PersonFactory
from tests.browser.tab import (
    SHOTS_DIR,
    Tab,
    assert_accessible,
    assert_punkt_styled,
    log_in,
    password_step,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _screenshot(tab: Tab, name: str) -> None:
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    tab.page.screenshot(path=str(SHOTS_DIR / f"{name}.png"), full_page=True)


def test_pages_before_login(in_browser, member_with_device):
    user, _device = member_with_device("caseworker")

    def scenario(tab: Tab) -> None:
        page = tab.page
        for path, title in [
            ("/konto/logg-inn/", "login page"),
            ("/tilgjengelighet/", "accessibility statement"),
        ]:
            response = tab.goto(path)
            assert response.status == 200, f"{title} answered {response.status}"
            assert_punkt_styled(page)
            tab.assert_no_problems(title)
            assert_accessible(tab, title)
            if path == "/konto/logg-inn/":
                _screenshot(tab, "login")

        response = tab.goto("/finnes-ikke/")
        assert response.status == 404
        tab.take_problems()  # the console reports the 404 of the page itself
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(tab, "404 page")

        password_step(tab, user.username)
        expect(page).to_have_url(tab.url("/konto/logg-inn/kode/"))
        assert_accessible(tab, "one-time code page")
        page.get_by_role("button", name="Logg inn").click()  # empty code: the error state
        expect(page.locator("#id_token_error")).to_be_visible()
        assert_accessible(tab, "one-time code page with an error")
        tab.assert_no_problems("one-time code page")

    in_browser(scenario)


def test_coordinator_pages(in_browser, role_member):
    user, device = role_member("coordinator")
    for given_name in ("Aurora", "Emil", "Nora"):
        PersonFactory(given_name=given_name, district_id="030111")

    def scenario(tab: Tab) -> None:
        page = tab.page
        log_in(tab, user, device)
        _screenshot(tab, "coordinator-start")

        tab.goto("/personer/")
        expect(page.get_by_role("link", name="Syntetisk, Aurora")).to_be_visible()
        assert_accessible(tab, "person list")
        _screenshot(tab, "coordinator-person-list")

        tab.goto("/personer/ny/")
        assert_accessible(tab, "person registration form")
        page.get_by_role("button", name="Lagre").click()
        expect(page.locator(".pkt-form-validation--error").first).to_be_visible()
        assert_accessible(tab, "person registration form with errors")
        _screenshot(tab, "coordinator-person-form-errors")

        tab.goto("/bydeler/")
        expect(page.locator("table")).to_contain_text("Gamle Oslo")
        assert_accessible(tab, "district list")
        tab.goto("/bydeler/030101/")
        assert_accessible(tab, "district page")
        tab.assert_no_problems("coordinator pages")

    in_browser(scenario)
