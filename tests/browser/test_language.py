"""The language switch in the header: English and back to Norwegian, before and after login."""

import pytest
from playwright.sync_api import expect

from laget.accounts.services import totp_current_token
from laget.accounts.tests.factories import TEST_PASSWORD
from tests.browser.tab import Tab, heading

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Texts as in locale/en/LC_MESSAGES/django.po. A page that says lang="en" must be in English
# (WCAG 3.1.1); a failure here often means locale/en/LC_MESSAGES/django.mo is missing or stale.
NORWEGIAN_HEADING = "Logg inn i Laget"
ENGLISH_HEADING = "Sign in to Laget"


def test_switch_to_english_log_in_and_switch_back(in_browser, member_with_device):
    user, device = member_with_device("coordinator", first_name="Kari")

    def scenario(tab: Tab) -> None:
        page = tab.page
        html = page.locator("html")
        tab.goto("/konto/logg-inn/")
        expect(html).to_have_attribute("lang", "nb")
        assert heading(page) == NORWEGIAN_HEADING
        expect(page.get_by_test_id("language-nb")).to_have_count(0)

        page.get_by_test_id("language-en").click()
        expect(page).to_have_url(tab.url("/konto/logg-inn/"))
        expect(html).to_have_attribute("lang", "en")
        assert heading(page) == ENGLISH_HEADING
        expect(page.get_by_test_id("language-en")).to_have_count(0)
        expect(page.get_by_test_id("language-nb")).to_have_attribute("lang", "nb")
        tab.assert_no_problems("login page in English")

        # The choice survives the login (its session key is cycled on the way).
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
        page.get_by_role("button", name="Next").click()
        expect(page).to_have_url(tab.url("/konto/logg-inn/kode/"))
        expect(html).to_have_attribute("lang", "en")
        page.get_by_label("One-time code").fill(totp_current_token(device=device))
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(tab.url("/"))
        expect(html).to_have_attribute("lang", "en")
        expect(page.locator("h1")).to_have_text("Hello, Kari")
        expect(page.get_by_test_id("current-user")).to_contain_text("Coordinator")
        tab.assert_no_problems("start page in English")

        page.get_by_test_id("language-nb").click()
        expect(page).to_have_url(tab.url("/"))
        expect(html).to_have_attribute("lang", "nb")
        expect(page.locator("h1")).to_have_text("Hei, Kari")
        expect(page.get_by_test_id("current-user")).to_contain_text("Koordinator")
        expect(page.get_by_test_id("language-en")).to_be_visible()
        tab.assert_no_problems("start page back in Norwegian")

    in_browser(scenario)
