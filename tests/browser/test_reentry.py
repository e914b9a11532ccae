"""Kriminalomsorgen places an inmate in a section where the police have registered someone of the
same network: the warning comes without its reason (no rule in force outside the demo), and the
placement is made with a stated reason. The NAV advisor sees the handed-over plan with the
readiness alert, completes the checklist and the alert goes."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Membership
from laget.core import clock
from laget.people.tests.factories import PersonFactory
from laget.reentry import placement, services
from laget.reentry.models import AffiliationKind, Placement
from tests.browser.tab import Tab, assert_accessible, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _actor(user) -> Actor:
    return Actor(user, Membership.objects.select_related("agency").get(user=user))


def test_placement_warning_and_the_nav_checklist(in_browser, member_with_device, rulebook):
    ko_user, ko_device = member_with_device("caseworker", AgencyType.KRIMINALOMSORG, None)
    nav_user, nav_device = member_with_device("caseworker", AgencyType.NAV)
    police = _actor(member_with_device("caseworker", AgencyType.POLITI, None)[0])
    ko = _actor(ko_user)
    held = PersonFactory(given_name="Eldre", family_name="Innsatt")
    newcomer = PersonFactory(given_name="Ny", family_name="Innsatt",
                             birth_date=clock.today().replace(year=clock.today().year - 20))
    for person in (held, newcomer):
        placement.network_register(actor=police, person=person, network_code="nord",
                                   network_name="Nord-gjengen", kind=AffiliationKind.MEMBER)
    placement.placement_create(actor=ko, person=held, section="Avdeling B", kind="placement")
    release = services.release_register(
        actor=ko, national_id=newcomer.national_id, given_name="", family_name="",
        expected_date=clock.today() + dt.timedelta(days=6), kind="parole",
        municipality="Oslo", district=newcomer.district, short_notice_reason="Kort dom")
    plan = services.release_handover(actor=ko, release=release,
                                     nav_office=_actor(nav_user).agency, owner=nav_user)

    def place(tab: Tab) -> None:
        page = tab.page
        log_in(tab, ko_user, ko_device)
        page.goto(tab.url("/loslatelse/plassering/"))
        page.get_by_label("Fødselsnummer eller D-nummer").fill(newcomer.national_id)
        page.get_by_label("Avdeling", exact=True).fill("Avdeling B")
        page.get_by_label("Innsettelse").check()
        page.get_by_role("button", name="Plasser").click()
        warning = page.get_by_test_id("reentry-placement-warning")
        expect(warning).to_be_visible()
        expect(warning).not_to_contain_text("Nord-gjengen")
        expect(warning).not_to_contain_text("Eldre Innsatt")
        assert_accessible(tab, "placement warning")
        page.get_by_label("Grunn til å plassere likevel").fill("Eneste ledige plass i natt")
        page.get_by_role("button", name="Plasser").click()
        expect(page.get_by_text("Plasseringen er registrert.")).to_be_visible()
        expect(page.get_by_test_id("reentry-placements")).to_contain_text(
            "Eneste ledige plass i natt")
        log_out(tab)

    def checklist(tab: Tab) -> None:
        page = tab.page
        log_in(tab, nav_user, nav_device)
        page.goto(tab.url("/loslatelse/"))
        expect(page.get_by_test_id("reentry-alert")).to_be_visible()
        page.get_by_role("link", name="Ny Innsatt").click()
        expect(page.get_by_test_id("reentry-alert")).to_be_visible()
        assert_accessible(tab, "reentry plan")
        form = page.get_by_test_id("reentry-checklist")
        form.get_by_label("ID-dokumenter klare").check()
        form.get_by_label("Bankkonto opprettet").check()
        form.get_by_label("Bolig bekreftet").check()
        form.get_by_label("Første møte hos NAV er booket til").fill(
            release.expected_date.isoformat())
        form.get_by_role("button", name="Lagre sjekklisten").click()
        expect(page.get_by_text("Sjekklisten er lagret.")).to_be_visible()
        expect(page.get_by_test_id("reentry-alert")).to_have_count(0)
        assert "Nord-gjengen" not in page.locator("main").inner_text()
        tab.assert_no_problems("reentry pages")

    in_browser(place)
    in_browser(checklist)
    assert Placement.objects.get(person=newcomer).warned
    plan.refresh_from_db()
    assert plan.housing_confirmed and plan.first_meeting_on == release.expected_date
