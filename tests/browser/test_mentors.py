"""A bydel caseworker applies for a 17-year-old to the bydel's «Unge forbilder» (the number in
the form, the consent as given on paper), then — as the programme's staff — assesses the
criteria, enrols the young person and records their first course on the mentor's page."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from laget.accounts.models import Membership
from laget.core import clock
from laget.mentors import services
from laget.mentors.models import Application, Benefit
from laget.people.tests.factories import PersonFactory
from tests.browser.tab import SHOTS_DIR, Tab, assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_apply_assess_enrol_and_record_a_benefit(in_browser, role_member):
    user, device = role_member("caseworker")
    agency = Membership.objects.get(user=user).agency
    services.programme_create(
        agency=agency, name="Unge forbilder Stovner", capacity=3,
        criteria=[("Er i videregående opplæring eller jobb", True),
                  ("Anbefalt av en voksen som kjenner den unge", False)])
    person = PersonFactory(district_id="030111", given_name="Amina", family_name="Syntetisk",
                           birth_date=clock.today() - dt.timedelta(days=17 * 365 + 30))
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)

    def scenario(tab: Tab) -> None:
        page = tab.page
        log_in(tab, user, device)
        tab.goto("/forbilder/")
        page.get_by_role("link", name="Unge forbilder Stovner").click()
        expect(page.get_by_test_id("mentors-criteria")).to_contain_text(
            "Er i videregående opplæring eller jobb")
        assert_accessible(tab, "programme page")
        page.get_by_role("link", name="Søk for en ungdom").click()
        form = page.get_by_test_id("mentors-apply-form")
        form.get_by_label("Fødselsnummer eller D-nummer").fill(person.national_id)
        form.get_by_label("Hvorfor den unge bør bli et forbilde").fill(
            "Aktivitetsleder på klubben to kvelder i uka.")
        form.get_by_label("Signert skjema").check()
        form.get_by_label("Dato for samtykket").fill(clock.today().isoformat())
        # without the young person's own consent: a clear error, nothing sent
        form.get_by_role("button", name="Send søknaden").click()
        expect(page.get_by_role("alert")).to_contain_text("Den unge må samtykke selv.")
        assert_accessible(tab, "apply form with an error")
        form.get_by_label("Den unge har samtykket").check()
        form.get_by_role("button", name="Send søknaden").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Søknad for Amina Syntetisk")
        expect(page.get_by_test_id("mentors-application-status")).to_contain_text(
            "venter på vurdering")
        assert person.national_id not in page.url

        assess = page.get_by_test_id("mentors-assess-form")
        for n in (1, 2):
            assess.get_by_test_id(f"criterion-{n}").get_by_label("Oppfylt", exact=True).check()
        assess.get_by_role("button", name="Lagre vurderingen").click()
        expect(page.get_by_text("Vurderingen er lagret.")).to_be_visible()
        decide = page.get_by_test_id("mentors-decide-form")
        decide.get_by_label("Ta opp").check()
        decide.get_by_role("button", name="Registrer vedtaket").click()
        expect(page.get_by_test_id("mentors-application-status")).to_contain_text("Tatt opp")
        assert_accessible(tab, "decided application")
        page.screenshot(path=str(SHOTS_DIR / "mentors-1-application.png"), full_page=True)

        page.get_by_role("link", name="Til forbildets side").click()
        benefit = page.get_by_test_id("mentors-benefit-form")
        benefit.get_by_label("Type").select_option(label="Kurs")
        benefit.get_by_label("Beskrivelse").fill("Lederkurs for unge forbilder")
        benefit.get_by_role("button", name="Registrer").click()
        expect(page.get_by_test_id("mentors-benefits")).to_contain_text(
            "Lederkurs for unge forbilder")
        assert_accessible(tab, "mentor page")
        page.screenshot(path=str(SHOTS_DIR / "mentors-2-mentor.png"), full_page=True)
        tab.assert_no_problems("mentors pages")

    in_browser(scenario)
    application = Application.objects.get()
    assert application.status == "tatt_opp"
    assert Benefit.objects.get().mentor == application.mentor
