"""The bydel's coordinator books an interpreter from the case page and registers a protected
relocation application; a named handler sees the application with the destination «Skjermet»."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from laget.accounts.models import Membership
from laget.core import clock
from laget.familysupport.models import InterpreterBooking, RelocationApplication
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.records.services import case_open
from tests.browser.tab import SHOTS_DIR, Tab, assert_accessible, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_interpreter_and_protected_relocation(in_browser, member_with_device, make_member):
    from laget.accounts.actor import Actor

    coordinator, device = member_with_device("coordinator")
    agency = Membership.objects.get(user=coordinator).agency
    leader = make_member("leader", agency=agency, first_name="Lise", last_name="Leder")
    handler, handler_device = member_with_device("caseworker", agency=agency,
                                                 first_name="Sindre", last_name="Behandler")
    actor = Actor(coordinator, Membership.objects.select_related("agency").get(user=coordinator))
    today = clock.today()
    person = PersonFactory(district_id="030111", given_name="Amir", family_name="Syntetisk",
                           birth_date=today - dt.timedelta(days=15 * 365 + 40))
    GuardianFactory(person=person, given_name="Mona")
    case = case_open(actor=actor, person=person)
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)

    def scenario(tab: Tab) -> None:
        page = tab.page
        log_in(tab, coordinator, device)
        page.goto(tab.url(f"/saker/{case.pk}/"))
        page.get_by_test_id("familysupport-links").get_by_role("link", name="Tolk").click()
        form = page.get_by_test_id("interpreter-form")
        form.get_by_label("Samtale").check()
        form.get_by_label("Dato").fill(today.isoformat())
        form.get_by_label("Klokkeslett").fill("13:00")
        form.get_by_label("Varighet (minutter)").fill("90")
        form.get_by_label("Språk").select_option("so")
        form.get_by_label("Tolkens navn").fill("Tolk Testesen")
        form.get_by_label("Kvalifikasjon i Nasjonalt tolkeregister").select_option("B")
        form.get_by_label("Video").check()
        form.get_by_label("Kostnad (kr)").fill("1200")
        form.get_by_role("button", name="Bestill tolken").click()
        expect(page.get_by_test_id("interpreter-bookings")).to_contain_text("Tolk Testesen")
        assert_accessible(tab, "interpreter bookings")
        page.screenshot(path=str(SHOTS_DIR / "familysupport-1-interpreter.png"), full_page=True)

        page.goto(tab.url(f"/saker/{case.pk}/"))
        page.get_by_role("link", name="Søknad om flyttehjelp").click()
        form = page.get_by_test_id("relocation-form")
        form.get_by_role("button", name="Registrer søknaden").click()
        expect(page.locator(".laget-error-summary")).to_be_visible()
        form = page.get_by_test_id("relocation-form")
        form.get_by_label("Mona Syntetisk").check()
        form.get_by_label("Kriminelt miljø").check()
        form.get_by_label("Begrunnelse").fill("Den unge må ut av miljøet.")
        form.get_by_label("Kommune familien flytter til").select_option("4601")
        form.get_by_label("Skjerm flyttestedet").check()
        form.get_by_label("Flytting (kr)").fill("20000")
        form.get_by_label("Depositum for bolig (kr)").fill("30000")
        form.get_by_label("Andre kostnader (kr)").fill("0")
        form.get_by_label("Leder som avgjør søknaden").select_option(str(leader.pk))
        form.get_by_label("Sindre Behandler").check()
        assert_accessible(tab, "relocation form")
        form.get_by_role("button", name="Registrer søknaden").click()
        expect(page.get_by_test_id("relocation-destination")).to_contain_text("4601 Bergen")
        assert_accessible(tab, "relocation page")
        page.screenshot(path=str(SHOTS_DIR / "familysupport-2-relocation.png"), full_page=True)
        log_out(tab)

        log_in(tab, handler, handler_device)
        page.goto(tab.url("/familiestotte/flyttehjelp/"))
        expect(page.get_by_test_id("relocation-list")).not_to_contain_text("Bergen")
        page.get_by_test_id("relocation-list").get_by_role("link").first.click()
        expect(page.get_by_test_id("relocation-destination")).to_have_text("Skjermet")
        expect(page.locator("main")).not_to_contain_text("Bergen")
        tab.assert_no_problems("family support pages")

    in_browser(scenario)
    assert InterpreterBooking.objects.get().cost_nok == 1200
    assert RelocationApplication.objects.get().protected
