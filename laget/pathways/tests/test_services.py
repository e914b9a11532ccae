"""Referrals through the sharing engine, the provider's answers and attendance, and how they flow
back to the case plan."""

import datetime as dt

import pytest

from laget.audit.models import AuditEvent
from laget.cases.models import PlanMeasure
from laget.cases.selectors_plan import plan_panel_for
from laget.core import clock
from laget.core.errors import DomainError
from laget.notify.models import Message
from laget.pathways import services
from laget.pathways.models import Attendance, OfferKind, ReferralStatus
from laget.pathways.services import Opening
from laget.pathways.tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


def test_a_referral_needs_consent_for_identity_and_activity(scene):
    with pytest.raises(DomainError) as refused:
        services.referral_create(actor=scene.coordinator, case=scene.case, offer=scene.offer,
                                 text="Trenger et sted å være etter skolen.")
    assert refused.value.code == "no_basis"
    assert "samtykke" in refused.value.message and "identitet" in refused.value.message
    assert scene.club.name in refused.value.message


def test_a_consent_for_another_recipient_is_no_basis(scene):
    scene.consent(recipients=("skole",))
    with pytest.raises(DomainError, match="samtykke"):
        services.referral_create(actor=scene.coordinator, case=scene.case, offer=scene.offer,
                                 text="Tekst.")


def test_referral_with_consent_records_its_basis_and_links_the_plan(scene):
    consent = scene.consent()
    referral = services.referral_create(actor=scene.coordinator, case=scene.case,
                                        offer=scene.offer, text="Trenger et sted å være.")
    assert referral.status == ReferralStatus.SENT
    assert referral.basis["identitet"]["consent"] == str(consent.pk)
    assert referral.basis["identitet"]["rule"] == "fvl-13a-samtykke"
    assert PlanMeasure.objects.filter(kind="tilbud", ref=referral.pk).exists()
    event = AuditEvent.objects.get(action="pathways.refer")
    assert "fvl-13a-samtykke" in event.basis
    # the provider is told, without personal data
    message = Message.objects.get(idempotency_key__startswith="pathways:referral:")
    assert scene.person.given_name not in message.body


def test_age_range_is_checked(scene):
    scene.consent()
    adults = OfferFactory(provider=scene.club, age_min=18, age_max=24)
    with pytest.raises(DomainError) as refused:
        services.referral_create(actor=scene.coordinator, case=scene.case, offer=adults,
                                 text="Tekst.")
    assert refused.value.code == "age"


def test_only_the_team_refers(scene, make_member):
    from laget.pathways.tests.conftest import actor_of

    scene.consent()
    outsider = actor_of(make_member("caseworker", agency_type="skole"))
    with pytest.raises(DomainError) as refused:
        services.referral_create(actor=outsider, case=scene.case, offer=scene.offer, text="T.")
    assert refused.value.code == "not_on_team"


def test_provider_answers_records_attendance_and_it_flows_to_the_plan(scene):
    scene.consent()
    referral = services.referral_create(actor=scene.coordinator, case=scene.case,
                                        offer=scene.offer, text="Tekst.")
    with pytest.raises(DomainError):  # not the provider
        services.referral_decide(actor=scene.coordinator, referral=referral, decision="accept")
    with pytest.raises(DomainError) as no_reason:
        services.referral_decide(actor=scene.club_user, referral=referral, decision="decline")
    assert no_reason.value.code == "reason"
    services.referral_decide(actor=scene.club_user, referral=referral, decision="accept")
    today = clock.today()
    referral.refresh_from_db()
    for days, came in ((0, True), (0, False), (0, True)):
        services.attendance_record(actor=scene.club_user, referral=referral,
                                   on=today - dt.timedelta(days=days), attended=came)
    assert Attendance.objects.filter(referral=referral).count() == 1  # one row per date
    with pytest.raises(DomainError):
        services.attendance_record(actor=scene.club_user, referral=referral,
                                   on=today + dt.timedelta(days=1), attended=True)
    panel = plan_panel_for(actor=scene.coordinator, case=scene.case)
    names = [m.view.name for m in panel.measures]
    assert any("1 av 1 oppmøter" in name and scene.offer.name in name for name in names)
    # the coordinator is told of the answer without personal data
    told = Message.objects.filter(idempotency_key__startswith="pathways:accepted:")
    assert told.exists() and all(scene.person.given_name not in m.body for m in told)


def test_dropout_shows_on_the_plan_and_tells_the_coordinator(scene):
    scene.consent()
    referral = services.referral_create(actor=scene.coordinator, case=scene.case,
                                        offer=scene.offer, text="Tekst.")
    services.referral_decide(actor=scene.club_user, referral=referral, decision="accept")
    with pytest.raises(DomainError):
        services.referral_end(actor=scene.club_user, referral=referral, outcome="avbrutt")
    services.referral_end(actor=scene.club_user, referral=referral, outcome="avbrutt",
                          reason="Sluttet å komme.")
    panel = plan_panel_for(actor=scene.coordinator, case=scene.case)
    assert any("Avbrutt" in m.view.name for m in panel.measures)
    assert Message.objects.filter(idempotency_key__startswith="pathways:dropped:").exists()


def test_job_placement(scene):
    scene.consent()
    job = OfferFactory(provider=scene.club, kind=OfferKind.SUMMER_JOB, age_min=13, age_max=17,
                       employer="Bydel Stovner", places=10)
    referral = services.referral_create(actor=scene.coordinator, case=scene.case, offer=job,
                                        text="Sommerjobb.")
    services.referral_decide(actor=scene.club_user, referral=referral, decision="accept")
    today = clock.today()
    with pytest.raises(DomainError):
        services.placement_set(actor=scene.club_user, referral=referral, start=today,
                               hours=services.Decimal("10"), end=today - dt.timedelta(days=1))
    services.placement_set(actor=scene.club_user, referral=referral, start=today,
                           hours=services.Decimal("12.5"), end=today + dt.timedelta(days=30))
    referral.refresh_from_db()
    assert referral.placement_hours == services.Decimal("12.5")
    club_referral = services.referral_create(actor=scene.coordinator, case=scene.case,
                                             offer=scene.offer, text="Klubb.")
    services.referral_decide(actor=scene.club_user, referral=club_referral, decision="accept")
    with pytest.raises(DomainError, match="jobber"):
        services.placement_set(actor=scene.club_user, referral=club_referral, start=today,
                               hours=services.Decimal("5"), end=None)


def test_offer_save_and_opening_hours(scene, make_member):
    from laget.pathways.tests.conftest import actor_of

    offer = services.offer_save(actor=scene.club_user, offer=None, provider=scene.club, data={
        "kind": OfferKind.SPORT, "name": "Fotball", "age_min": 10, "age_max": 16,
        "places": 20, "free_places": 5, "district_id": "030111"})
    assert offer.provider == scene.club
    with pytest.raises(DomainError):
        services.offer_save(actor=scene.club_user, offer=offer, provider=scene.club,
                            data={"free_places": 30})
    other = actor_of(make_member("caseworker", agency_type="fritid"))
    with pytest.raises(DomainError) as refused:
        services.offer_save(actor=other, offer=offer, provider=scene.club, data={"name": "X"})
    assert refused.value.code == "not_provider"
    services.opening_hours_set(actor=scene.club_user, offer=offer, openings=[
        Opening("skolear", 0, dt.time(15), dt.time(21))])
    with pytest.raises(DomainError) as overlap:
        services.opening_hours_set(actor=scene.club_user, offer=offer, openings=[
            Opening("skolear", 0, dt.time(15), dt.time(21)),
            Opening("skolear", 0, dt.time(20), dt.time(22))])
    assert overlap.value.code == "hours_overlap"
    assert offer.opening_hours.count() == 1
    assert AuditEvent.objects.filter(action="pathways.offer_change").count() == 2
