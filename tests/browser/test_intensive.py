"""The coordinator opens an intensive-follow-up youth's week plan, sees the one gap highlighted
(Friday 17–23, marked «Hull» in the grid and listed above it), fills it from the gap's own link,
and the gap is gone; the heat-map of gaps reads as a table."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from laget.accounts.actor import Actor
from laget.accounts.models import Membership
from laget.cases.services import case_open
from laget.core import clock
from laget.intensive import services
from laget.intensive.models import Slot
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.records.services import team_member_add
from tests.browser.tab import SHOTS_DIR, Tab, assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_fills_a_gap_in_the_week_plan(in_browser, member_with_device, make_member,
                                                  rulebook):
    coordinator, device = member_with_device("coordinator", first_name="Kari",
                                             last_name="Koordinator")
    lead = Actor(coordinator, Membership.objects.select_related("agency").get(user=coordinator))
    today = clock.today()
    person = PersonFactory(given_name="Adam", family_name="Syntetisk", district_id="030111",
                           birth_date=today.replace(year=today.year - 15) - dt.timedelta(days=40))
    guardian = GuardianFactory(person=person)
    case = case_open(actor=lead, person=person)
    club_user = make_member("caseworker", agency_type="fritid", first_name="Fredrik",
                            last_name="Fritid")
    club_agency = Membership.objects.get(user=club_user).agency
    member = team_member_add(actor=lead, case=case, user=club_user, agency=club_agency)
    enrolment = services.enrolment_create(
        actor=lead, case=case, decided_on=today, starts_on=today, members=[member],
        consent=services.ConsentGiven(given_by="guardian", guardian_ids=[guardian.pk],
                                      method="signed_form",
                                      valid_to=today + dt.timedelta(days=90),
                                      youth_view="Vil være med."))
    # a full week but for Friday evening
    plan = [(day, 8, 15, "skole") for day in range(5)]
    plan += [(day, 15, 23, "hjemme") for day in range(4)]
    plan += [(4, 15, 17, "trening"), (5, 7, 23, "hjemme"), (6, 7, 23, "hjemme")]
    for weekday, start, end, kind in plan:
        services.slot_add(actor=lead, enrolment=enrolment, slot=services.SlotInput(
            weekday=weekday, start_hour=start, end_hour=end, kind=kind))
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)

    def scenario(tab: Tab) -> None:
        page = tab.page
        log_in(tab, coordinator, device)
        page.get_by_role("link", name="Intensiv oppfølging").first.click()
        expect(page.get_by_test_id("intensive-capacity")).to_contain_text("1 av 5 plasser")
        page.get_by_role("link", name="Adam Syntetisk").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Adam Syntetisk")
        gaps = page.get_by_test_id("intensive-gap")
        expect(gaps).to_have_count(1)
        expect(gaps.first).to_contain_text("Fredag 17–23")
        week = page.get_by_role("table", name="Ukeplanen time for time")
        expect(week.get_by_test_id("intensive-gap-cell")).to_have_count(6)
        expect(week.get_by_test_id("intensive-gap-cell").first).to_have_text("Hull")
        assert_accessible(tab, "intensive week plan with a gap")
        page.screenshot(path=str(SHOTS_DIR / "intensive-1-gap.png"), full_page=True)

        gaps.first.get_by_role("link", name="Fyll hullet").click()
        form = page.get_by_test_id("intensive-slot-form")
        expect(form.get_by_label("Ukedag")).to_have_value("4")
        expect(form.get_by_label("Fra kl.")).to_have_value("17")
        expect(form.get_by_label("Til kl.")).to_have_value("23")
        form.get_by_label("Hva", exact=True).select_option("aktivitet")
        form.get_by_label("Ansvarlig i oppfølgingsteamet").select_option(
            label="Fredrik Fritid (" + club_agency.name + ")")
        form.get_by_label("Kort beskrivelse").fill("Fredagsklubben")
        assert_accessible(tab, "intensive slot form")
        form.get_by_role("button", name="Legg inn økten").click()

        expect(page.get_by_text("Økten er lagt inn i ukeplanen.")).to_be_visible()
        expect(page.get_by_test_id("intensive-no-gaps")).to_be_visible()
        expect(page.get_by_test_id("intensive-gap-cell")).to_have_count(0)
        expect(page.get_by_role("table", name="Ukeplanen time for time")).to_contain_text(
            "Fredagsklubben")
        page.screenshot(path=str(SHOTS_DIR / "intensive-2-filled.png"), full_page=True)

        page.get_by_role("link", name="Intensiv oppfølging", exact=True).first.click()
        page.get_by_role("link", name="Hull i ukeplanene (varmekart)").click()
        expect(page.get_by_role("table", name="Antall unge med hull")).to_be_visible()
        assert_accessible(tab, "intensive heat-map")
        tab.assert_no_problems("intensive pages")

    in_browser(scenario)
    slot = Slot.objects.get(enrolment=enrolment, weekday=4, start_hour=17)
    assert (slot.end_hour, slot.kind, slot.responsible.team_member) == (23, "aktivitet", member)
