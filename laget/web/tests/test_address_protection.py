"""A caseworker records Folkeregisteret's address protection on a person and on a guardian
through the person pages; the field is offered with its bokmål labels and audited by name only."""

import pytest
from django.urls import reverse

from laget.audit.models import AuditEvent
from laget.people.models import AddressProtection, Guardian
from laget.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client, make_member, login):
    user = make_member("coordinator", agency_type="bydel", district="030111")
    login(client, user)
    return user


def test_guardian_form_sets_address_protection(client, coordinator):
    person = PersonFactory(district_id="030111")
    url = reverse("web:guardian_create", kwargs={"person_id": person.pk})
    page = client.get(url).content.decode()
    assert 'name="address_protection"' in page and "Strengt fortrolig adresse" in page
    bad = client.post(url, {"given_name": "Far", "family_name": "X", "relation": "far",
                            "preferred_language": "nb", "address_protection": "hemmelig"})
    assert bad.status_code == 200 and not Guardian.objects.exists()
    good = client.post(url, {"given_name": "Far", "family_name": "X", "relation": "far",
                             "parental_responsibility": "on", "preferred_language": "nb",
                             "address_protection": "strengt_fortrolig"})
    assert good.status_code == 302
    assert Guardian.objects.get().address_protection == AddressProtection.STRENGT_FORTROLIG


def test_person_form_sets_and_clears_address_protection(client, coordinator):
    person = PersonFactory(district_id="030111")
    url = reverse("web:person_edit", kwargs={"person_id": person.pk})
    page = client.get(url).content.decode()
    assert 'name="address_protection"' in page and "Fortrolig adresse" in page
    form = {"national_id": person.national_id, "birth_date": "", "given_name": person.given_name,
            "family_name": person.family_name, "district": "030111", "subdistrict": "",
            "preferred_language": "nb", "interpreter_language": ""}
    assert client.post(url, {**form, "address_protection": "fortrolig"}).status_code == 302
    person.refresh_from_db()
    assert person.address_protection == AddressProtection.FORTROLIG
    event = AuditEvent.objects.filter(action="person.update").latest("occurred_at", "id")
    assert event.details == {"fields": ["address_protection"]}
    assert 'value="fortrolig" selected' in client.get(url).content.decode()
    assert client.post(url, {**form, "address_protection": ""}).status_code == 302
    person.refresh_from_db()
    assert person.address_protection == AddressProtection.NONE
