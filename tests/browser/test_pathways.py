"""A coordinator refers a young person to a youth club from the case; the club sees only the
name, age, contact, language and the referral text — nothing from the case — accepts and records
attendance; the coordinator then sees the attendance on the case's plan."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Membership
from laget.core import clock
from laget.pathways.models import Attendance, Referral
from laget.pathways.tests.factories import OfferFactory
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.records.services import case_open
from laget.sharing import services as sharing_services
from tests.browser.tab import Tab, assert_accessible, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SECRET = "HEMMELIG-sak-4b7e"


def test_referral_to_a_club_and_attendance_back_to_the_plan(in_browser, member_with_device,
                                                           rulebook):
    coordinator_user, coordinator_device = member_with_device("coordinator")
    club_user, club_device = member_with_device("caseworker", AgencyType.FRITID)
    coordinator = Actor(coordinator_user,
                        Membership.objects.select_related("agency").get(user=coordinator_user))
    club = Membership.objects.get(user=club_user).agency
    # a second coordinator of the same bydel reads the plan at the end (a TOTP code cannot be
    # used twice, and the first coordinator's next code may be 30 seconds away)
    colleague, colleague_device = member_with_device("coordinator", agency=coordinator.agency)
    today = clock.today()
    person = PersonFactory(district_id="030111", given_name="Amina", family_name="Syntetisk",
                           birth_date=today.replace(year=today.year - 14) - dt.timedelta(days=9),
                           preferred_language="so")
    guardian = GuardianFactory(person=person, phone="+4790011223")
    case = case_open(actor=coordinator, person=person)
    sharing_services.entry_add(actor=coordinator, case=case, category="plan",
                               text=f"{SECRET} fra bydelen")
    sharing_services.consent_register(
        actor=coordinator, case=case, given_by="both", guardian_ids=[guardian.pk],
        method="signed_form", categories=["identitet", "aktivitet"], recipients=["fritid"],
        purposes=["oppfolging"], valid_from=today, valid_to=today + dt.timedelta(days=90),
        youth_view="Vil gjerne.")
    offer = OfferFactory(provider=club, name="Haugenstua fritidsklubb")

    def refer(tab: Tab) -> None:
        page = tab.page
        log_in(tab, coordinator_user, coordinator_device)
        page.goto(tab.url(f"/saker/{case.pk}/"))
        page.get_by_test_id("refer-link").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Henvis til tilbud")
        page.get_by_label("Tilbud").select_option(label=f"{offer.name} (Fritidsklubb, 10–17 år)")
        page.get_by_label("Hva henvisningen gjelder").fill("Liker musikk, trenger et fast sted.")
        assert_accessible(tab, "referral form")
        page.get_by_role("button", name="Send henvisning").click()
        expect(page.get_by_text("Henvisningen er sendt.")).to_be_visible()
        expect(page.get_by_test_id("case-referral")).to_contain_text("Sendt")
        log_out(tab)

    def answer(tab: Tab) -> None:
        page = tab.page
        log_in(tab, club_user, club_device)
        page.goto(tab.url("/tilbud/henvisninger/"))
        page.get_by_role("link", name="Amina Syntetisk").click()
        facts = page.get_by_test_id("referral-facts")
        expect(facts).to_contain_text("Amina Syntetisk")
        expect(page.get_by_test_id("referral-age")).to_have_text("14 år")
        expect(page.get_by_test_id("referral-contact")).to_contain_text("+4790011223")
        expect(facts).to_contain_text("Somali")
        expect(page.get_by_test_id("referral-text")).to_have_text(
            "Liker musikk, trenger et fast sted.")
        body = page.locator("main").inner_text()
        assert SECRET not in body and person.national_id not in body
        assert str(case.pk) not in page.content()
        assert coordinator_user.get_full_name() not in body
        assert_accessible(tab, "provider's referral page")
        page.get_by_label("Aksepter").check()
        page.get_by_role("button", name="Lagre svar").click()
        expect(page.get_by_test_id("referral-status")).to_have_text("Akseptert")
        form = page.get_by_test_id("attendance-form")
        form.get_by_label("Dato").fill(today.isoformat())
        form.get_by_label("Møtte", exact=True).check()
        form.get_by_role("button", name="Registrer oppmøte").click()
        expect(page.get_by_test_id("attendance-summary")).to_have_text("1 av 1 oppmøter")
        # the case does not exist for the club
        response = page.goto(tab.url(f"/saker/{case.pk}/"))
        assert response is not None and response.status == 404
        log_out(tab)

    def plan(tab: Tab) -> None:
        page = tab.page
        log_in(tab, colleague, colleague_device)
        page.goto(tab.url(f"/saker/{case.pk}/"))
        expect(page.get_by_test_id("case-referral")).to_contain_text("1 av 1 oppmøter")
        expect(page.get_by_test_id("case-referral")).to_contain_text("Akseptert")
        page.goto(tab.url(f"/saker/{case.pk}/plan/"))
        expect(page.locator("main")).to_contain_text("1 av 1 oppmøter")
        tab.assert_no_problems("pathways pages")

    in_browser(refer)
    in_browser(answer)
    in_browser(plan)
    referral = Referral.objects.get(case=case)
    assert referral.status == "akseptert"
    assert Attendance.objects.filter(referral=referral, attended=True).count() == 1
