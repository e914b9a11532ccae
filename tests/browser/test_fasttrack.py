"""A police prosecutor registers the milestones of a youth case whose charge-decision deadline has
passed (the clock is set back through the data: the offence two months ago, the suspect charged
50 days ago against strpl. § 249's 42 days) and sees the overdue alert on the case page and on
the list, with the timeline drawn against its target."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from laget.accounts.models import AgencyType, Membership
from laget.accounts.tests.factories import AgencyFactory
from laget.core import clock
from laget.fasttrack import services
from laget.fasttrack.models import Milestone
from laget.people.tests.factories import PersonFactory
from tests.browser.tab import SHOTS_DIR, Tab, assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_prosecutor_registers_milestones_and_sees_the_overdue_alert(in_browser, role_member,
                                                                   make_member):
    from laget.accounts.actor import Actor

    user, device = role_member("prosecutor")
    actor = Actor(user, Membership.objects.select_related("agency").get(user=user))
    court = AgencyFactory(type=AgencyType.DOMSTOL, name="Oslo tingrett", district_id=None)
    today = clock.today()
    person = PersonFactory(district_id="030111", given_name="Jonas", family_name="Syntetisk",
                           birth_date=today - dt.timedelta(days=16 * 365 + 100))
    case = services.youth_case_open(
        actor=actor, person=person, police_case_number="2026 1234",
        offence_on=today - dt.timedelta(days=60), offence_categories=["vold"], weapon=True,
        court=court)
    # finished charge decisions of another unit, for the city statistics: six in Stovner, two
    # (suppressed) in Alna
    other_user = make_member("prosecutor", agency_type="politi", district=None)
    other = Actor(other_user, Membership.objects.select_related("agency").get(user=other_user))
    for n, district in enumerate(["030111"] * 6 + ["030112"] * 2):
        finished = services.youth_case_open(
            actor=other, person=PersonFactory(district_id=district,
                                              birth_date=today - dt.timedelta(days=16 * 365)),
            police_case_number=f"{30000000 + n}", offence_on=today - dt.timedelta(days=40),
            offence_categories=["ran"])
        services.milestone_record(actor=other, case=finished, kind="charged",
                                  occurred_on=today - dt.timedelta(days=35))
        services.milestone_record(actor=other, case=finished, kind="charge_decision",
                                  occurred_on=today - dt.timedelta(days=30 - n),
                                  outcome="forelegg")
    reported = (today - dt.timedelta(days=58)).isoformat()
    charged = (today - dt.timedelta(days=50)).isoformat()
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)

    def record(tab: Tab, kind: str, day: str) -> None:
        page = tab.page
        form = page.get_by_test_id("milestone-form")
        form.get_by_label("Milepæl").select_option(label=kind)
        form.get_by_label("Dato", exact=True).fill(day)
        form.get_by_role("button", name="Registrer milepæl").click()
        expect(page.get_by_text("Milepælen er registrert.")).to_be_visible()

    def scenario(tab: Tab) -> None:
        page = tab.page
        log_in(tab, user, device)
        page.get_by_role("link", name="Hurtigsporet").first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Hurtigsporet")
        expect(page.get_by_test_id("fasttrack-overdue-alert")).to_have_count(0)
        page.get_by_role("link", name="20261234").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Sak 20261234 i hurtigsporet")
        expect(page.get_by_test_id("fasttrack-case-overdue")).to_have_count(0)

        record(tab, "Anmeldt", reported)
        record(tab, "Siktet", charged)
        alert = page.get_by_test_id("fasttrack-case-overdue")
        expect(alert).to_be_visible()
        expect(alert).to_contain_text("Fristen for Påtaleavgjørelse gikk ut")
        # against the law's 42 days (and the city's stricter target beside it)
        expect(page.get_by_test_id("stage-charge_decision").get_by_test_id("stage-overdue")
               .first).to_have_text("8 dager over fristen")
        # the timeline: drawn as SVG, with the overdue part and the due day
        figure = page.locator("figure[data-laget-chart]")
        expect(figure).to_have_attribute("data-laget-chart-state", "rendered")
        expect(figure.locator("svg .mark-rule.role-mark line")).to_have_count(1)
        expect(figure.locator("svg")).to_contain_text("Frist: påtaleavgjørelse")
        expect(page.get_by_role("table", name="Saksgangen mot målene, i dager fra første "
                                              "milepæl")).to_contain_text("Over målet")
        milestones = page.get_by_test_id("fasttrack-milestones")
        expect(milestones).to_contain_text("Siktet")
        expect(milestones).to_contain_text(user.get_full_name())
        assert_accessible(tab, "fast-track case page")
        page.screenshot(path=str(SHOTS_DIR / "fasttrack-1-case.png"), full_page=True)

        page.get_by_role("link", name="Hurtigsporet", exact=True).first.click()
        expect(page.get_by_test_id("fasttrack-overdue-alert")).to_contain_text(
            "1 sak har passert fristen")
        row = page.get_by_test_id("fasttrack-row").first
        expect(row).to_contain_text("Påtaleavgjørelse")
        expect(row.get_by_test_id("fasttrack-row-overdue")).to_have_text("8 dager over")
        assert_accessible(tab, "fast-track list")
        page.screenshot(path=str(SHOTS_DIR / "fasttrack-2-list.png"), full_page=True)

        page.get_by_role("link", name="Ny sak i hurtigsporet").click()
        expect(page.get_by_test_id("fasttrack-open-form")).to_be_visible()
        assert_accessible(tab, "fast-track open form")
        page.screenshot(path=str(SHOTS_DIR / "fasttrack-4-open.png"), full_page=True)
        page.go_back()
        page.get_by_role("link", name="Statistikk for byen").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("statistikk")
        charts = page.locator("figure[data-laget-chart]")
        expect(charts.first).to_have_attribute("data-laget-chart-state", "rendered")
        expect(page.get_by_test_id("suppressed").first).to_be_visible()
        assert_accessible(tab, "fast-track statistics")
        page.screenshot(path=str(SHOTS_DIR / "fasttrack-3-statistics.png"), full_page=True)
        tab.assert_no_problems("fast-track pages")

    in_browser(scenario)
    assert list(Milestone.objects.filter(case=case).order_by("occurred_on")
                .values_list("kind", "recorded_by")) == [
        ("offence", user.pk), ("reported", user.pk), ("charged", user.pk)]
