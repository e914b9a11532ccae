"""A provider who receives a referral learns only what the referral discloses: never the case's
entries, its team or anything beyond name, age, contact, language and the referral text."""

import pytest
from django.test import Client

from laget.audit.models import AuditEvent
from laget.pathways import selectors, services
from laget.sharing import services as sharing_services
from laget.sharing.engine import disclosure_basis
from laget.sharing.selectors import case_entries_for

pytestmark = pytest.mark.django_db
SECRET = "HEMMELIG-opplysning-9d1"


def _referred(scene):
    scene.consent()
    sharing_services.entry_add(actor=scene.coordinator, case=scene.case, category="aktivitet",
                               text=f"{SECRET} aktivitet")
    sharing_services.entry_add(actor=scene.coordinator, case=scene.case, category="plan",
                               text=f"{SECRET} plan")
    return services.referral_create(actor=scene.coordinator, case=scene.case, offer=scene.offer,
                                    text="Liker fotball og trenger et sted etter skolen.")


def test_disclosure_basis_by_consent_and_deny(scene):
    bases = disclosure_basis(source_type="bydel", recipient_type="fritid", case_id=scene.case.pk,
                             birth_date=scene.person.birth_date,
                             categories=["identitet", "aktivitet", "helse"],
                             purpose="oppfolging")
    by = {b.category: b for b in bases}
    assert not by["identitet"].allowed and by["identitet"].rule.rule_id == "fvl-13a-samtykke"
    # health to a leisure provider is denied whatever the consent
    assert not by["helse"].allowed and by["helse"].rule.rule_id == "fritid-dataminimering"
    consent = scene.consent(categories=("identitet", "aktivitet", "helse"))
    by = {b.category: b for b in disclosure_basis(
        source_type="bydel", recipient_type="fritid", case_id=scene.case.pk,
        birth_date=scene.person.birth_date, categories=["identitet", "helse"],
        purpose="oppfolging")}
    assert by["identitet"].allowed and by["identitet"].consent_id == consent.pk
    assert not by["helse"].allowed


def test_the_provider_never_sees_the_case_entries(scene):
    _referred(scene)
    _hidden, shown = case_entries_for(actor=scene.club_user, case=scene.case,
                                     purpose="oppfolging")
    assert shown == []


def test_the_provider_page_shows_only_the_allowed_fields(scene, login):
    referral = _referred(scene)
    client = login(Client(), scene.club_user.user)
    page = client.get(f"/tilbud/henvisninger/{referral.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert scene.person.full_name in text
    assert "14 år" in text
    assert scene.guardian.phone in text
    assert "Liker fotball" in text
    assert SECRET not in text
    assert scene.person.national_id not in text
    assert str(scene.case.pk) not in text
    assert scene.person.birth_date.strftime("%d.%m.%Y") not in text
    assert scene.coordinator.user.get_full_name() not in text  # no team
    event = AuditEvent.objects.filter(action="pathways.referral_view").latest("occurred_at")
    assert "fvl-13a-samtykke" in event.basis
    # and the case itself does not exist for the provider
    assert client.get(f"/saker/{scene.case.pk}/").status_code == 404


def test_other_agencies_do_not_see_the_referral(scene, login, make_member):
    referral = _referred(scene)
    other = make_member("caseworker", agency_type="fritid")
    assert login(Client(), other).get(
        f"/tilbud/henvisninger/{referral.pk}/").status_code == 404


def test_a_withdrawn_consent_hides_the_person_again(scene):
    referral = _referred(scene)
    consent = scene.case.consents.get()
    sharing_services.consent_withdraw(actor=scene.coordinator, consent=consent,
                                      withdrawn_by="guardian")
    view = selectors.referral_get_for_provider(actor=scene.club_user, referral_id=referral.pk)
    assert not view.disclosed and view.name == "" and view.text == ""
    rows = selectors.referrals_for_provider(actor=scene.club_user)
    assert rows[0].age is None and scene.person.given_name not in rows[0].name


def test_a_guardian_with_restricted_contact_is_never_the_contact(scene):
    scene.guardian.restricted_contact = True
    scene.guardian.save()
    referral = _referred(scene)
    view = selectors.referral_get_for_provider(actor=scene.club_user, referral_id=referral.pk)
    assert view.contacts == [] and "henviseren" in view.contact_note
