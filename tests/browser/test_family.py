"""The family's own door in a real browser: a guardian logs in at the test OIDC provider (a
separate process on loopback) with ID-porten's `pid` and `acr`, reads the child's plan, withdraws
the consent, and a barnevern caseworker in another browser loses the school's entry on the next
page load; the guardian's innsyn then shows the caseworker's earlier read with the consent rule as
its basis and the later attempt as refused."""

import uuid

import pytest
from playwright.sync_api import expect

from laget.accounts.services import totp_device_set
from laget.family.tests.scene import SCHOOL_TEXT, family_scene
from tests.browser.tab import Tab, assert_accessible, log_in
from tests.browser.users import TOTP_KEY
from tests.oidc.harness import PASSWORD, oidc_provider_fixture  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CALLBACK_PATH = "/familie/logg-inn/tilbake/"


def test_guardian_withdraws_consent_through_the_oidc_login(
        in_browser, make_member, rulebook, oidc_provider, live_server, settings):
    oidc_provider.allow_redirect(live_server.url + CALLBACK_PATH)
    settings.LAGET_FAMILY_OIDC_ISSUER = oidc_provider.issuer
    settings.LAGET_FAMILY_OIDC_CLIENT_ID = oidc_provider.client_id
    settings.LAGET_FAMILY_OIDC_CLIENT_SECRET = oidc_provider.client_secret
    scene = family_scene(make_member)
    barnevern_user = scene.barnevern.user
    device = totp_device_set(user=barnevern_user, key_hex=TOTP_KEY)
    mona = f"mona-{uuid.uuid4().hex[:6]}"
    oidc_provider.add_user(mona, claims={"sub": uuid.uuid4().hex, "acr": "idporten-loa-high",
                                         "pid": scene.mother.national_id})
    case_url = f"/saker/{scene.case.pk}/"
    person_path = f"/familie/{scene.person.pk}/"

    def scenario(tab: Tab) -> None:
        page = tab.page
        caseworker = Tab(page.context.browser.new_context(
            base_url=tab.base_url, locale="nb-NO", viewport={"width": 1280, "height": 900},
        ).new_page(), tab.base_url)
        try:
            log_in(caseworker, barnevern_user, device)
            caseworker.goto(case_url)
            expect(caseworker.page.get_by_text(SCHOOL_TEXT)).to_be_visible()

            # The guardian, on a phone-sized screen.
            page.set_viewport_size({"width": 390, "height": 844})
            tab.goto("/familie/")
            assert_accessible(tab, "family start page")
            page.get_by_role("link", name="Logg inn med ID-porten").click()
            expect(page.locator("h1")).to_have_text("Test identity provider")
            page.get_by_label("Provider user").fill(mona)
            page.get_by_label("Provider password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in at provider").click()
            expect(page).to_have_url(tab.url("/familie/"))
            tab.take_problems()  # the provider's page is not Laget's
            page.get_by_role("link", name="Sara Syntetisk").click()
            expect(page).to_have_url(tab.url(person_path))
            expect(page.get_by_role("heading", name="Planen for Sara Syntetisk")).to_be_visible()
            expect(page.get_by_text("Ukentlig samtale med Sara", exact=False)).to_be_visible()
            expect(page.get_by_text("Hjemmebesøk")).to_have_count(0)
            assert_accessible(tab, "family plan page")
            page.get_by_role("link", name="Trekk tilbake samtykket").click()
            assert_accessible(tab, "withdrawal confirmation")
            page.get_by_role("button", name="Ja, trekk tilbake samtykket").click()
            expect(page.get_by_text("Samtykket er trukket tilbake.")).to_be_visible()
            expect(page.get_by_role("link", name="Trekk tilbake samtykket")).to_have_count(0)

            caseworker.page.reload()
            expect(caseworker.page.get_by_text(SCHOOL_TEXT)).to_have_count(0)
            caseworker.goto(f"{case_url}opplysninger/{scene.entry.pk}/")

            tab.goto(f"{person_path}innsyn/")
            lines = page.get_by_test_id("lines")
            expect(lines).to_contain_text("Bente Barnevern")
            expect(lines).to_contain_text("forvaltningsloven § 13 a nr. 1")
            expect(lines).to_contain_text("avvist")
            assert_accessible(tab, "family innsyn")
            tab.assert_no_problems("family pages")
        finally:
            caseworker.page.context.close()

    in_browser(scenario)
