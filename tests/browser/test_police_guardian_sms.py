"""Issue 6 end to end: a police officer registers a stop and search of a 15-year-old with an open
SaLTo case → the guardian's SMS reaches the (fake) gateway in the guardian's language → the
case's coordinator sees the police entry on the case page.

The officer fills the form with the keyboard alone. The registration commits in the live server
and queues the SMS with its delivery task; a real `manage.py db_worker --batch` process against
the test database then delivers it over HTTP to the gateway from laget.notify.tests.fakes, so the
whole path — outbox row, task, worker, channel, HTTP — is the one production runs.

Why the coordinator needs a consent to read the entry: the only rule that lets the bydel read a
police entry for forebygging (`prl-forebyggende-utlevering`) is an allow rule nobody has reviewed
yet, and outside the demo an unreviewed allow rule counts as consent-required. So the coordinator
first sees the entry counted as hidden with the consent remedy, and reads it once the guardian's
consent is registered.
"""

import datetime as dt
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Page, expect

from laget.accounts.tests.factories import AgencyFactory
from laget.cases.services import case_open
from laget.core import clock
from laget.notify.models import Message, MessageStatus
from laget.notify.templates import render
from laget.notify.tests.fakes import SmsGateway
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.policing.models import PoliceRegistration
from laget.sharing.services import consent_register
from tests.browser.tab import SHOTS_DIR, Tab, assert_accessible, log_in
from tests.browser.test_police_registration import tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[2]
WORKER = [sys.executable, str(ROOT / "manage.py"), "db_worker", "--batch", "--no-startup-delay",
          "--no-reload", "-v0"]
SMS_TOKEN = "test-token-police-sms"

UNIT = "Oslo politidistrikt, Stovner"
BYDEL = "Bydel Stovner"
GUARDIAN = "Agnieszka Nowak"
GUARDIAN_PHONE = "412 34 567"  # as a caseworker would type it; sent as +4741234567
LANGUAGE = "pl"  # a draft (machine-level) text exists for Polish
GROUNDS = "Lukt av cannabis ved Vestli senter."


def shot(page: Page, name: str) -> None:
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS_DIR / f"police-sms-{name}.png"), full_page=True)


@pytest.fixture
def sms_gateway() -> Iterator[SmsGateway]:
    gateway = SmsGateway().start()
    yield gateway
    gateway.stop()


def run_worker(gateway: SmsGateway) -> None:
    """`manage.py db_worker --batch` against this test's database: runs every queued task (the
    message's delivery) and exits."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        database_url = f"sqlite:///{s['NAME']}"
    else:
        database_url = (f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}"
                        f":{s['PORT'] or 5432}/{s['NAME']}")
    env = dict(os.environ)
    env.update(DATABASE_URL=database_url, LAGET_NOTIFY_SMS_URL=gateway.url,
               LAGET_NOTIFY_SMS_TOKEN=SMS_TOKEN)
    subprocess.run(WORKER, env=env, cwd=ROOT, check=True, timeout=120)


class Desks:
    """The officer and the coordinator, each in a browser context of their own that stays logged
    in across the steps (a TOTP code is accepted once). Used only in the browser thread."""

    def __init__(self, people: dict[str, tuple[Any, Any]]) -> None:
        self.people = people
        self.tabs: dict[str, Tab] = {}

    def of(self, tab: Tab, who: str) -> Tab:
        if who not in self.tabs:
            context = tab.page.context.browser.new_context(
                base_url=tab.base_url, locale="nb-NO", viewport={"width": 1280, "height": 900})
            context.set_default_timeout(10_000)
            self.tabs[who] = Tab(context.new_page(), tab.base_url)
            log_in(self.tabs[who], *self.people[who])
        return self.tabs[who]

    def close(self) -> None:
        for person in self.tabs.values():
            person.page.context.close()


# --- the steps, each in the browser thread ----------------------------------------------------

def officer_registers(tab: Tab, national_id: str) -> None:
    """From the start page to the receipt, keyboard only: «Stans og ransaking», no weapon and
    the time (now) are preset."""
    page = tab.page
    page.get_by_role("link", name=re.compile("^Ny politiregistrering")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny politiregistrering")
    tab_to(page, "national_id")
    page.keyboard.type(national_id)
    tab_to(page, "given_name")
    page.keyboard.type("Jonas")
    tab_to(page, "family_name")
    page.keyboard.type("Syntetisk")
    tab_to(page, "subdistrict")
    page.keyboard.type("Vestli")
    tab_to(page, "grounds")
    page.keyboard.type(GROUNDS)
    expect(page.get_by_label("Stans og ransaking")).to_be_checked()
    shot(page, "1-form")
    tab_to(page, "Registrer")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Registrert")
    receipt = page.get_by_test_id("police-receipt")
    expect(receipt).to_contain_text(f"{GUARDIAN} er varslet på SMS (I kø).")
    # The officer is not on the case's team: the registration went «to the coordinator», and
    # nothing on the page names or links the case.
    expect(receipt).to_contain_text("Sendt til SaLTo-koordinatoren.")
    expect(page.get_by_text("SaLTo-saken")).to_have_count(0)
    expect(page.locator("a[href^='/saker/']")).to_have_count(0)
    assert_accessible(tab, "police receipt")
    shot(page, "2-receipt")
    tab.assert_no_problems("police registration")


def officer_sees_it_sent(tab: Tab) -> None:
    page = tab.page
    page.get_by_role("link", name="Enhetens registreringer").click()
    expect(page.get_by_test_id("police-list")).to_contain_text(f"{GUARDIAN}: SMS – Sendt")
    shot(page, "3-unit-list-sent")
    tab.assert_no_problems("the unit's list after delivery")


def coordinator_sees_hidden_police_entry(tab: Tab, case_path: str) -> None:
    """Without a consent the police entry is only counted, with the consent as the remedy."""
    page = tab.page
    tab.goto(case_path)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Saken for Jonas Syntetisk")
    hidden = page.get_by_test_id("hidden-summary")
    expect(hidden).to_contain_text(
        f"1 opplysning fra {UNIT} (Politi) er ikke tilgjengelig for deg.")
    expect(hidden).to_contain_text("Et samtykke fra familien kan gi deg tilgang.")
    assert GROUNDS not in page.content()
    shot(page, "4-case-coordinator-before-consent")
    tab.assert_no_problems("coordinator's case page before consent")


def coordinator_reads_police_entry(tab: Tab, case_path: str) -> None:
    page = tab.page
    tab.goto(case_path)
    entry = page.locator(".laget-entries").get_by_role("article").filter(has_text=GROUNDS)
    expect(entry).to_have_count(1)
    expect(entry.get_by_role("heading")).to_have_text("Politi")
    expect(entry).to_contain_text(f"{UNIT} · Per Politi")
    expect(entry).to_contain_text(f"Stans og ransaking registrert av {UNIT}")
    expect(entry).to_contain_text("i delbydel Vestli.")
    expect(entry.get_by_text("samtykke", exact=True)).to_be_visible()  # the basis, shown
    expect(page.get_by_text(f"fra {UNIT} (Politi)")).to_have_count(0)
    assert_accessible(tab, "case page (coordinator)")
    shot(page, "5-case-coordinator-police-entry")
    tab.assert_no_problems("coordinator's case page")


# --- the test -----------------------------------------------------------------------------------

def test_stop_and_search_sms_to_guardian_and_entry_for_coordinator(
    in_browser, member_with_device, rulebook, sms_gateway
):
    from laget.web.tests.conftest import actor_of

    unit = AgencyFactory(type="politi", name=UNIT, district_id=None)
    bydel = AgencyFactory(type="bydel", name=BYDEL, district_id="030111")
    officer = member_with_device("caseworker", agency=unit, first_name="Per",
                                 last_name="Politi")
    coordinator = member_with_device("coordinator", agency=bydel, first_name="Kari",
                                     last_name="Koordinator")
    today = clock.today()
    person = PersonFactory(given_name="Jonas", family_name="Syntetisk", district_id="030111",
                           birth_date=today.replace(year=today.year - 15) - dt.timedelta(days=40))
    guardian = GuardianFactory(person=person, given_name="Agnieszka", family_name="Nowak",
                               phone=GUARDIAN_PHONE, preferred_language=LANGUAGE)
    case = case_open(actor=actor_of(coordinator[0]), person=person)
    case_path = f"/saker/{case.pk}/"
    desks = Desks({"officer": officer, "coordinator": coordinator})

    def step(who: str, action: Callable[..., T], *args: Any) -> T:
        def scenario(tab: Tab) -> T:
            desk = desks.of(tab, who)
            try:
                return action(desk, *args)
            except BaseException:
                shot(desk.page, f"failure-{action.__name__}")
                raise

        return in_browser(scenario)

    try:
        step("officer", officer_registers, person.national_id)

        registration = PoliceRegistration.objects.get()
        assert (registration.salto_route, registration.salto_case_id) == ("entry", case.pk)
        message = Message.objects.get()
        assert message.status == MessageStatus.QUEUED
        assert DBTaskResult.objects.filter(status="READY").count() == 1

        run_worker(sms_gateway)

        assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
        message.refresh_from_db()
        assert (message.status, message.attempts) == (MessageStatus.SENT, 1)
        [request] = sms_gateway.requests
        expected = render("police.stop_search", LANGUAGE, {
            "first_name": "Jonas", "unit": UNIT, "phone": settings.LAGET_POLICE_PHONE})
        bokmal = render("police.stop_search", "nb", {
            "first_name": "Jonas", "unit": UNIT, "phone": settings.LAGET_POLICE_PHONE})
        assert expected.language == LANGUAGE and not expected.reviewed
        assert request.payload == {"to": "+4741234567", "text": expected.body,
                                   "reference": str(message.pk)}
        assert request.payload["text"] != bokmal.body
        # What a text to a guardian must never carry: the place, the grounds, the number.
        for secret in ("Vestli", "cannabis", person.national_id, "Syntetisk"):
            assert secret not in request.payload["text"]
        assert request.headers["Idempotency-Key"] == message.delivery_key
        assert request.headers["Authorization"] == f"Bearer {SMS_TOKEN}"
        assert request.headers["Content-Type"].startswith("application/json")

        step("officer", officer_sees_it_sent)
        step("coordinator", coordinator_sees_hidden_police_entry, case_path)

        consent_register(
            actor=actor_of(coordinator[0]), case=case, given_by="guardian",
            guardian_ids=[guardian.pk], method="signed_form", categories=["politi"],
            recipients=["bydel"], purposes=["forebygging"], valid_from=today,
            valid_to=today + dt.timedelta(days=180),
            youth_view="Jonas synes det er greit at bydelen får vite om kontrollen.")

        step("coordinator", coordinator_reads_police_entry, case_path)
    finally:
        in_browser(lambda _tab: desks.close())
