"""A bydel leader archives a closed case through the archive page and reads what left; the privacy
paperwork (the art. 30 record and the DPIA's start) reads well and passes axe-core. The case was
closed 400 days ago (set back through the data), so it is due for the archive."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from laget.accounts.models import Membership
from laget.core import clock
from laget.lifecycle.models import ArchiveExtract
from laget.people.tests.factories import PersonFactory
from laget.records.tests.factories import CaseFactory
from tests.browser.tab import Tab, assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_archives_a_closed_case_and_reads_the_paperwork(in_browser, role_member, settings,
                                                               tmp_path):
    settings.VAR_DIR = tmp_path
    user, device = role_member("leader")
    agency = Membership.objects.get(user=user).agency
    case = CaseFactory(person=PersonFactory(district_id=agency.district_id), opened_by=user,
                       status="closed", closed_at=clock.now() - dt.timedelta(days=400))

    def scenario(tab: Tab) -> None:
        page = tab.page
        log_in(tab, user, device)
        tab.goto("/arkiv/")
        expect(page.get_by_test_id("archive-due")).to_contain_text(str(case.pk))
        assert_accessible(tab, "the archive page")
        page.get_by_test_id("archive-build").get_by_role("button").click()
        expect(page.get_by_test_id("extract-items")).to_contain_text(str(case.pk))
        expect(page.get_by_test_id("extract-zip")).to_be_visible()
        assert_accessible(tab, "an extract's page")
        tab.assert_no_problems("the archive pages")
        tab.goto("/personvern/behandlingsprotokoll/")
        expect(page.get_by_test_id("record-retention")).to_contain_text("må fastsettes")
        assert_accessible(tab, "the record of processing")
        tab.goto("/personvern/dpia/")
        expect(page.get_by_test_id("dpia-blank")).to_be_visible()
        assert_accessible(tab, "the DPIA's start")
        tab.assert_no_problems("the paperwork pages")

    in_browser(scenario)
    assert ArchiveExtract.objects.get().case_count == 1
