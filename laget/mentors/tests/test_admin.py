"""An administrator sets up a programme and its criteria in the admin; the programme page then
publishes them. Applications and mentors are not in the admin."""

import pytest
from django.contrib import admin

from laget.accounts.tests.factories import AgencyFactory
from laget.mentors.models import Application, Mentor, Mentorship, Programme

pytestmark = pytest.mark.django_db


def test_programme_with_criteria_from_the_admin(client, make_member, login):
    admin_user = make_member("admin", agency_type="by", district=None, is_staff=True,
                             is_superuser=True)
    login(client, admin_user)
    runs = AgencyFactory(type="fritid", district_id="030111")
    response = client.post("/admin/mentors/programme/add/", {
        "name": "Unge forbilder Stovner", "description": "Kurs, turer og jobb.",
        "agency": runs.pk, "district": "030111", "age_min": 15, "age_max": 22, "capacity": 4,
        "open_for_applications": "on",
        "criteria-TOTAL_FORMS": "1", "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0", "criteria-MAX_NUM_FORMS": "1000",
        "criteria-0-position": "1",
        "criteria-0-text": "Anbefalt av en voksen som kjenner den unge.",
        "criteria-0-required": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    programme = Programme.objects.get(name="Unge forbilder Stovner")
    assert [c.text for c in programme.criteria.all()] == [
        "Anbefalt av en voksen som kjenner den unge."]
    page = client.get(f"/forbilder/{programme.pk}/")
    assert page.status_code == 200
    assert "Anbefalt av en voksen som kjenner den unge." in page.content.decode()


def test_personal_data_of_the_programme_is_not_in_the_admin():
    for model in (Application, Mentor, Mentorship):
        assert model not in admin.site._registry
