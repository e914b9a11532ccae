"""Consent pages: register through the form, what the police member then sees, withdrawal taking
effect on the next page load, the printable form, and invalid input that writes nothing."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from laget.audit.models import AuditEvent
from laget.core import clock
from laget.sharing.models import Consent, ConsentGrant
from tests.pdf import pdf_text as text_of_pdf

pytestmark = pytest.mark.django_db


def _url(world, name, **kwargs):
    return reverse(name, kwargs={"case_id": world.case.pk, **kwargs})


def _form(world, **overrides):
    today = clock.today()
    data = {
        "given_by": "guardian", "guardians": [str(g.pk) for g in world.guardians],
        "method": "signed_form", "categories": ["skole"], "recipients": ["politi"],
        "purposes": ["forebygging"], "valid_from": today.isoformat(),
        "valid_to": (today + dt.timedelta(days=90)).isoformat(),
        "youth_view": "Vil at politiet vet om skolen.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def coordinator(world, login):
    return login(Client(), world.coordinator)


@pytest.fixture
def officer(world, login):
    return login(Client(), world.officer)


def test_consent_pages_render_for_the_coordinator(world, coordinator):
    consent = world.consent()
    for url in (_url(world, "web:consent_list"), _url(world, "web:consent_create"),
                _url(world, "web:consent_detail", consent_id=consent.pk),
                _url(world, "web:consent_withdraw", consent_id=consent.pk)):
        assert coordinator.get(url).status_code == 200, url
    listed = coordinator.get(_url(world, "web:consent_list")).content.decode()
    assert "Skole" in listed and "Politi" in listed and "gjeldende" in listed
    form = coordinator.get(_url(world, "web:consent_create") + "?kategori=skole&mottaker=politi")
    page = form.content.decode()
    assert "Mor Syntetisk" in page and "Far Syntetisk" in page
    assert 'value="skole" id="id_categories_2" checked' in page


def test_registered_consent_opens_the_school_entry_and_withdrawal_closes_it(world, coordinator,
                                                                            officer):
    case_url = _url(world, "web:case_detail")
    assert "Fravær 30 prosent" not in officer.get(case_url).content.decode()

    response = coordinator.post(_url(world, "web:consent_create"), _form(world))
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert response["Location"] == _url(world, "web:consent_detail", consent_id=consent.pk)
    assert set(consent.guardians.all()) == set(world.guardians)
    assert ConsentGrant.objects.filter(consent=consent, category="skole",
                                       recipient="politi").count() == 1
    page = officer.get(case_url).content.decode()
    assert "Fravær 30 prosent siste måned." in page

    withdraw = _url(world, "web:consent_withdraw", consent_id=consent.pk)
    assert coordinator.post(withdraw, {"withdrawn_by": "guardian"}).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_by == "guardian" and consent.withdrawn_at is not None
    page = officer.get(case_url).content.decode()  # the very next page load
    assert "Fravær 30 prosent" not in page
    assert "1 opplysning fra Haugen skole (Skole) er ikke tilgjengelig for deg." in page
    entry_url = _url(world, "web:entry_detail", entry_id=world.school_entry.pk)
    assert officer.get(entry_url).status_code == 404
    detail = coordinator.get(_url(world, "web:consent_detail", consent_id=consent.pk))
    assert "trukket tilbake" in detail.content.decode()
    again = coordinator.post(withdraw, {"withdrawn_by": "youth"})
    assert "allerede trukket tilbake" in again.content.decode()
    assert AuditEvent.objects.filter(action="consent.withdraw").count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"valid_to": (clock.today() - dt.timedelta(days=1)).isoformat()},
         "Sluttdatoen er før startdatoen."),
        ({"categories": ["skole", "ukjent"]}, "Ukjent kategori: ukjent."),
        ({"recipients": ["mars"]}, "Ukjent mottaker: mars."),
        ({"purposes": []}, "Velg minst ett formål."),
        ({"given_by": "nabo"}, "Velg hvem som gir samtykket."),
        ({"valid_from": "i morgen"}, "Gyldig fra"),
        ({"guardians": []}, "Alle foresatte med foreldreansvar må samtykke"),
        ({"youth_view": ""}, "Den unge skal høres fra 12 år"),
        ({"given_by": "youth"}, "må samtykket gis av foresatte"),
    ],
)
def test_invalid_consent_is_a_form_error_and_writes_nothing(world, coordinator, overrides,
                                                            message):
    response = coordinator.post(_url(world, "web:consent_create"), _form(world, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Consent.objects.exists()
    assert not AuditEvent.objects.filter(action="consent.register").exists()


def test_printable_consent_form_is_a_pdf_and_is_audited(world, coordinator):
    consent = world.consent()
    url = _url(world, "web:consent_pdf", consent_id=consent.pk)
    for query, language in (("", "nb"), ("?lang=en", "en"), ("?lang=xx", "nb")):
        response = coordinator.get(url + query)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        event = AuditEvent.objects.filter(action="consent.form").latest("id")
        assert event.details == {"language": language} and event.purpose == "oppfolging"
    text = text_of_pdf(coordinator.get(url).content)
    for expected in ("Samtykke til deling av opplysninger", "Sara Syntetisk", "Skole",
                     "Politi", "forvaltningsloven § 13 a nr. 1", "trekke samtykket tilbake"):
        assert expected in text, expected


def test_police_member_cannot_see_the_consent_record_or_its_form(world, officer):
    consent = world.consent()
    for name in ("web:consent_detail", "web:consent_pdf", "web:consent_withdraw"):
        assert officer.get(_url(world, name, consent_id=consent.pk)).status_code == 404
    assert not AuditEvent.objects.filter(action="consent.form").exists()
