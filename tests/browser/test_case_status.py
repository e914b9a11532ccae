"""The coordinator moves a case from assessment to active with a reason on the case page; the
history shows who, when and why. (Refusals come back as messages: laget/cases/tests.)"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from laget.accounts.actor import Actor
from laget.accounts.models import Membership
from laget.cases.services import case_open
from laget.core import clock
from laget.people.tests.factories import PersonFactory
from tests.browser.tab import SHOTS_DIR, Tab, assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_moves_the_case_status(in_browser, member_with_device, rulebook):
    coordinator, device = member_with_device("coordinator", first_name="Kari",
                                             last_name="Koordinator")
    today = clock.today()
    person = PersonFactory(given_name="Sara", family_name="Syntetisk", district_id="030111",
                           birth_date=today.replace(year=today.year - 14) - dt.timedelta(days=40))
    lead = Actor(coordinator, Membership.objects.select_related("agency").get(user=coordinator))
    case = case_open(actor=lead, person=person)

    def scenario(tab: Tab) -> None:
        page = tab.page
        log_in(tab, coordinator, device)
        tab.goto(f"/saker/{case.pk}/")
        panel = page.get_by_test_id("case-status-panel")
        panel.get_by_label("Ny status").select_option("active")
        panel.get_by_label("Begrunnelse").fill("Kartleggingen viser behov for samordnet innsats.")
        panel.get_by_role("button", name="Endre status").click()
        expect(page.get_by_text("Saken har nå status «Aktiv».")).to_be_visible()
        history = page.get_by_test_id("status-history")
        expect(history.get_by_text("Vurdering → Aktiv")).to_be_visible()
        expect(history.get_by_text("Kartleggingen viser behov")).to_be_visible()
        assert_accessible(tab, "case page with status")
        SHOTS_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS_DIR / "case-status.png"), full_page=True)

    in_browser(scenario)
