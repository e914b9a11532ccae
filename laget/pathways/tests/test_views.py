"""The catalogue pages through HTTP: filters, a provider's offer form with clear errors, opening
hours, the admin's import upload, coverage, and refusing a referral without consent."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from laget.pathways.models import Offer

pytestmark = pytest.mark.django_db


def test_catalogue_filters(scene, login, make_member):
    client = login(Client(), make_member("analyst", agency_type="by", district=None))
    page = client.get("/tilbud/", {"kind": "fritidsklubb", "age": "12"})
    assert scene.offer.name in page.content.decode()
    page = client.get("/tilbud/", {"kind": "idrett"})
    assert scene.offer.name not in page.content.decode()
    assert client.get(f"/tilbud/{scene.offer.pk}/").status_code == 200


def test_provider_form_errors_and_save(scene, login):
    client = login(Client(), scene.club_user.user)
    page = client.post("/tilbud/nytt/", {"kind": "idrett", "name": "Fotball", "age_min": "16",
                                         "age_max": "12", "price_nok": "0", "places": "5",
                                         "free_places": "9", "active": "on"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "kan ikke være lavere" in text and "flere gratisplasser" in text
    assert not Offer.objects.filter(name="Fotball").exists()
    page = client.post("/tilbud/nytt/", {"kind": "idrett", "name": "Fotball", "age_min": "10",
                                         "age_max": "16", "price_nok": "0", "places": "20",
                                         "free_places": "5", "district": "030111",
                                         "active": "on"})
    offer = Offer.objects.get(name="Fotball")
    assert page.status_code == 302 and offer.provider == scene.club
    hours = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0",
             "form-0-season": "skolear", "form-0-weekday": "0", "form-0-opens": "15:00",
             "form-0-closes": "21:00", "form-1-season": "skolear", "form-1-weekday": "0",
             "form-1-opens": "20:00", "form-1-closes": "22:00"}
    page = client.post(f"/tilbud/{offer.pk}/apningstider/", hours)
    assert page.status_code == 200 and "overlapper" in page.content.decode()
    hours.update({"form-1-weekday": "2"})
    assert client.post(f"/tilbud/{offer.pk}/apningstider/", hours).status_code == 302
    assert offer.opening_hours.count() == 2


def test_import_page_for_the_admin(login, make_member):
    admin = make_member("admin", agency_type="by", district=None, is_staff=True)
    client = login(Client(), admin)
    bad = SimpleUploadedFile("k.csv", b"name\nX\n", content_type="text/csv")
    page = client.post("/tilbud/import/", {"file": bad})
    assert page.status_code == 200 and "Kolonner mangler" in page.content.decode()


def test_coverage_page(login, make_member):
    client = login(Client(), make_member("analyst", agency_type="by", district=None))
    page = client.get("/tilbud/dekning/")
    assert page.status_code == 200 and "Stovner" in page.content.decode()


def test_refer_page_refuses_without_consent(scene, login):
    client = login(Client(), scene.coordinator.user)
    page = client.post(f"/tilbud/henvis/{scene.case.pk}/",
                       {"offer": str(scene.offer.pk), "text": "Tekst."})
    assert page.status_code == 200
    assert "Det trengs samtykke" in page.content.decode()
    scene.consent()
    page = client.post(f"/tilbud/henvis/{scene.case.pk}/",
                       {"offer": str(scene.offer.pk), "text": "Tekst."})
    assert page.status_code == 302
