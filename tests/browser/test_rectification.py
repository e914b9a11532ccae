"""Rectification (GDPR art. 16): the coordinator, on the person's behalf, asks for a correction of
the school's entry from the entry page; the school's caseworker finds it in the list with its
deadline and corrects it with a reason; the case page then shows the new text, and the old one is
in the entry's history. Every page passes axe-core."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Membership
from laget.core import clock
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.records.services import case_open, team_member_add
from laget.rectification.models import RectificationRequest
from laget.sharing.services import consent_register, entry_add
from tests.browser.tab import Tab, assert_accessible, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OLD = "Fravær 30 prosent siste måned."
NEW = "Fravær 3 prosent siste måned."


def _actor(user) -> Actor:
    return Actor(user, Membership.objects.select_related("agency").get(user=user))


def test_a_correction_asked_for_on_the_persons_behalf_supersedes_the_entry(
        in_browser, member_with_device, rulebook):
    coordinator_user, coordinator_device = member_with_device("coordinator")
    school_user, school_device = member_with_device("caseworker", AgencyType.SKOLE)
    coordinator, school = _actor(coordinator_user), _actor(school_user)
    person = PersonFactory(given_name="Rita", family_name="Retting",
                           birth_date=clock.today().replace(year=clock.today().year - 14))
    guardian = GuardianFactory(person=person)
    case = case_open(actor=coordinator, person=person)
    assert school.agency is not None
    team_member_add(actor=coordinator, case=case, user=school_user, agency=school.agency)
    entry = entry_add(actor=school, case=case, category="skole", text=OLD)
    # the guardian's consent lets the bydel read the school's entries
    consent_register(actor=coordinator, case=case, given_by="guardian", guardian_ids=[guardian.pk],
                     method="signed_form", categories=["skole"], recipients=["bydel"],
                     purposes=["forebygging"], valid_from=clock.today(),
                     valid_to=clock.today() + dt.timedelta(days=90), youth_view="Greit.")

    def ask(tab: Tab) -> None:
        page = tab.page
        log_in(tab, coordinator_user, coordinator_device)
        tab.goto(f"/saker/{case.pk}/opplysninger/{entry.pk}/")
        page.get_by_test_id("request-rectification").first.click()
        form = page.get_by_test_id("rectification-form")
        expect(form.get_by_label(OLD, exact=False)).to_be_checked()
        assert_accessible(tab, "the request form")
        form.get_by_label("Hva er feil, med personens egne ord").fill(
            "Fraværet er regnet feil; det var 3 prosent.")
        form.get_by_label("Hva det burde stå").fill(NEW)
        form.get_by_role("button", name="Registrer kravet").click()
        expect(page.get_by_text("Kravet er registrert")).to_be_visible()
        expect(page.get_by_test_id("what-is-wrong")).to_contain_text("regnet feil")
        assert_accessible(tab, "a request's page")
        tab.assert_no_problems("the request pages")
        log_out(tab)

    def decide(tab: Tab) -> None:
        page = tab.page
        log_in(tab, school_user, school_device)
        tab.goto("/retting/")
        expect(page.get_by_test_id("rectification-open")).to_contain_text("Rita Retting")
        assert_accessible(tab, "the list of requests")
        page.get_by_role("link", name="Rita Retting").click()
        form = page.get_by_test_id("decide-form")
        form.get_by_label("Rettet", exact=True).check()
        form.get_by_label("Begrunnelse").fill("Tallet var hentet fra feil måned.")
        form.get_by_label("Opplysningen etter rettingen").fill(NEW)
        assert_accessible(tab, "the decision form")
        form.get_by_role("button", name="Lagre avgjørelsen").click()
        expect(page.get_by_text("Kravet er avgjort.")).to_be_visible()
        expect(page.get_by_test_id("decision")).to_have_text("Rettet")
        expect(page.get_by_test_id("correction-text")).to_contain_text(NEW)
        tab.goto(f"/saker/{case.pk}/")
        main = page.locator("main")
        expect(main).to_contain_text(NEW)
        expect(main).not_to_contain_text(OLD)
        tab.goto(f"/saker/{case.pk}/opplysninger/{entry.pk}/")
        expect(page.get_by_test_id("superseded")).to_be_visible()
        tab.assert_no_problems("the decision pages")

    in_browser(ask)
    in_browser(decide)
    request = RectificationRequest.objects.get()
    assert request.decision == "corrected" and request.decided_by == school_user
