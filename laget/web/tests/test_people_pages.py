import datetime as dt
import random

import pytest
from django.urls import reverse

from laget.accounts.tests.factories import AgencyFactory
from laget.audit.models import AuditEvent, AuditEventPerson
from laget.people.identifiers import synthetic_national_id
from laget.people.models import Guardian, Person
from laget.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client, make_member, login):
    user = make_member("coordinator", agency_type="bydel", district="030111")
    login(client, user)
    return user


def _form(**overrides):
    data = {
        "national_id": synthetic_national_id(birth_date=dt.date(2013, 4, 2),
                                             rng=random.Random(11)),
        "birth_date": "", "given_name": "Nora", "family_name": "Syntetisk",
        "district": "030111", "subdistrict": "", "preferred_language": "nb",
        "interpreter_language": "",
    }
    data.update(overrides)
    return data


def test_register_view_and_edit_a_person_leaves_audit_events(client, coordinator):
    response = client.post(reverse("web:person_create"), _form())
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.birth_date == dt.date(2013, 4, 2)
    assert person.national_id not in response["Location"]  # never a number in a URL
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Nora Syntetisk" in page.content.decode()
    response = client.post(reverse("web:person_edit", kwargs={"person_id": person.pk}),
                           _form(given_name="Nora Marie"))
    assert response.status_code == 302
    actions = list(AuditEvent.objects.filter(actor=coordinator).values_list("action", flat=True))
    assert {"person.create", "person.view", "person.update"} <= set(actions)
    update = AuditEvent.objects.get(action="person.update")
    assert update.details == {"fields": ["given_name"]}
    assert AuditEventPerson.objects.filter(event=update, person_id=person.pk).exists()
    assert update.purpose == "registrering" and update.role == "coordinator"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"national_id": "1234567890"}, "Nummeret må ha 11 siffer."),
        ({"national_id": "12345678901"}, "Kontrollsifrene stemmer ikke."),
        ({"national_id": "", "birth_date": ""}, "Oppgi fødselsdato når personen ikke har"),
        ({"district": "030199"}, "Ukjent bydel."),
        ({"district": "999999"}, "Ukjent bydel."),
        ({"subdistrict": "03010102"}, "Delbydelen ligger ikke i valgt bydel."),
    ],
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(client, coordinator, overrides,
                                                            message):
    response = client.post(reverse("web:person_create"), _form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Person.objects.count() == 0
    assert not AuditEvent.objects.filter(action="person.create").exists()


def test_duplicate_number_is_a_form_error(client, coordinator):
    client.post(reverse("web:person_create"), _form())
    response = client.post(reverse("web:person_create"), _form(given_name="Annen"))
    assert response.status_code == 200
    assert "allerede registrert" in response.content.decode()
    assert Person.objects.count() == 1


def test_person_of_another_district_is_not_found_and_the_attempt_is_audited(client, coordinator):
    elsewhere = PersonFactory(district_id="030115",
                              registered_by_agency=AgencyFactory(district_id="030115"))
    response = client.get(reverse("web:person_detail", kwargs={"person_id": elsewhere.pk}))
    assert response.status_code == 404
    denied = AuditEvent.objects.get(action="person.access_denied")
    assert denied.outcome == "denied" and denied.actor == coordinator


def test_list_search_and_number_lookup(client, coordinator):
    mine = PersonFactory(given_name="Aksel", district_id="030111")
    PersonFactory(given_name="Bilal", district_id="030115",
                  registered_by_agency=AgencyFactory(district_id="030115"))
    page = client.get(reverse("web:person_list")).content.decode()
    assert "Aksel" in page and "Bilal" not in page
    page = client.get(reverse("web:person_list"), {"q": "aks"}).content.decode()
    assert "Aksel" in page
    listed = AuditEvent.objects.filter(action="person.list").latest("id")
    assert list(listed.subjects.values_list("person_id", flat=True)) == [mine.pk]
    response = client.post(reverse("web:person_list"), {"national_id": mine.national_id})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:person_detail", kwargs={"person_id": mine.pk})


def test_htmx_search_returns_only_the_results_partial(client, coordinator):
    PersonFactory(given_name="Aksel", district_id="030111")
    response = client.get(reverse("web:person_list"), {"q": "Aks"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="resultater"' in body and "<html" not in body and "Aksel" in body


def test_guardian_registration(client, coordinator):
    person = PersonFactory(district_id="030111")
    url = reverse("web:guardian_create", kwargs={"person_id": person.pk})
    bad = client.post(url, {"given_name": "Mor", "family_name": "X", "relation": "mor",
                            "phone": "abc", "preferred_language": "so"})
    assert "Skriv telefonnummeret med siffer" in bad.content.decode()
    good = client.post(url, {"given_name": "Mor", "family_name": "X", "relation": "mor",
                             "parental_responsibility": "on", "phone": "912 34 567",
                             "preferred_language": "so", "interpreter_needed": "on"})
    assert good.status_code == 302
    guardian = Guardian.objects.get()
    assert guardian.parental_responsibility and guardian.interpreter_needed
    assert AuditEvent.objects.filter(action="guardian.create").exists()


def test_the_person_page_shows_each_message_to_the_guardians_and_its_delivery(client,
                                                                              coordinator):
    from django.db import transaction

    from laget.core import clock
    from laget.notify.models import Channel, Message, MessageStatus
    from laget.notify.services import enqueue

    person = PersonFactory(district_id="030111")
    with transaction.atomic():
        delivered = enqueue(channel=Channel.SMS, to="+4741234567", subject="", body="Hemmelig",
                            key="p1", person_id=person.pk)
        failed = enqueue(channel=Channel.EMAIL, to="forelder@example.invalid", subject="S",
                         body="Hemmelig", key="p2", person_id=person.pk)
    now = clock.now()
    Message.objects.filter(pk=delivered.pk).update(status=MessageStatus.DELIVERED, sent_at=now,
                                                   delivered_at=now)
    Message.objects.filter(pk=failed.pk).update(status=MessageStatus.FAILED, failed_at=now)
    page = client.get(reverse("web:person_detail", kwargs={"person_id": person.pk}))
    text = page.content.decode()
    assert 'data-testid="person-notifications"' in text
    assert "+4741234567" in text and "Levert" in text
    assert "Feilet" in text and "ring i stedet" in text
    assert "Hemmelig" not in text  # what the message said is not repeated here
    other = PersonFactory(district_id="030111")
    page = client.get(reverse("web:person_detail", kwargs={"person_id": other.pk}))
    assert "Laget har ikke sendt meldinger om denne personen." in page.content.decode()
