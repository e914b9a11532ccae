"""The language switch in the header: English and back to Norwegian."""

import pytest
from playwright.sync_api import expect

from tests.browser.tab import Tab, heading

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NORWEGIAN_HEADING = "Logg inn i Laget"
ENGLISH_HEADING = "Sign in to Laget"  # locale/en/LC_MESSAGES/django.po


def test_switch_to_english_and_back(in_browser):
    def scenario(tab: Tab) -> None:
        page = tab.page
        tab.goto("/konto/logg-inn/")
        expect(page.locator("html")).to_have_attribute("lang", "nb")
        assert heading(page) == NORWEGIAN_HEADING
        expect(page.get_by_test_id("language-nb")).to_have_count(0)

        page.get_by_test_id("language-en").click()
        expect(page).to_have_url(tab.url("/konto/logg-inn/"))
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_test_id("language-en")).to_have_count(0)
        # A page that says lang="en" must be in English (WCAG 3.1.1), not Norwegian; a failure
        # here usually means locale/en/LC_MESSAGES/django.mo is missing or stale.
        assert heading(page) == ENGLISH_HEADING
        expect(page.get_by_label("Username")).to_be_visible()
        expect(page.get_by_role("button", name="Norsk")).to_have_attribute("lang", "nb")
        tab.assert_no_problems("login page in English")

        page.get_by_test_id("language-nb").click()
        expect(page.locator("html")).to_have_attribute("lang", "nb")
        expect(page.locator("h1")).to_have_text(NORWEGIAN_HEADING)
        expect(page.get_by_test_id("language-en")).to_be_visible()
        tab.assert_no_problems("login page back in Norwegian")

    in_browser(scenario)
