"""The letter to a guardian the police unit tells by hand: linked from the receipt for each
guardian, the guardian's message in the guardian's language (right to left for Arabic, with the
bokmål text below a translation), Noto fonts embedded for Arabic and Ethiopic, only for the
registering unit, audited, and the guardian's name never in the URL."""

import datetime as dt
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laget.accounts.tests.factories import AgencyFactory
from laget.areas.models import Subdistrict
from laget.audit.actions import Action, Outcome
from laget.audit.models import AuditEvent
from laget.core import clock
from laget.notify.models import Message, MessageStatus
from laget.notify.templates import render
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.policing.models import PoliceRegistration
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

STOVNER = "030111"
UNIT = "Oslo politidistrikt, forebyggende Stovner"


def born(years: int) -> dt.date:
    return clock.today() - dt.timedelta(days=int(years * 365.25) + 40)


@pytest.fixture
def unit(db):
    return AgencyFactory(type="politi", name=UNIT, district_id=None)


@pytest.fixture
def officer(make_member, unit):
    return make_member("caseworker", agency=unit, password=None)


@pytest.fixture
def client_for(login, rulebook):
    return lambda user: login(Client(), user)


def _register(client, *, language: str, phone: str = "", kind: str = "stop_search",
              weapon: str = "none", given_name: str = "Sara"):
    """A registration of a 15-year-old with one guardian who prefers `language`; returns the
    registration and the guardian."""
    person = PersonFactory(district_id=STOVNER, birth_date=born(15), given_name=given_name)
    guardian = GuardianFactory(person=person, given_name="Amina", family_name="Foresatt",
                               phone=phone, email="", preferred_language=language)
    place = Subdistrict.objects.filter(district_id=STOVNER).order_by("code").first()
    response = client.post(reverse("web:police_create"), {
        "kind": kind, "national_id": person.national_id, "given_name": given_name,
        "family_name": person.family_name, "birth_date": "", "subdistrict": place.pk,
        "occurred_at": timezone.localtime(clock.now()).strftime("%Y-%m-%dT%H:%M"),
        "grounds": "Lukt av cannabis.", "found_items": "", "weapon_type": weapon,
        "offence_category": "", "held": "0",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    return PoliceRegistration.objects.get(person=person), guardian


def _letter_url(registration, guardian) -> str:
    return reverse("web:police_guardian_letter",
                   kwargs={"registration_id": registration.pk, "guardian_id": guardian.pk})


def _plain(text: str) -> str:
    """PDF text as words to compare: Arabic presentation forms folded back to letters, the
    invisible bidi and joiner marks dropped, whitespace squeezed."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u0640]", "", text)
    return " ".join(text.split())


def _fonts(content: bytes, tmp_path: Path) -> str:
    pdffonts = shutil.which("pdffonts")
    assert pdffonts, "pdffonts is missing (apt-get install poppler-utils; `make test` does)"
    path = tmp_path / "letter.pdf"
    path.write_bytes(content)
    return subprocess.run([pdffonts, str(path)], capture_output=True, check=True,
                          text=True).stdout


def _embedded(fonts: str, family: str) -> bool:
    """Whether `pdffonts` lists an embedded font whose name holds `family` (the name as
    WeasyPrint writes it, "Noto-Naskh-Arabic", with its hyphens dropped)."""
    return any(family in line.split(" ")[0].replace("-", "") and re.search(r"\byes\b", line)
               for line in fonts.splitlines())


def _keep(content: bytes, name: str) -> None:
    """With LAGET_KEEP_PDF=<dir>, the rendered letter is kept for a person to look at."""
    if folder := os.environ.get("LAGET_KEEP_PDF"):
        Path(folder, name).write_bytes(content)


def test_the_receipt_links_a_letter_per_guardian_with_only_ids_in_the_url(client_for, officer):
    client = client_for(officer)
    registration, guardian = _register(client, language="ar")
    page = client.get(reverse("web:police_receipt",
                              kwargs={"registration_id": registration.pk})).content.decode()
    url = _letter_url(registration, guardian)
    assert url == (f"/politi/registreringer/{registration.pk}/brev/{guardian.pk}.pdf")
    assert f'href="{url}"' in page and "Brev til foresatt (PDF)" in page
    assert reverse("web:notify_texts") in page


def test_an_arabic_letter_runs_right_to_left_in_noto_naskh_with_the_bokmal_below(
        client_for, officer, tmp_path):
    client = client_for(officer)
    registration, guardian = _register(client, language="ar")
    response = client.get(_letter_url(registration, guardian))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "Amina" not in response["Content-Disposition"]
    _keep(response.content, "letter-ar.pdf")
    context = {"first_name": "Sara", "unit": UNIT, "phone": settings.LAGET_POLICE_PHONE}
    arabic = render("police.stop_search", "ar", context)
    text = _plain(pdf_text(response.content))
    for word in ("الشرطة", "طفلك", "بتفتيشه", "أسئلة"):
        assert word in text, word
    assert _plain(arabic.subject) in text
    assert "Amina Foresatt" in text and UNIT in text and settings.LAGET_POLICE_PHONE in text
    bokmal = render("police.stop_search", "nb", context)
    assert _plain(bokmal.body) in text  # the Norwegian text below the draft translation
    fonts = _fonts(response.content, tmp_path)
    assert _embedded(fonts, "NotoNaskhArabic"), fonts


def test_a_tigrinya_letter_is_set_in_noto_sans_ethiopic(client_for, officer, tmp_path):
    client = client_for(officer)
    registration, guardian = _register(client, language="ti", kind="stop_search",
                                       weapon="kniv")
    response = client.get(_letter_url(registration, guardian))
    assert response.status_code == 200
    _keep(response.content, "letter-ti.pdf")
    tigrinya = render("police.weapon", "ti", {"first_name": "Sara", "unit": UNIT,
                                              "phone": settings.LAGET_POLICE_PHONE})
    text = _plain(pdf_text(response.content))
    assert _plain(tigrinya.subject) in text
    assert _plain(tigrinya.body) in text
    assert _embedded(_fonts(response.content, tmp_path), "NotoSansEthiopic")


def test_a_bokmal_letter_has_no_second_text(client_for, officer):
    client = client_for(officer)
    registration, guardian = _register(client, language="nb")
    text = _plain(pdf_text(client.get(_letter_url(registration, guardian)).content))
    assert text.count("Melding fra politiet") == 1
    assert "Barnet ditt, Sara, ble stanset og kontrollert" in text


def test_a_guardian_whose_sms_failed_gets_a_letter_too(client_for, officer):
    client = client_for(officer)
    registration, guardian = _register(client, language="pl", phone="99999999")
    Message.objects.update(status=MessageStatus.FAILED)
    page = client.get(reverse("web:police_receipt",
                              kwargs={"registration_id": registration.pk})).content.decode()
    assert "Feilet" in page and _letter_url(registration, guardian) in page
    text = _plain(pdf_text(client.get(_letter_url(registration, guardian)).content))
    assert "Wiadomość od policji" in text


def test_the_letter_is_audited_without_its_text(client_for, officer):
    client = client_for(officer)
    registration, guardian = _register(client, language="ur")
    _keep(client.get(_letter_url(registration, guardian)).content, "letter-ur.pdf")
    event = AuditEvent.objects.filter(action=Action.POLICE_VIEW,
                                      details__document="guardian_letter").get()
    assert event.outcome == Outcome.OK and event.object_id == str(registration.pk)
    assert list(event.subjects.values_list("person_id", flat=True)) == [registration.person_id]
    assert event.details == {"document": "guardian_letter", "guardian_id": str(guardian.pk),
                             "language": "ur", "reviewed": False}


def test_only_the_registering_unit_and_only_its_guardians(client_for, officer, make_member):
    client = client_for(officer)
    registration, guardian = _register(client, language="so")
    url = _letter_url(registration, guardian)
    other_unit = make_member("caseworker", agency_type="politi", district=None, password=None)
    assert client_for(other_unit).get(url).status_code == 404
    assert AuditEvent.objects.filter(action=Action.POLICE_VIEW, outcome=Outcome.DENIED,
                                     details__letter=True).exists()
    coordinator = make_member("coordinator", password=None)
    assert client_for(coordinator).get(url).status_code == 403
    # a guardian of someone else, or without parental responsibility, has no letter here
    stranger = GuardianFactory(person=PersonFactory(district_id=STOVNER))
    assert client.get(_letter_url(registration, stranger)).status_code == 404
    guardian.parental_responsibility = False
    guardian.save(update_fields=["parental_responsibility"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("protect", ["guardian_restricted", "guardian_address", "person_address"])
def test_no_letter_to_a_guardian_behind_a_protected_address_or_restricted_contact(
        client_for, officer, protect):
    """A printed letter could reveal what the protection hides: no link, and the URL is 404."""
    client = client_for(officer)
    person = PersonFactory(district_id=STOVNER, birth_date=born(15), given_name="Sara",
                           address_protection="fortrolig" if protect == "person_address" else "")
    guardian = GuardianFactory(
        person=person, given_name="Amina", family_name="Foresatt", phone="99999999",
        restricted_contact=protect == "guardian_restricted",
        address_protection="strengt_fortrolig" if protect == "guardian_address" else "")
    place = Subdistrict.objects.filter(district_id=STOVNER).order_by("code").first()
    client.post(reverse("web:police_create"), {
        "kind": "stop_search", "national_id": person.national_id, "given_name": "Sara",
        "family_name": person.family_name, "birth_date": "", "subdistrict": place.pk,
        "occurred_at": timezone.localtime(clock.now()).strftime("%Y-%m-%dT%H:%M"),
        "grounds": "Lukt av cannabis.", "found_items": "", "weapon_type": "none",
        "offence_category": "", "held": "0"})
    registration = PoliceRegistration.objects.get(person=person)
    page = client.get(reverse("web:police_receipt",
                              kwargs={"registration_id": registration.pk})).content.decode()
    assert "Ring selv: Amina Foresatt" in page
    assert "Brev til foresatt (PDF)" not in page
    assert client.get(_letter_url(registration, guardian)).status_code == 404
