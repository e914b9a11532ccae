"""A police officer registers a stop and search of a 15-year-old with the keyboard alone: the
receipt says the guardian is notified by SMS and that the registration went to the SaLTo
coordinator (the officer is not on the case's team, so the case is not named)."""

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from laget.cases.services import case_open
from laget.core import clock
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.policing.models import PoliceRegistration
from tests.browser.tab import SHOTS_DIR, Tab, assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused(page: Any) -> str:
    return str(page.evaluate(
        "() => { const el = document.activeElement;"
        " return el ? (el.getAttribute('name') || el.innerText || '').trim() : ''; }"))


def tab_to(page: Any, target: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == target:
            return
    raise AssertionError(f"Tab never reached {target!r} (focus is on {focused(page)!r})")


def test_keyboard_only_stop_and_search(in_browser, member_with_device, make_member, rulebook):
    from laget.web.tests.conftest import actor_of

    officer = member_with_device("caseworker", agency_type="politi", district=None)
    coordinator = make_member("coordinator", password=None)
    person = PersonFactory(district_id="030111", given_name="Jonas",
                           birth_date=clock.today() - dt.timedelta(days=15 * 365 + 40))
    GuardianFactory(person=person, given_name="Amina", family_name="Mor", phone="99999999")
    case_open(actor=actor_of(coordinator), person=person)
    number = person.national_id

    def scenario(tab: Tab) -> None:
        page = tab.page
        log_in(tab, *officer)
        page.get_by_role("link", name=re.compile("^Ny politiregistrering")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Ny politiregistrering")
        assert_accessible(tab, "police form")
        # «Stans og ransaking» and «Ingen» våpen are preset; the time is now.
        tab_to(page, "national_id")
        page.keyboard.type(number)
        tab_to(page, "given_name")
        page.keyboard.type("Jonas")
        tab_to(page, "family_name")
        page.keyboard.type("Syntetisk")
        tab_to(page, "subdistrict")
        page.keyboard.type("Vestli")
        tab_to(page, "grounds")
        page.keyboard.type("Lukt av cannabis.")
        SHOTS_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS_DIR / "police-1-form.png"), full_page=True)
        tab_to(page, "Registrer")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Registrert")
        expect(page.get_by_text("Amina Mor er varslet på SMS (I kø).")).to_be_visible()
        expect(page.get_by_text("Sendt til SaLTo-koordinatoren.")).to_be_visible()
        assert_accessible(tab, "police receipt")
        page.screenshot(path=str(SHOTS_DIR / "police-2-receipt.png"), full_page=True)
        page.get_by_role("link", name="Enhetens registreringer").click()
        expect(page.get_by_text("Amina Mor: SMS – I kø")).to_be_visible()
        page.screenshot(path=str(SHOTS_DIR / "police-3-list.png"), full_page=True)
        tab.assert_no_problems("police registration pages")

    in_browser(scenario)
    registration = PoliceRegistration.objects.get()
    assert registration.subdistrict.name == "Vestli" and registration.salto_route == "entry"
