"""The demo's unge forbilder: a programme per pilot bydel (the last run by its youth club), and in
the first the four applications in their states, the mentor's benefits and a mentee — once."""

import pytest

from laget.accounts.models import AgencyType, Role
from laget.accounts.tests.factories import AgencyFactory
from laget.demo.mentors import build_mentors
from laget.mentors.models import Application, Benefit, Mentor, Mentorship, Programme
from laget.mentors.tests.conftest import born
from laget.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_demo_programmes_applications_and_mentor(make_member):
    agencies = {code: AgencyFactory(code=code, type=kind, district_id=district)
                for code, kind, district in [
                    ("bydel-stovner", AgencyType.BYDEL, "030111"),
                    ("fritid-stovner", AgencyType.FRITID, "030111"),
                    ("skole-stovner-1", AgencyType.SKOLE, "030111"),
                    ("fritid-gamle-oslo", AgencyType.FRITID, "030101")]}
    for code in ("bydel-stovner", "fritid-stovner", "skole-stovner-1"):
        make_member(Role.CASEWORKER, agency=agencies[code])
    for years in (17, 18, 19, 17, 13):
        PersonFactory(birth_date=born(years), district_id="030111")
    districts = {"030111": "stovner", "030101": "gamle-oslo"}
    assert build_mentors(districts=districts) == 2
    stovner = Programme.objects.get(agency=agencies["bydel-stovner"])
    assert Programme.objects.filter(agency=agencies["fritid-gamle-oslo"]).exists()
    assert stovner.criteria.filter(required=True).count() == 3
    assert sorted(Application.objects.values_list("status", flat=True)) == [
        "avslatt", "sendt", "tatt_opp", "venteliste"]
    mentor = Mentor.objects.get()
    assert set(Benefit.objects.values_list("kind", flat=True)) == {
        "kurs", "tur", "deltidsjobb", "mentorrolle"}
    assert Mentorship.objects.get().mentor == mentor
    assert build_mentors(districts=districts) == 0
    assert Application.objects.count() == 4
