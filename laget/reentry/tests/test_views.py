"""The reentry pages through HTTP: the release flow from registration to an outcome, the NAV
list's alert, the exchange with its receipt, the placement warning with and without its reason,
and who gets 403 or 404."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from laget.core import clock
from laget.people.tests.factories import PersonFactory
from laget.reentry import placement, services
from laget.reentry.models import AffiliationKind, ExchangeMessage, Placement, Release


@pytest.fixture
def client_for(login):
    def make(actor):
        return login(Client(), actor.user)
    return make


def test_release_pages_from_registration_to_outcome(scene, client_for):
    ko, nav = client_for(scene.ko), client_for(scene.nav)
    person = PersonFactory(birth_date=clock.today().replace(year=clock.today().year - 19))
    expected = clock.today() + dt.timedelta(days=10)
    form = {"national_id": person.national_id, "expected_date": expected.isoformat(),
            "kind": "parole", "municipality": "Oslo", "district": "030111",
            "conditions": "Meldeplikt"}
    page = ko.post(reverse("web:reentry_release_new"), form)
    assert page.status_code == 200 and "uker fram i tid" in page.content.decode()
    assert not Release.objects.exists()
    page = ko.post(reverse("web:reentry_release_new"),
                   {**form, "short_notice_reason": "Dom nylig"})
    release = Release.objects.get()
    assert page.status_code == 302
    page = ko.post(reverse("web:reentry_handover", kwargs={"release_id": release.pk}),
                   {"nav_office": scene.nav.agency.pk, "owner": scene.nav.user.pk})
    assert page.status_code == 302
    plan = release.plan
    listing = nav.get(reverse("web:reentry_home"))
    assert 'data-testid="reentry-alert"' in listing.content.decode()
    assert person.full_name in listing.content.decode()
    page = nav.post(reverse("web:reentry_checklist", kwargs={"plan_id": plan.pk}),
                    {"id_documents": "on", "bank_account": "on", "housing_confirmed": "on",
                     "first_meeting_on": expected.isoformat()})
    assert page.status_code == 302
    page = nav.post(reverse("web:reentry_plan", kwargs={"plan_id": plan.pk}),
                    {"work": "Praksisplass", "first_day_contact": "Kari"})
    assert page.status_code == 302
    plan.refresh_from_db()
    assert plan.work == "Praksisplass" and plan.id_documents
    listing = nav.get(reverse("web:reentry_home"))
    assert 'data-testid="reentry-alert"' not in listing.content.decode()
    # the unit sees the handover and the checklist, never NAV's plan texts
    page = ko.get(reverse("web:reentry_release", kwargs={"release_id": release.pk}))
    assert "Alt er klart" in page.content.decode() and "Praksisplass" not in page.content.decode()
    with clock.frozen(dt.datetime.combine(expected, dt.time(10), tzinfo=dt.UTC)):
        assert ko.post(reverse("web:reentry_confirm", kwargs={"release_id": release.pk}),
                       {"actual_date": expected.isoformat()}).status_code == 302
    due = services.add_months(expected, 3)
    url = reverse("web:reentry_outcome", kwargs={"plan_id": plan.pk, "milestone": 3})
    answer = {"occupation": "work", "housing_stable": "yes", "new_conviction": "no"}
    assert "kan registreres fra" in nav.post(url, answer).content.decode()
    with clock.frozen(dt.datetime.combine(due, dt.time(10), tzinfo=dt.UTC)):
        assert nav.post(url, answer).status_code == 302
    assert plan.outcomes.get().occupation == "work"
    # bad input: the form again, no 500
    assert nav.post(url, {"occupation": "bogus"}).status_code == 200


def test_who_gets_what(scene, client_for, make_member):
    from laget.reentry.tests.conftest import actor_of
    nav, police, ko_other = client_for(scene.nav), client_for(scene.police), client_for(
        scene.ko_other)
    for name in ("reentry_messages", "reentry_message_new", "reentry_networks",
                 "reentry_placements"):
        assert nav.get(reverse(f"web:{name}")).status_code == 403
    assert police.get(reverse("web:reentry_release_new")).status_code == 403
    bydel = client_for(actor_of(make_member("caseworker")))
    assert bydel.get(reverse("web:reentry_home")).status_code == 403
    with clock.frozen(clock.now()):
        person = PersonFactory()
        release = services.release_register(
            actor=scene.ko, national_id=person.national_id, given_name="", family_name="",
            expected_date=clock.today() + dt.timedelta(days=90), kind="full_term",
            municipality="Oslo", district=person.district)
    assert ko_other.get(reverse("web:reentry_release",
                                kwargs={"release_id": release.pk})).status_code == 404


def test_exchange_pages_with_receipt(scene, client_for, draft_rules_in_force):
    ko, police, nav = client_for(scene.ko), client_for(scene.police), client_for(scene.nav)
    person = PersonFactory()
    page = police.post(reverse("web:reentry_message_new"), {
        "national_id": person.national_id, "receiver": scene.ko.agency.pk,
        "category": "network", "purpose": "forebygging", "text": "Tilhører Nord-gjengen."})
    assert page.status_code == 302
    message = ExchangeMessage.objects.get()
    url = reverse("web:reentry_message", kwargs={"message_id": message.pk})
    assert "Ikke lest ennå" in police.get(url).content.decode()
    assert nav.get(url).status_code == 403
    assert client_for(scene.ko_other).get(url).status_code == 404
    assert "Nord-gjengen" in ko.get(url).content.decode()
    message.refresh_from_db()
    assert message.read_by == scene.ko.user
    assert "Ulest" not in police.get(reverse("web:reentry_messages")).content.decode()
    # kriminalomsorgen cannot send network intelligence: the choice is not offered
    page = ko.post(reverse("web:reentry_message_new"), {
        "national_id": person.national_id, "receiver": scene.police.agency.pk,
        "category": "network", "purpose": "forebygging", "text": "x"})
    assert page.status_code == 200 and ExchangeMessage.objects.count() == 1


@pytest.mark.parametrize("with_basis", [True, False])
def test_placement_page_warning_reason_and_override(scene, client_for, settings, with_basis):
    settings.LAGET_RULES_UNREVIEWED_IN_FORCE = with_basis
    held, newcomer = PersonFactory(given_name="Innsatt", family_name="Eldre"), PersonFactory()
    for p in (held, newcomer):
        placement.network_register(actor=scene.police, person=p, network_code="nord",
                                   network_name="Nord-gjengen", kind=AffiliationKind.MEMBER)
    placement.placement_create(actor=scene.ko, person=held, section="B", kind="placement")
    ko = client_for(scene.ko)
    form = {"national_id": newcomer.national_id, "section": "B", "kind": "placement"}
    page = ko.post(reverse("web:reentry_placements"), form).content.decode()
    assert 'data-testid="reentry-placement-warning"' in page
    assert ("Nord-gjengen" in page) is with_basis
    assert ("Innsatt Eldre" in page.split("Innsatte i enheten nå")[0]) is with_basis
    assert not Placement.objects.filter(person=newcomer).exists()
    page = ko.post(reverse("web:reentry_placements"), {**form, "override_reason": "Full"})
    assert page.status_code == 302
    assert Placement.objects.get(person=newcomer).warned


def test_nav_sees_the_plan_never_police_intelligence(scene, client_for, draft_rules_in_force):
    person = PersonFactory()
    release = services.release_register(
        actor=scene.ko, national_id=person.national_id, given_name="", family_name="",
        expected_date=clock.today() + dt.timedelta(days=90), kind="full_term",
        municipality="Oslo", district=person.district)
    plan = services.release_handover(actor=scene.ko, release=release,
                                     nav_office=scene.nav.agency, owner=scene.nav.user)
    placement.network_register(actor=scene.police, person=person, network_code="nord",
                               network_name="Nord-gjengen", kind=AffiliationKind.MEMBER)
    from laget.reentry import exchange
    exchange.message_send(actor=scene.police, person=person, receiver=scene.ko.agency,
                          category="network", purpose="forebygging",
                          text="Tilhører Nord-gjengen.")
    nav = client_for(scene.nav)
    for url in (reverse("web:reentry_home"),
                reverse("web:reentry_plan", kwargs={"plan_id": plan.pk})):
        page = nav.get(url)
        assert page.status_code == 200 and person.full_name in page.content.decode()
        assert "Nord-gjengen" not in page.content.decode()
