"""A bydel leader works the erasure page: from a closed, archived case's page they place a legal
hold (the form comes filled in with the case), which stops that case's erasure; a dismissed
concern past its six months they confirm, and the page shows its tombstone. Both pages pass
axe-core."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from laget.accounts.models import Membership
from laget.cases.models import Concern, ConcernStatus
from laget.core import clock
from laget.lifecycle import erasure
from laget.lifecycle.models import (
    ArchivedItem,
    ArchiveExtract,
    CandidateStatus,
    ErasureCandidate,
    ItemKind,
    LegalHold,
    Tombstone,
)
from laget.people.tests.factories import PersonFactory
from laget.records.tests.factories import CaseFactory, TeamMemberFactory
from tests.browser.tab import Tab, assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_AGO = dt.datetime(2021, 6, 1, 10, 0, tzinfo=dt.UTC)


def test_leader_holds_a_case_from_its_page_and_confirms_a_concerns_erasure(
        in_browser, role_member, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    user, device = role_member("leader")
    agency = Membership.objects.get(user=user).agency
    case = CaseFactory(person=PersonFactory(district_id=agency.district_id), opened_by=user,
                       status="closed", closed_at=LONG_AGO)
    TeamMemberFactory(case=case, user=user, agency=agency, is_contact=True)
    extract = ArchiveExtract.objects.create(
        district_id=agency.district_id, agency=agency, created_by=user, directory="",
        zip_name="x.zip", zip_sha256="0" * 64, zip_size=0, case_count=1, document_count=0)
    ArchivedItem.objects.create(extract=extract, case=case, kind=ItemKind.CASE, object_id=case.pk)
    someone = PersonFactory(district_id=agency.district_id)
    concern = Concern.objects.create(
        district_id=agency.district_id, person=someone, national_id=someone.national_id,
        given_name=someone.given_name, family_name=someone.family_name,
        birth_date=someone.birth_date, text="Uten grunnlag.", submitted_by=user,
        submitting_agency=agency, status=ConcernStatus.DISMISSED, assessed_by=user,
        assessed_at=LONG_AGO, assessment="Ikke grunnlag.", submitted_at=LONG_AGO)
    assert erasure.find_due() == 2
    concern_candidate = ErasureCandidate.objects.get(object_id=concern.pk)
    case_candidate = ErasureCandidate.objects.get(object_id=case.pk)
    ends = clock.today() + dt.timedelta(days=90)

    def scenario(tab: Tab) -> None:
        page = tab.page
        log_in(tab, user, device)
        tab.goto(f"/saker/{case.pk}/")
        panel = page.get_by_test_id("case-hold-panel")
        expect(panel).to_contain_text("Ingen sletteforbud")
        panel.get_by_test_id("case-hold-link").click()
        form = page.get_by_test_id("hold-form")
        expect(form.get_by_label("Id")).to_have_value(str(case.pk))
        form.get_by_label("Grunn").select_option(index=1)
        form.get_by_label("Forklaring").fill("Klage til Statsforvalteren, ref. 2026/123")
        form.get_by_label("Til og med").fill(ends.isoformat())
        form.get_by_role("button", name="Sett sletteforbud").click()
        expect(page.get_by_test_id(f"candidate-{case_candidate.pk}")).to_contain_text(
            "sletteforbud")
        assert_accessible(tab, "the erasure page")
        row = page.get_by_test_id(f"candidate-{concern_candidate.pk}")
        row.get_by_role("button", name="Bekreft sletting").click()
        expect(page.locator(".laget-messages")).to_contain_text("Slettet")
        expect(page.get_by_test_id("erasure-tombstones")).to_contain_text(str(concern.pk)[:8])
        expect(page.get_by_test_id(f"candidate-{concern_candidate.pk}")).to_have_count(0)
        tab.goto(f"/saker/{case.pk}/")
        expect(page.get_by_test_id("case-hold-panel")).to_contain_text("til og med")
        assert_accessible(tab, "the case page with a legal hold")
        tab.assert_no_problems("the erasure pages")

    in_browser(scenario)
    hold = LegalHold.objects.get()
    assert (hold.object_id, hold.ends_on, hold.placed_by) == (case.pk, ends, user)
    assert ErasureCandidate.objects.get(pk=concern_candidate.pk).status == CandidateStatus.ERASED
    assert not Concern.objects.filter(pk=concern.pk).exists()
    assert Tombstone.objects.filter(original_id=concern.pk).exists()
    assert ErasureCandidate.objects.get(pk=case_candidate.pk).status == CandidateStatus.DUE
