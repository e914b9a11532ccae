"""Barnevern's pages for reports sent to it (the weapon trigger's report): the start-page card,
the list, one report and acknowledging it; the officer's receipt says the report was sent and
whether barnevern has received it, and that the fast track was asked for."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laget.accounts.tests.factories import AgencyFactory
from laget.areas.models import Subdistrict
from laget.cases.models import BarnevernReport
from laget.core import clock
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.policing.models import PoliceRegistration

pytestmark = pytest.mark.django_db

STOVNER = "030111"


@pytest.fixture
def officer(make_member):
    unit = AgencyFactory(type="politi", name="Øst politidistrikt, Stovner", district_id=None)
    return make_member("caseworker", agency=unit, password=None)


@pytest.fixture
def bv_worker(make_member):
    return make_member("caseworker", agency_type="barnevern", district=STOVNER, password=None)


def _weapon_registration(client: Client) -> PoliceRegistration:
    person = PersonFactory(district_id=STOVNER, given_name="Sara",
                           birth_date=clock.today() - dt.timedelta(days=15 * 366))
    GuardianFactory(person=person, phone="99999999")
    place = Subdistrict.objects.filter(district_id=STOVNER).order_by("code").first()
    response = client.post(reverse("web:police_create"), {
        "kind": "apprehension", "national_id": person.national_id, "given_name": "Sara",
        "family_name": person.family_name, "birth_date": "", "subdistrict": place.pk,
        "occurred_at": timezone.localtime(clock.now()).strftime("%Y-%m-%dT%H:%M"),
        "grounds": "Kniv i jakkelomma.", "found_items": "Kniv", "weapon_type": "kniv",
        "offence_category": "vapenloven", "held": "0"})
    assert response.status_code == 302
    return PoliceRegistration.objects.get()


def test_report_from_police_to_barnevern_and_back(login, officer, bv_worker, rulebook,
                                                  draft_rules_in_force):
    police = login(Client(), officer)
    registration = _weapon_registration(police)
    receipt_url = reverse("web:police_receipt", kwargs={"registration_id": registration.pk})
    receipt = police.get(receipt_url).content.decode()
    assert "Melding sendt til barnevernet i Stovner" in receipt
    assert "ikke bekreftet mottatt ennå" in receipt
    assert "Hurtigspor for straffesaken er bedt om." in receipt

    bv = login(Client(), bv_worker)
    start = bv.get(reverse("web:start")).content.decode()
    assert "1 ny melding til barnevernet" in start
    listing = bv.get(reverse("web:barnevern_reports")).content.decode()
    report = BarnevernReport.objects.get()
    detail_url = reverse("web:barnevern_report", kwargs={"report_id": report.pk})
    assert detail_url in listing and "Sara" in listing
    detail = bv.get(detail_url).content.decode()
    assert "Kniv i jakkelomma." in detail and "straffeprosessloven § 232 a" in detail
    response = bv.post(reverse("web:barnevern_report_receive", kwargs={"report_id": report.pk}))
    assert response.status_code == 302
    assert "Bekreft mottak" not in bv.get(detail_url).content.decode()
    assert "Meldinger til barnevernet" in bv.get(reverse("web:start")).content.decode()
    assert "mottatt" in police.get(receipt_url).content.decode()


def test_others_cannot_open_barnevern_reports(login, officer, bv_worker, make_member, rulebook,
                                              draft_rules_in_force):
    registration = _weapon_registration(login(Client(), officer))
    report = BarnevernReport.objects.get(origin_id=registration.pk)
    detail_url = reverse("web:barnevern_report", kwargs={"report_id": report.pk})
    other_bv = make_member("caseworker", agency_type="barnevern", district="030115",
                           password=None)
    assert login(Client(), other_bv).get(detail_url).status_code == 404
    assert login(Client(), officer).get(detail_url).status_code == 403
    assert login(Client(), officer).get(reverse("web:barnevern_reports")).status_code == 403
    receive = reverse("web:barnevern_report_receive", kwargs={"report_id": report.pk})
    assert login(Client(), other_bv).post(receive).status_code == 404
    assert login(Client(), bv_worker).get(receive).status_code == 405
    assert BarnevernReport.objects.get().received_at is None


def test_without_a_basis_the_officer_is_told_to_report_by_hand(login, officer, bv_worker,
                                                               rulebook):
    police = login(Client(), officer)
    registration = _weapon_registration(police)
    receipt = police.get(reverse("web:police_receipt",
                                 kwargs={"registration_id": registration.pk})).content.decode()
    assert "Meld selv til barnevernet:" in receipt
    assert not BarnevernReport.objects.exists()
