"""The administrator keeps a school's miljøteam in the admin, from the school's own staff only;
incidents, requests and school changes (personal data) are not in the admin."""

import pytest
from django.contrib import admin

from laget.accounts.tests.factories import MembershipFactory, UserFactory
from laget.schools.models import AmbulantRequest, Incident, School, SchoolChange
from laget.schools.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_the_miljoteam_is_chosen_from_the_schools_staff(client, make_member, login):
    login(client, make_member("admin", agency_type="by", district=None, is_staff=True,
                              is_superuser=True))
    school = SchoolFactory()
    teacher = UserFactory(first_name="Tora", last_name="Lærer")
    MembershipFactory(user=teacher, agency=school.agency, role="caseworker")
    outsider = UserFactory(first_name="Olav", last_name="Utenfor")
    MembershipFactory(user=outsider, role="caseworker")
    url = f"/admin/schools/school/{school.pk}/change/"
    page = client.get(url).content.decode()
    assert "Tora" in page and "Olav" not in page
    response = client.post(url, {"name": school.name, "district": school.district_id,
                                 "level": school.level, "miljoteam": [teacher.pk]})
    assert response.status_code == 302, response.content.decode()[:1500]
    assert list(School.objects.get(pk=school.pk).miljoteam.all()) == [teacher]
    refused = client.post(url, {"name": school.name, "district": school.district_id,
                                "level": school.level, "miljoteam": [outsider.pk]})
    assert refused.status_code == 200  # not a choice: the form says so
    assert list(School.objects.get(pk=school.pk).miljoteam.all()) == [teacher]


def test_personal_data_of_schools_is_not_in_the_admin():
    for model in (Incident, AmbulantRequest, SchoolChange):
        assert model not in admin.site._registry
