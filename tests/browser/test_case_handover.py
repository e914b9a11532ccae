"""The person moves: the coordinator hands the case over to the new bydel's coordinator with a
note; the new coordinator reads the note; a team member answers whether they stay; a contact with
a guardian goes into the history. Keyboard and screen-reader checks on the way."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from laget.accounts.actor import Actor
from laget.accounts.models import Membership
from laget.cases.services import case_open
from laget.core import clock
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.records.services import team_member_add
from tests.browser.tab import SHOTS_DIR, Tab, assert_accessible, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_handover_to_another_bydel(in_browser, member_with_device, rulebook):
    old, old_device = member_with_device("coordinator", first_name="Kari",
                                         last_name="Koordinator")
    new, new_device = member_with_device("coordinator", district="030112", first_name="Nils",
                                         last_name="Nyby")
    police, police_device = member_with_device("caseworker", agency_type="politi",
                                               district=None, first_name="Per",
                                               last_name="Politi")
    today = clock.today()
    person = PersonFactory(given_name="Sara", family_name="Syntetisk", district_id="030111",
                           birth_date=today.replace(year=today.year - 14) - dt.timedelta(days=40))
    GuardianFactory(person=person, given_name="Mona", family_name="Syntetisk",
                    interpreter_needed=True)
    lead = Actor(old, Membership.objects.select_related("agency").get(user=old))
    case = case_open(actor=lead, person=person)
    police_agency = Membership.objects.get(user=police).agency
    team_member_add(actor=lead, case=case, user=police, agency=police_agency)
    new_district = Membership.objects.select_related("agency__district").get(user=new)\
        .agency.district

    def scenario(tab: Tab) -> None:
        page = tab.page
        log_in(tab, old, old_device)
        tab.goto(f"/saker/{case.pk}/")
        page.get_by_test_id("guardians-panel").get_by_role("link", name="Registrer kontakt").click()
        page.get_by_label("Foresatt").select_option(label="Mona Syntetisk")
        page.get_by_label("Kanal").select_option("phone")
        page.get_by_label("Notat").fill("Avtalte første møte.")
        page.get_by_role("button", name="Lagre").click()
        expect(page.get_by_test_id("guardian-contacts").get_by_text("Avtalte første møte."))\
            .to_be_visible()
        page.get_by_test_id("handover-link").click()
        page.get_by_label("Ny bydel").select_option(label=new_district.name)
        page.get_by_role("button", name="Vis koordinatorer").click()
        page.get_by_label("Ny koordinator").select_option(label="Nils Nyby")
        page.get_by_label("Overføringsnotat").fill("Familien flyttet i oktober.")
        assert_accessible(tab, "handover form")
        page.get_by_role("button", name="Overfør saken").click()
        expect(page.get_by_text("Teamet blir spurt om hvem som blir med videre.")).to_be_visible()
        expect(page.get_by_test_id("handover-question")).to_be_visible()
        SHOTS_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS_DIR / "case-handover.png"), full_page=True)
        log_out(tab)

        log_in(tab, new, new_device)
        tab.goto(f"/saker/{case.pk}/")
        line = page.get_by_test_id("handover-line")
        line.get_by_text("Overføringsnotat").click()
        expect(line.get_by_text("Familien flyttet i oktober.")).to_be_visible()
        log_out(tab)

        log_in(tab, police, police_device)
        tab.goto(f"/saker/{case.pk}/")
        expect(page.get_by_text("Familien flyttet i oktober.")).to_have_count(0)
        page.get_by_test_id("handover-question").get_by_role(
            "button", name="Ja, jeg blir med").click()
        expect(page.get_by_text("Takk. Du er fortsatt med i teamet.")).to_be_visible()
        assert_accessible(tab, "case page after handover")
        page.screenshot(path=str(SHOTS_DIR / "case-page-police.png"), full_page=True)

    in_browser(scenario)
