"""A consent registered through the form opens the school's entry to the police member on the team;
when the coordinator registers its withdrawal, the entry is gone on that member's very next page
load. Two people, two browser contexts, one live server."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from laget.accounts.actor import Actor
from laget.accounts.models import Membership
from laget.accounts.tests.factories import AgencyFactory
from laget.core import clock
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.records.services import case_open, team_member_add
from laget.sharing.services import entry_add
from tests.browser.tab import SHOTS_DIR, Tab, assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHOOL_TEXT = "Fravær 30 prosent siste måned."


def _actor(user) -> Actor:
    return Actor(user, Membership.objects.select_related("agency").get(user=user))


def test_withdrawn_consent_hides_the_entry_on_the_next_page_load(in_browser, member_with_device,
                                                                 rulebook):
    coordinator, coordinator_device = member_with_device("coordinator", first_name="Kari",
                                                         last_name="Koordinator")
    officer, officer_device = member_with_device("caseworker", "politi", None,
                                                 first_name="Per", last_name="Politi")
    school = AgencyFactory(type="skole", name="Haugen skole", district_id="030111")
    teacher, _device = member_with_device("caseworker", agency=school)
    today = clock.today()
    person = PersonFactory(given_name="Sara", family_name="Syntetisk", district_id="030111",
                           birth_date=today.replace(year=today.year - 14) - dt.timedelta(days=40))
    GuardianFactory(person=person, given_name="Mona")
    GuardianFactory(person=person, given_name="Frank", relation="far")
    lead = _actor(coordinator)
    case = case_open(actor=lead, person=person)
    team_member_add(actor=lead, case=case, user=officer, agency=_actor(officer).agency,
                    team_role="Forebyggende politi")
    team_member_add(actor=lead, case=case, user=teacher, agency=school, team_role="Kontaktlærer")
    entry_add(actor=_actor(teacher), case=case, category="skole", text=SCHOOL_TEXT)
    case_url = f"/saker/{case.pk}/"

    def scenario(tab: Tab) -> None:
        page = tab.page
        log_in(tab, coordinator, coordinator_device)
        tab.goto(f"{case_url}samtykker/ny/?kategori=skole&mottaker=politi")
        page.get_by_label("Foresatte", exact=True).check()
        page.get_by_label("Mona Syntetisk (Mor)").check()
        page.get_by_label("Frank Syntetisk (Far)").check()
        page.get_by_label("Signert skjema").check()
        categories = page.get_by_role("group", name="Hvilke opplysninger kan deles?")
        expect(categories.get_by_label("Skole", exact=True)).to_be_checked()
        recipients = page.get_by_role("group", name="Med hvem?")
        expect(recipients.get_by_label("Politi", exact=True)).to_be_checked()
        page.get_by_label("Den unges syn").fill("Synes det er greit at politiet vet.")
        assert_accessible(tab, "consent form")
        SHOTS_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS_DIR / "consent-form.png"), full_page=True)
        page.get_by_role("button", name="Registrer samtykket").click()
        expect(page.get_by_text("Samtykket er registrert.")).to_be_visible()
        consent_path = tab.path()

        police = Tab(page.context.browser.new_context(
            base_url=tab.base_url, locale="nb-NO", viewport={"width": 1280, "height": 900},
        ).new_page(), tab.base_url)
        try:
            log_in(police, officer, officer_device)
            police.goto(case_url)
            expect(police.page.get_by_text(SCHOOL_TEXT)).to_be_visible()
            assert_accessible(police, "case page")
            police.page.screenshot(path=str(SHOTS_DIR / "case-page.png"), full_page=True)

            tab.goto(consent_path)
            page.get_by_role("link", name="Registrer tilbaketrekking").click()
            page.get_by_label("Foresatt", exact=True).check()
            page.get_by_role("button", name="Trekk tilbake samtykket").click()
            expect(page.get_by_text("Samtykket er trukket tilbake.")).to_be_visible()

            police.page.reload()
            expect(police.page.get_by_text(SCHOOL_TEXT)).to_have_count(0)
            expect(police.page.get_by_test_id("hidden-summary")).to_contain_text(
                "1 opplysning fra Haugen skole (Skole) er ikke tilgjengelig for deg.")
            police.assert_no_problems("police member's case page")
        finally:
            police.page.context.close()
        tab.assert_no_problems("coordinator's consent pages")

    in_browser(scenario)
