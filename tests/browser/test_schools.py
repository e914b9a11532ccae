"""A teacher reports a violent incident; the principal asks for the city's ambulant team; the
team's leader triages and dispatches it, a team member records the arrival and closes with a
report; the response time then shows in the city's statistics (with nine earlier requests in the
bydel this month, the tenth makes the median publishable). Another school cannot open the
incident, and the team never sees the pupil."""

import datetime as dt

import pytest
from django.conf import settings
from playwright.sync_api import expect

from laget.accounts.models import AgencyType, Membership
from laget.accounts.tests.factories import AgencyFactory
from laget.core import clock
from laget.people.tests.factories import PersonFactory
from laget.schools.models import AmbulantRequest, Incident, RequestStatus
from laget.schools.tests.factories import SchoolFactory
from tests.browser.tab import Tab, assert_accessible, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_incident_to_ambulant_team_to_statistics(in_browser, member_with_device, rulebook):
    teacher, teacher_device = member_with_device("caseworker", AgencyType.SKOLE)
    agency = Membership.objects.get(user=teacher).agency
    school = SchoolFactory(agency=agency, name=agency.name, district_id="030111")
    principal, principal_device = member_with_device("leader", agency=agency)
    other_principal, other_device = member_with_device("leader", AgencyType.SKOLE)
    SchoolFactory(agency=Membership.objects.get(user=other_principal).agency)
    team = AgencyFactory(code=settings.LAGET_AMBULANT_TEAM_AGENCY, type=AgencyType.BY,
                         district_id=None, name="Ambulant team")
    lead, lead_device = member_with_device("leader", agency=team)
    responder, responder_device = member_with_device("caseworker", agency=team)
    pupil = PersonFactory(district_id="030111", given_name="Elevnavn", family_name="Syntetisk")
    now = clock.now()
    for _ in range(9):  # earlier requests this month in the same bydel, 30 minutes each
        AmbulantRequest.objects.create(
            school=school, district_id="030111", requested_by=principal,
            requested_at=now - dt.timedelta(seconds=1), kind="langsiktig", situation="Tidligere.",
            status=RequestStatus.CLOSED,
            arrived_at=now - dt.timedelta(seconds=1) + dt.timedelta(minutes=30))
    month = now.astimezone(clock.OSLO).strftime("%Y-%m")
    when = (now - dt.timedelta(hours=1)).astimezone(clock.OSLO).strftime("%Y-%m-%dT%H:%M")

    def report(tab: Tab) -> None:
        page = tab.page
        log_in(tab, teacher, teacher_device)
        page.goto(tab.url("/skole/"))
        page.get_by_test_id("report-incident").click()
        page.get_by_label("Tidspunkt").fill(when)
        page.get_by_label("Type hendelse").select_option(label="Vold")
        page.get_by_label("Hva skjedde").fill("Slag mot en medelev i garderoben.")
        page.get_by_label("Elev 1: fødselsnummer").fill(pupil.national_id)
        page.locator("#id_pupil_0_perpetrator").check()
        page.get_by_label("Politiet er varslet").check()
        assert_accessible(tab, "incident form")
        page.get_by_role("button", name="Meld hendelsen").click()
        expect(page.get_by_text("Hendelsen er meldt.")).to_be_visible()
        expect(page.get_by_test_id("incident-pupils")).to_contain_text("utøver")
        assert pupil.national_id not in page.url
        log_out(tab)

    def request(tab: Tab) -> None:
        page = tab.page
        log_in(tab, principal, principal_device)
        page.goto(tab.url("/skole/"))
        page.get_by_test_id("open-incidents").get_by_role("link").first.click()
        page.get_by_test_id("request-team").click()
        page.get_by_label("Situasjonen").fill("Uro i klassen etter slåsskamp.")
        page.get_by_role("button", name="Send forespørselen").click()
        expect(page.get_by_test_id("request-status")).to_have_text("Mottatt")
        log_out(tab)

    def dispatch(tab: Tab) -> None:
        page = tab.page
        log_in(tab, lead, lead_device)
        page.goto(tab.url("/skole/ambulant/"))
        assert_accessible(tab, "ambulant board")
        page.get_by_test_id("board").get_by_role("link").first.click()
        page.get_by_label("Hastegrad").select_option(label="Akutt (samme dag)")
        page.get_by_role("button", name="Lagre vurdering").click()
        page.get_by_role("button", name="Send teamet ut").click()
        expect(page.get_by_test_id("request-status")).to_have_text("Teamet er sendt")
        assert "Elevnavn" not in page.locator("main").inner_text()
        log_out(tab)

    def close(tab: Tab) -> None:
        page = tab.page
        log_in(tab, responder, responder_device)
        page.goto(tab.url("/skole/ambulant/"))
        page.get_by_test_id("board").get_by_role("link").first.click()
        page.get_by_role("button", name="Teamet er på skolen nå").click()
        expect(page.get_by_test_id("request-status")).to_have_text("Teamet er på skolen")
        page.get_by_role("textbox", name="Tiltak").fill("Samtaler med klassen.")
        page.get_by_role("textbox", name="Sluttrapport").fill("Roligere etter to dager.")
        page.get_by_role("button", name="Avslutt med sluttrapport").click()
        expect(page.get_by_test_id("request-status")).to_have_text("Avsluttet")
        expect(page.get_by_test_id("response-time")).to_contain_text("minutter")
        page.goto(tab.url("/skole/statistikk/"))
        table = page.get_by_test_id(f"stats-{month}")
        row = table.get_by_role("row", name="Stovner")
        expect(row).to_contain_text("10")
        expect(row).to_contain_text("30")
        assert_accessible(tab, "statistics")
        tab.assert_no_problems("schools pages")
        log_out(tab)

    def other_school(tab: Tab) -> None:
        log_in(tab, other_principal, other_device)
        response = tab.page.goto(tab.url(f"/skole/hendelser/{incident_id}/"))
        assert response is not None and response.status == 404

    in_browser(report)
    incident_id = Incident.objects.get().pk
    in_browser(request)
    in_browser(dispatch)
    in_browser(close)
    in_browser(other_school)
    done = AmbulantRequest.objects.get(incident_id=incident_id)
    assert done.status == RequestStatus.CLOSED and done.response_minutes is not None
