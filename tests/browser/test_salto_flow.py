"""The whole SaLTo flow in the browser, as the people who use it (issue 5, «Tests»):

a school counsellor submits a concern → the bydel's coordinator opens a case from it and adds
barnevern and the police to the team → barnevern sees the shared picture (plan, team, recent
events, next meeting) but the school's entry only as a counted hidden line, until the coordinator
registers the family's consent → the meeting is held and its decision becomes a task for the
police → the police officer marks the task done → the coordinator closes the case, which is then
read-only.

Every action goes through the pages' labelled controls; the concern form is filled with the
keyboard alone. Playwright runs in a thread of its own that may not touch the ORM (conftest.py),
so the flow is a series of browser steps with the data set up — and the one jump in time — in
the test's own thread between them.

Why the school's entry is hidden from barnevern: the concern lands on the case as an entry from
the school in the category «skole» (cases.concerns.CONCERN_CATEGORY). In the shipped rulebook the
only rule for skole → barnevern, category skole, purpose forebygging is `fvl-13a-samtykke`
(consent required); the unreviewed allow rules are not in force in tests
(LAGET_RULES_UNREVIEWED_IN_FORCE follows LAGET_DEMO, off). So barnevern needs the consent, and no
second entry is needed; `test_the_rulebook_hides_the_school_entry_from_barnevern` pins that.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Page, expect

from laget.accounts.tests.factories import AgencyFactory
from laget.cases.models import Meeting
from laget.core import clock
from laget.people.tests.factories import GuardianFactory, PersonFactory
from tests.browser.tab import SHOTS_DIR, Tab, assert_accessible, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

T = TypeVar("T")

CONCERN_TEXT = ("Jonas har ikke vært på skolen på tre uker. Medelever forteller at han henger "
                "med eldre gutter ved Stovner senter om kveldene.")
GOAL = "Jonas går på skolen hver dag"
DECISION = "Politiet tar en bekymringssamtale med Jonas og foreldrene."
TASK_TITLE = "Bekymringssamtale med Jonas og foreldrene"
OUTCOME = "Samtalen ble holdt 12. mai. Jonas og foreldrene var positive til fritidstilbud."


@dataclass(frozen=True)
class Cast:
    """Who takes part, each as (user, TOTP device), and the young person's number (typed in the
    concern form; it goes in the POST body only)."""

    counsellor: tuple[Any, Any]
    coordinator: tuple[Any, Any]
    barnevern: tuple[Any, Any]
    police: tuple[Any, Any]
    national_id: str


@pytest.fixture
def cast(member_with_device, rulebook) -> Cast:
    school = AgencyFactory(type="skole", name="Haugenstua skole", district_id="030111")
    bydel = AgencyFactory(type="bydel", name="Bydel Stovner", district_id="030111")
    child_welfare = AgencyFactory(type="barnevern", name="Barneverntjenesten i Stovner",
                                  district_id="030111")
    police = AgencyFactory(type="politi", name="Oslo politidistrikt, forebygging",
                           district_id=None)
    today = clock.today()
    person = PersonFactory(given_name="Jonas", family_name="Syntetisk", district_id="030111",
                           birth_date=today.replace(year=today.year - 14) - dt.timedelta(days=40))
    GuardianFactory(person=person, given_name="Mona")
    GuardianFactory(person=person, given_name="Frank", relation="far")
    return Cast(
        counsellor=member_with_device("caseworker", agency=school, first_name="Siri",
                                      last_name="Rådgiver"),
        coordinator=member_with_device("coordinator", agency=bydel, first_name="Kari",
                                       last_name="Koordinator"),
        barnevern=member_with_device("caseworker", agency=child_welfare, first_name="Berit",
                                     last_name="Barnevern"),
        police=member_with_device("caseworker", agency=police, first_name="Per",
                                  last_name="Politi"),
        national_id=person.national_id,
    )


def shot(page: Page, name: str) -> None:
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS_DIR / f"salto-{name}.png"), full_page=True)


def focused(page: Page) -> str:
    """The focused control: its name, or for a button its text."""
    return str(page.evaluate(
        "() => { const el = document.activeElement;"
        " return el ? (el.getAttribute('name') || el.innerText || '').trim() : ''; }"))


def tab_to(page: Page, target: str, limit: int = 40) -> None:
    """Press Tab until the control `target` (a name or a button's text) has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == target:
            return
    raise AssertionError(f"Tab never reached {target!r} (focus is on {focused(page)!r})")


# --- the steps, each in the browser thread ----------------------------------------------------

def counsellor_submits_concern(tab: Tab, national_id: str) -> None:
    """The school counsellor finds «Meld bekymring» on the start page and fills the form with
    the keyboard alone."""
    page = tab.page
    page.get_by_role("link", name=re.compile("^Meld bekymring")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meld bekymring til SaLTo")
    assert_accessible(tab, "concern form")
    # The form starts with the number; the bydel is preset from the school's own.
    tab_to(page, "national_id")
    page.keyboard.type(national_id)
    tab_to(page, "given_name")
    page.keyboard.type("Jonas")
    tab_to(page, "family_name")
    page.keyboard.type("Syntetisk")
    expect(page.get_by_label("Bydel")).to_have_value("030111")
    tab_to(page, "text")
    page.keyboard.type(CONCERN_TEXT)
    shot(page, "1-concern-form")
    tab_to(page, "Send bekymringen")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Bekymringen er sendt til SaLTo-koordinatoren i bydel Stovner."))\
        .to_be_visible()
    # The receipt says when and where, nothing about what became of it.
    expect(page.get_by_text(CONCERN_TEXT)).to_have_count(0)
    tab.assert_no_problems("school counsellor's concern pages")


def add_team_member(page: Page, agency: str, person: str, role: str) -> None:
    page.get_by_role("link", name="Legg til teammedlem").click()
    page.get_by_label("Virksomhet").select_option(label=agency)
    page.get_by_role("button", name="Vis personer").click()
    page.get_by_label("Person", exact=True).select_option(label=person)
    page.get_by_label("Rolle i teamet").fill(role)
    page.get_by_role("button", name="Legg til", exact=True).click()
    expect(page.get_by_text("Teammedlemmet er lagt til.")).to_be_visible()


def coordinator_opens_case(tab: Tab) -> dict[str, str]:
    """From the desk to a case with a team, a goal and a meeting on the calendar."""
    page = tab.page
    page.get_by_test_id("start-desk").click()
    concerns = page.get_by_test_id("desk-concerns")
    expect(concerns).to_contain_text("Haugenstua skole")
    assert_accessible(tab, "coordinator's desk")
    shot(page, "2-desk")
    concerns.get_by_role("link", name="Syntetisk, Jonas").click()
    expect(page.get_by_test_id("concern-text")).to_contain_text(CONCERN_TEXT)
    assert_accessible(tab, "concern page")
    page.get_by_role("button", name="Åpne sak").click()
    expect(page.get_by_text("Bekymringen står nå på saken")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Saken for Jonas Syntetisk")
    case_path = tab.path()
    assert re.fullmatch(r"/saker/[0-9a-f-]{36}/", case_path), case_path

    status = page.get_by_test_id("case-status-panel")
    status.get_by_label("Ny status").select_option(label="Aktiv")
    status.get_by_label("Begrunnelse").fill("Skolefravær og nye venner: behov for samordnet "
                                            "innsats.")
    status.get_by_role("button", name="Endre status").click()
    expect(page.get_by_text("Saken har nå status «Aktiv».")).to_be_visible()

    add_team_member(page, "Barneverntjenesten i Stovner", "Berit Barnevern", "Saksbehandler")
    add_team_member(page, "Oslo politidistrikt, forebygging", "Per Politi",
                    "Forebyggende politi")

    plan = page.get_by_test_id("plan-panel")
    plan.get_by_role("link", name="Nytt mål").click()
    plan.get_by_label("Mål", exact=True).fill(GOAL)
    plan.get_by_label("Indikator").fill("Oppmøte over 90 prosent")
    plan.get_by_role("button", name="Legg til målet").click()
    expect(plan.get_by_text("Målet er lagt til i planen.")).to_be_visible()
    expect(plan.get_by_test_id("plan-goal")).to_contain_text(GOAL)

    page.get_by_test_id("next-meeting").get_by_role("link", name="Planlegg møte").click()
    page.get_by_label("Dato").fill((clock.today() + dt.timedelta(days=1)).isoformat())
    page.get_by_label("Klokkeslett").fill("10:00")
    page.get_by_label("Sted").fill("Møterom 2, Stovner bydelshus")
    team = page.get_by_role("group", name="Fra teamet")
    expect(team.get_by_label(re.compile("^Per Politi"))).to_be_checked()
    assert_accessible(tab, "meeting form")
    page.get_by_role("button", name="Planlegg møtet").click()
    expect(page.get_by_text("Møtet er planlagt")).to_be_visible()
    meeting_path = tab.path()

    page.get_by_role("link", name="Saken for Jonas Syntetisk").click()
    expect(page.get_by_test_id("next-meeting")).to_contain_text("Møterom 2")
    # The coordinator (bydel) has no basis for the school's entry either, so it is counted.
    expect(page.get_by_text(CONCERN_TEXT)).to_have_count(0)
    assert_accessible(tab, "case page (coordinator)")
    shot(page, "3-case-coordinator")
    tab.assert_no_problems("coordinator opening the case")
    return {"case": case_path, "meeting": meeting_path}


def barnevern_sees_shared_picture(tab: Tab, case_path: str) -> None:
    """Right after joining: the plan, the team, what happened and the next meeting — but the
    school's entry only as a counted line, never its text."""
    page = tab.page
    page.get_by_test_id("start-team-cases").click()
    page.get_by_role("link", name=re.compile("Jonas")).first.click()
    expect(page).to_have_url(tab.url(case_path))

    expect(page.get_by_test_id("plan-goal")).to_contain_text(GOAL)
    team = page.locator("aside[aria-labelledby=team] > ul.laget-team")
    for name in ("Kari Koordinator", "Per Politi", "Berit Barnevern"):
        expect(team.get_by_text(name, exact=True)).to_be_visible()
    recent = page.get_by_test_id("recent-timeline")
    expect(recent.get_by_role("heading", name="Siste hendelser")).to_be_visible()
    expect(recent).to_contain_text("Per Politi (Oslo politidistrikt, forebygging) ble med i "
                                   "teamet")
    expect(recent).to_contain_text("Møte planlagt")
    expect(recent).to_contain_text("Status: Vurdering → Aktiv")
    expect(page.get_by_test_id("next-meeting")).to_contain_text("Møterom 2, Stovner bydelshus")

    hidden = page.get_by_test_id("hidden-summary")
    expect(hidden).to_contain_text(
        "1 opplysning fra Haugenstua skole (Skole) er ikke tilgjengelig for deg.")
    expect(hidden).to_contain_text("Et samtykke fra familien kan gi deg tilgang.")
    assert CONCERN_TEXT not in page.content()
    assert_accessible(tab, "case page (barnevern, before consent)")
    shot(page, "4-case-barnevern-before-consent")
    tab.assert_no_problems("barnevern's case page")


def coordinator_registers_consent(tab: Tab, case_path: str) -> None:
    """The family's consent: the school's information may be shared with barnevern."""
    page = tab.page
    tab.goto(case_path)
    page.get_by_role("link", name="Samtykker", exact=True).click()
    page.get_by_role("link", name="Registrer samtykke").click()
    page.get_by_label("Foresatte", exact=True).check()
    page.get_by_label("Mona Syntetisk (Mor)").check()
    page.get_by_label("Frank Syntetisk (Far)").check()
    page.get_by_label("Signert skjema").check()
    page.get_by_role("group", name="Hvilke opplysninger kan deles?")\
        .get_by_label("Skole", exact=True).check()
    page.get_by_role("group", name="Med hvem?").get_by_label("Barnevern", exact=True).check()
    expect(page.get_by_role("group", name="Til hvilket formål?")
           .get_by_label("Koordinert forebygging", exact=True)).to_be_checked()
    page.get_by_label("Den unges syn").fill("Jonas synes det er greit at barnevernet vet om "
                                            "fraværet.")
    assert_accessible(tab, "consent form")
    page.get_by_role("button", name="Registrer samtykket").click()
    expect(page.get_by_text("Samtykket er registrert.")).to_be_visible()
    tab.assert_no_problems("coordinator's consent pages")


def barnevern_reads_the_entry(tab: Tab, case_path: str) -> None:
    """The same page, reloaded after the consent: now the school's entry is there."""
    page = tab.page
    expect(page).to_have_url(tab.url(case_path))
    page.reload()
    entry = page.locator(".laget-entries").get_by_role("article").filter(has_text=CONCERN_TEXT)
    expect(entry).to_contain_text("Haugenstua skole")
    expect(entry.get_by_text("samtykke", exact=True)).to_be_visible()  # the basis, shown
    # No longer counted as hidden. (The consent's own record, an entry from the bydel, is.)
    expect(page.get_by_text("fra Haugenstua skole (Skole)")).to_have_count(0)
    shot(page, "5-case-barnevern-after-consent")
    tab.assert_no_problems("barnevern's case page after consent")


def coordinator_writes_minutes(tab: Tab, case_path: str, meeting_path: str) -> None:
    """The meeting has been held: attendance, and a decision for the police that becomes a task
    in the plan in the same step."""
    page = tab.page
    tab.goto(case_path)
    page.get_by_test_id("next-meeting").get_by_role("link", name="Alle møter").click()
    page.get_by_test_id("meeting-list").get_by_role("link").first.click()
    expect(page).to_have_url(tab.url(meeting_path))
    page.get_by_test_id("minutes-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skriv referat")
    page.get_by_label("Referat", exact=True).fill(
        "Teamet gikk gjennom fraværet. Skolen og politiet følger opp.")
    attendance = page.get_by_test_id("attendance")
    selects = attendance.get_by_role("combobox")
    expect(selects).not_to_have_count(0)
    for i in range(selects.count()):
        selects.nth(i).select_option(label="Møtte")
    # Each decision is a group of its own («Beslutning 1», …): the fields repeat their labels.
    first = page.get_by_role("group", name="Beslutning 1", exact=True)
    first.get_by_label(re.compile("^Beslutning")).fill(DECISION)
    first.get_by_label("Oppgave til").select_option(
        label="Per Politi, Oslo politidistrikt, forebygging")
    first.get_by_label("Oppgavens tittel").fill(TASK_TITLE)
    due = clock.today() + dt.timedelta(days=14)
    first.get_by_label("Frist").fill(due.isoformat())
    assert_accessible(tab, "minutes form")
    shot(page, "6-minutes-form")
    page.get_by_role("button", name="Lagre referatet").click()
    expect(page.get_by_text("Referatet er lagret. 1 beslutning ble en oppgave i planen."))\
        .to_be_visible()
    expect(page.get_by_test_id("decisions")).to_contain_text(TASK_TITLE)
    assert_accessible(tab, "meeting page with minutes")

    page.get_by_role("link", name="Saken for Jonas Syntetisk").click()
    task = page.get_by_test_id("plan-task").filter(has_text=TASK_TITLE)
    expect(task).to_contain_text("Oslo politidistrikt, forebygging · Per Politi")
    expect(task).to_contain_text("Frist")
    tab.assert_no_problems("coordinator's minutes")


def police_completes_task(tab: Tab) -> None:
    """The police officer finds the task among the agency's open tasks and reports it done."""
    page = tab.page
    page.get_by_test_id("start-agency-tasks").click()
    tasks = page.get_by_test_id("agency-tasks")
    expect(tasks).to_contain_text(TASK_TITLE)
    assert_accessible(tab, "the agency's open tasks")
    tasks.get_by_role("link", name="Jonas Syntetisk").click()
    # The police have no basis for barnevern's involvement: not listed on the team.
    expect(page.get_by_text("Berit Barnevern")).to_have_count(0)
    task = page.get_by_test_id("plan-task").filter(has_text=TASK_TITLE)
    task.get_by_role("link", name=f"Marker som utført {TASK_TITLE}").click()
    plan = page.get_by_test_id("plan-panel")
    plan.get_by_label("Resultat").fill(OUTCOME)
    plan.get_by_role("button", name="Marker som utført").click()
    expect(plan.get_by_text("Oppgaven er markert som utført.")).to_be_visible()
    done = page.get_by_test_id("plan-task").filter(has_text=TASK_TITLE)
    expect(done).to_contain_text("Utført")
    expect(done).to_contain_text(OUTCOME)
    assert_accessible(tab, "case page (police)")
    shot(page, "7-case-police-task-done")
    tab.assert_no_problems("police officer's case page")


def coordinator_closes_case(tab: Tab, case_path: str) -> None:
    page = tab.page
    tab.goto(case_path)
    status = page.get_by_test_id("case-status-panel")
    status.get_by_label("Ny status").select_option(label="Avsluttes")
    status.get_by_label("Begrunnelse").fill("Oppmøtet er stabilt og Jonas går på fotball.")
    status.get_by_role("button", name="Endre status").click()
    expect(page.get_by_text("Saken har nå status «Avsluttes».")).to_be_visible()
    status.get_by_label("Ny status").select_option(label="Avsluttet")
    status.get_by_label("Begrunnelse").fill("Målene er nådd.")
    status.get_by_role("button", name="Endre status").click()
    expect(page.get_by_text("Saken har nå status «Avsluttet».")).to_be_visible()

    expect(page.get_by_test_id("case-closed")).to_have_text(
        "Saken er avsluttet og kan bare leses.")
    expect(page.get_by_test_id("status-history")).to_contain_text("Avsluttes → Avsluttet")
    expect(page.get_by_test_id("plan-panel")).to_contain_text(
        "Saken er avsluttet; planen kan bare leses.")
    # Read-only: no control that writes is left on the page.
    expect(page.get_by_test_id("case-status-form")).to_have_count(0)
    main = page.get_by_role("main")
    for name in ("Registrer opplysning", "Legg til teammedlem", "Planlegg møte", "Nytt mål",
                 "Ny oppgave", "Registrer kontakt", "Registrer samtykke"):
        expect(main.get_by_role("link", name=name, exact=True)).to_have_count(0)
    expect(main.get_by_role("link", name=re.compile("^(Endre|Marker som utført|Avlys)")))\
        .to_have_count(0)
    expect(main.locator("form[method=post]")).to_have_count(0)
    assert_accessible(tab, "closed case page")
    shot(page, "8-case-closed")
    log_out(tab)
    tab.assert_no_problems("coordinator closing the case")


# --- the test -----------------------------------------------------------------------------------

class Desks:
    """Each person at a desk of their own: one browser context each, logged in once and kept
    across the steps (a TOTP code is accepted only once, so logging the same person in again
    within half a minute would fail). Used only in the browser thread."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.tabs: dict[str, Tab] = {}

    def of(self, tab: Tab, who: str) -> Tab:
        if who not in self.tabs:
            context = tab.page.context.browser.new_context(
                base_url=tab.base_url, locale="nb-NO", viewport={"width": 1280, "height": 900})
            context.set_default_timeout(10_000)
            self.tabs[who] = Tab(context.new_page(), tab.base_url)
            log_in(self.tabs[who], *getattr(self.cast, who))
        return self.tabs[who]

    def close(self) -> None:
        for person in self.tabs.values():
            person.page.context.close()


def test_salto_flow_from_concern_to_closed_case(in_browser, cast):
    desks = Desks(cast)

    def step(who: str, action: Callable[..., T], *args: Any) -> T:
        def scenario(tab: Tab) -> T:
            person = desks.of(tab, who)
            try:
                return action(person, *args)
            except BaseException:
                shot(person.page, f"failure-{action.__name__}")
                raise

        return in_browser(scenario)

    try:
        step("counsellor", counsellor_submits_concern, cast.national_id)
        paths = step("coordinator", coordinator_opens_case)
        case_path = paths["case"]
        step("barnevern", barnevern_sees_shared_picture, case_path)
        step("coordinator", coordinator_registers_consent, case_path)
        step("barnevern", barnevern_reads_the_entry, case_path)

        # The meeting day comes: the meeting was scheduled for tomorrow (a time in the past is
        # refused) and has just begun. The server's clock is left alone.
        Meeting.objects.filter(case_id=case_path.split("/")[2]).update(
            starts_at=clock.now() - dt.timedelta(seconds=5))

        step("coordinator", coordinator_writes_minutes, case_path, paths["meeting"])
        step("police", police_completes_task)
        step("coordinator", coordinator_closes_case, case_path)
    finally:
        in_browser(lambda _tab: desks.close())


def test_the_rulebook_hides_the_school_entry_from_barnevern(rulebook, settings):
    """What the flow above relies on: under the shipped rules (unreviewed allow rules not in
    force, as in production) barnevern has no basis for the school's «skole» entry for
    forebygging without a consent, and the guardians' consent gives one."""
    from laget.sharing import guide

    assert settings.LAGET_RULES_UNREVIEWED_IN_FORCE is False
    question = {"source": "skole", "recipient": "barnevern", "category": "skole",
                "purpose": "forebygging", "person_age": 14}
    answer = guide.ask(**question)
    assert (answer.answer, answer.rule_id) == (guide.CONSENT_REQUIRED, "fvl-13a-samtykke")
    assert guide.ask(**question, consent="guardian").answer == guide.YES
