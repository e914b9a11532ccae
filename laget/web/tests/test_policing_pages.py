"""The police registration pages: the one-page form (native controls, sensible defaults), the
receipt (guardians told or «ring selv»; a case named only to an officer on its team), the unit's
list with each notification's status, and who may open them."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laget.accounts.tests.factories import AgencyFactory
from laget.areas.models import Subdistrict
from laget.cases.services import case_open
from laget.core import clock
from laget.notify.models import Message, MessageStatus
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.policing.models import PoliceRegistration
from laget.records.services import team_member_add
from laget.web.tests.conftest import actor_of

pytestmark = pytest.mark.django_db

STOVNER = "030111"


def born(years: int) -> dt.date:
    return clock.today() - dt.timedelta(days=int(years * 365.25) + 40)


@pytest.fixture
def unit(db):
    return AgencyFactory(type="politi", name="Øst politidistrikt, Stovner", district_id=None)


@pytest.fixture
def officer(make_member, unit):
    return make_member("caseworker", agency=unit, password=None)


@pytest.fixture
def coordinator(make_member, rulebook):
    return make_member("coordinator", password=None)


@pytest.fixture
def client_for(login):
    return lambda user: login(Client(), user)


def _young(age: int, *, phone: str = "99999999"):
    person = PersonFactory(district_id=STOVNER, birth_date=born(age), given_name="Sara")
    GuardianFactory(person=person, given_name="Amina", family_name="Mor", phone=phone)
    return person


def _post(client, person, **extra):
    place = Subdistrict.objects.filter(district_id=STOVNER).order_by("code").first()
    data = {
        "kind": "stop_search", "national_id": person.national_id if person else "",
        "given_name": "Sara", "family_name": person.family_name if person else "Ukjent",
        "birth_date": "", "subdistrict": place.pk,
        "occurred_at": timezone.localtime(clock.now()).strftime("%Y-%m-%dT%H:%M"),
        "grounds": "Lukt av cannabis.", "found_items": "", "weapon_type": "none",
        "offence_category": "", "held": "0", **extra,
    }
    return client.post(reverse("web:police_create"), data)


def test_the_form_is_one_page_of_native_controls_with_defaults(client_for, officer, unit):
    page = client_for(officer).get(reverse("web:police_create")).content.decode()
    assert unit.name in page
    # what happened and the weapon are radios (arrow keys), the first choice checked
    assert re.search(r'type="radio" name="kind" value="stop_search" id="[^"]+" checked', page)
    assert re.search(r'type="radio" name="weapon_type" value="none" id="[^"]+" checked', page)
    now = timezone.localtime(clock.now()).strftime("%Y-%m-%dT")
    assert re.search(rf'type="datetime-local" name="occurred_at" value="{now}', page)
    # keyboard-only: no tabindex games or script in the form, every control has a label
    start = page.index('data-testid="police-form"')
    form = page[start:page.index("</form>", start)]
    assert "tabindex" not in form and "<script" not in form and "onclick" not in form
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', form)
    labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', form))
    assert ids and set(ids) <= labelled
    assert '<button type="submit"' in form


def test_registering_a_child_without_a_case_receipt_lists_what_happened(
        client_for, officer, coordinator):
    person = _young(15)
    client = client_for(officer)
    response = _post(client, person)
    registration = PoliceRegistration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:police_receipt",
                                           kwargs={"registration_id": registration.pk})
    page = client.get(response["Location"]).content.decode()
    assert "Amina Mor er varslet på SMS (I kø)." in page
    assert "Sendt til SaLTo-koordinatoren." in page


def test_the_receipt_never_reveals_a_case_to_an_officer_off_the_team(
        client_for, officer, coordinator):
    person = _young(15)
    case = case_open(actor=actor_of(coordinator), person=person)
    client = client_for(officer)
    page = client.get(_post(client, person)["Location"]).content.decode()
    assert PoliceRegistration.objects.get().salto_case_id == case.pk
    assert "Sendt til SaLTo-koordinatoren." in page
    assert str(case.pk) not in page and "SaLTo-saken" not in page


def test_an_officer_on_the_team_is_told_it_went_on_the_case(client_for, officer, coordinator,
                                                            unit):
    person = _young(16)
    case = case_open(actor=actor_of(coordinator), person=person)
    team_member_add(actor=actor_of(coordinator), case=case, user=officer, agency=unit)
    client = client_for(officer)
    page = client.get(_post(client, person, weapon_type="kniv")["Location"]).content.decode()
    assert reverse("web:case_detail", kwargs={"case_id": case.pk}) in page
    assert "med våpenutløser" in page


def test_ring_selv_when_a_guardian_cannot_be_messaged(client_for, officer, coordinator):
    person = _young(15, phone="")
    client = client_for(officer)
    page = client.get(_post(client, person)["Location"]).content.decode()
    assert "Ring selv: Amina Mor" in page and "Mangler telefon og e-post." in page


def test_bad_input_is_a_form_error_not_a_registration(client_for, officer, coordinator):
    person = _young(15)
    response = _post(client_for(officer), person, kind="apprehension")
    assert response.status_code == 200
    assert "Velg lovbruddskategori for pågripelsen." in response.content.decode()
    assert not PoliceRegistration.objects.exists()


def test_the_unit_list_shows_each_notification_status(client_for, officer, coordinator, unit,
                                                      make_member):
    client = client_for(officer)
    _post(client, _young(15))
    Message.objects.update(status=MessageStatus.FAILED)
    _post(client, _young(14, phone=""))
    colleague = make_member("leader", agency=unit, password=None)
    page = client_for(colleague).get(reverse("web:police_list")).content.decode()
    assert page.count("Amina Mor: SMS – Feilet") == 1
    assert "ring selv" in page


def test_another_unit_does_not_see_the_registration(client_for, officer, coordinator,
                                                    make_member):
    client = client_for(officer)
    location = _post(client, _young(15))["Location"]
    other = make_member("caseworker", agency_type="politi", district=None, password=None)
    other_client = client_for(other)
    assert other_client.get(location).status_code == 404
    assert "Sara" not in other_client.get(reverse("web:police_list")).content.decode()


def test_not_for_other_agencies(client_for, coordinator):
    client = client_for(coordinator)
    for name in ("web:police_create", "web:police_list"):
        assert client.get(reverse(name)).status_code == 403
    assert _post(client, _young(15)).status_code == 403
    assert not PoliceRegistration.objects.exists()


def test_the_start_page_offers_police_roles_the_form(client_for, officer, coordinator):
    assert reverse("web:police_create") in client_for(officer).get(
        reverse("web:start")).content.decode()
    assert reverse("web:police_create") not in client_for(coordinator).get(
        reverse("web:start")).content.decode()


def test_the_receipt_says_when_krr_could_not_be_asked(client_for, officer, coordinator,
                                                      settings):
    from laget.notify.tests.fakes import KrrServer

    krr = KrrServer(token="krr-token").start()
    try:
        settings.LAGET_KRR_URL, settings.LAGET_KRR_TOKEN = krr.url, "krr-token"
        krr.script.append(500)
        person = _young(15)
        person.guardians.update(national_id=person.national_id)  # any number: KRR is asked
        client = client_for(officer)
        page = client.get(_post(client, person)["Location"]).content.decode()
    finally:
        krr.stop()
    assert len(krr.requests) == 1
    assert "Amina Mor er varslet på SMS" in page
    assert 'data-testid="krr-unavailable"' in page
