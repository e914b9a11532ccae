"""The family support's writes: referrals need a basis and eligible guardians, the provider's
answer, sessions and outcome; relocation registration, decision, appeal and payments that never
pass the grant; interpreter bookings."""

import datetime as dt

import pytest
from django.db.models import Sum

from laget.audit.models import AuditEvent
from laget.core import clock
from laget.core.errors import DomainError
from laget.familysupport import services
from laget.familysupport.models import (
    InterpreterBooking,
    ParentSupportReferral,
    ReferralStatus,
    RelocationApplication,
)

pytestmark = pytest.mark.django_db

TODAY = clock.today


def refer(scene, **kwargs):
    values = {"actor": scene.coordinator, "case": scene.case, "guardian_ids": [scene.mother.pk],
              "offer": scene.offer, "text": "Mor ønsker veiledning."}
    values.update(kwargs)
    return services.parent_referral_create(**values)


def relocate(scene, **kwargs):
    values = {"actor": scene.coordinator, "case": scene.case, "guardian_ids": [scene.mother.pk],
              "leader": scene.leader.user, "handlers": [scene.caseworker.user],
              "grounds": "Den unge må ut av miljøet.", "reasons": ["kriminelt_miljo", "trusler"],
              "destination_number": "4601", "protected": True, "cost_moving": 20_000,
              "cost_deposit": 30_000, "cost_other": 0}
    values.update(kwargs)
    return services.relocation_create(**values)


# --- parent support -------------------------------------------------------------------------------

def test_referral_needs_the_guardians_consent(scene):
    with pytest.raises(DomainError) as error:
        refer(scene)
    assert error.value.code == "no_basis"
    assert not ParentSupportReferral.objects.exists()


def test_consent_for_another_recipient_type_is_no_basis(scene):
    scene.consent(recipients=("skole",))
    with pytest.raises(DomainError) as error:
        refer(scene)
    assert error.value.code == "no_basis"


def test_referral_with_consent_records_basis_and_audits(scene):
    scene.consent()
    [referral] = refer(scene)
    assert referral.basis == "consent"
    assert referral.status == ReferralStatus.SENT
    event = AuditEvent.objects.get(action="familysupport.parent_refer")
    assert event.details["basis_ref"] == referral.basis_ref
    assert "Mor ønsker" not in str(event.details)


def test_guardian_with_restricted_contact_cannot_be_referred(scene):
    scene.consent()
    with pytest.raises(DomainError) as error:
        refer(scene, guardian_ids=[scene.mother.pk, scene.father.pk])
    assert error.value.code == "guardians"
    assert not ParentSupportReferral.objects.exists()


def test_only_the_case_workflow_readers_refer(scene):
    scene.consent()
    with pytest.raises(DomainError):
        refer(scene, actor=scene.provider)


def test_a_second_open_referral_to_the_same_programme_is_refused(scene):
    scene.consent()
    refer(scene)
    with pytest.raises(DomainError) as error:
        refer(scene)
    assert error.value.code == "duplicate"


def test_provider_answers_records_sessions_and_outcome(scene):
    scene.consent()
    [referral] = refer(scene)
    with pytest.raises(DomainError):  # the referrer is not the provider
        services.parent_referral_answer(actor=scene.coordinator, referral=referral, accept=True)
    with pytest.raises(DomainError):  # a session before acceptance
        services.parent_session_record(actor=scene.provider, referral=referral,
                                       held_on=TODAY())
    services.parent_referral_answer(actor=scene.provider, referral=referral, accept=True)
    services.parent_session_record(actor=scene.provider, referral=referral, held_on=TODAY())
    with pytest.raises(DomainError):
        services.parent_session_record(actor=scene.provider, referral=referral,
                                       held_on=TODAY())
    with pytest.raises(DomainError):
        services.parent_outcome_record(actor=scene.provider, referral=referral,
                                       outcome="completed", benefit=6)
    services.parent_outcome_record(actor=scene.provider, referral=referral, outcome="completed",
                                   benefit=4, note="Nyttig.")
    referral.refresh_from_db()
    assert (referral.status, referral.outcome, referral.benefit) == ("finished", "completed", 4)
    assert referral.sessions.count() == 1
    assert AuditEvent.objects.filter(action="familysupport.parent_outcome").count() == 1


def test_declining_needs_a_reason(scene):
    scene.consent()
    [referral] = refer(scene)
    with pytest.raises(DomainError) as error:
        services.parent_referral_answer(actor=scene.provider, referral=referral, accept=False)
    assert error.value.code == "reason"
    services.parent_referral_answer(actor=scene.provider, referral=referral, accept=False,
                                    reason="Fullt.")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED


# --- relocation -----------------------------------------------------------------------------------

def test_relocation_registration_checks_and_never_audits_the_destination(scene):
    with pytest.raises(DomainError) as error:
        relocate(scene, destination_number="9999")
    assert error.value.code == "destination"
    with pytest.raises(DomainError) as error:
        relocate(scene, leader=scene.caseworker.user)
    assert error.value.code == "leader"
    with pytest.raises(DomainError) as error:
        relocate(scene, handlers=[scene.school.user])
    assert error.value.code == "handlers"
    with pytest.raises(DomainError) as error:
        relocate(scene, actor=scene.caseworker)
    assert error.value.code == "not_coordinator"
    with pytest.raises(DomainError) as error:
        relocate(scene, reasons=["ukjent"])
    assert error.value.code == "reasons"
    application = relocate(scene)
    assert application.destination_name == "Bergen"
    assert application.cost_total == 50_000
    for event in AuditEvent.objects.filter(action__startswith="familysupport."):
        assert "4601" not in str(event.details) and "Bergen" not in str(event.details)


def test_decision_rules(scene):
    application = relocate(scene)
    decide = services.relocation_decide
    with pytest.raises(DomainError) as error:
        decide(actor=scene.other_leader, application=application, decision="granted", amount=0,
               reason="Ja.", decided_on=TODAY())
    assert error.value.code == "not_leader"
    with pytest.raises(DomainError) as error:
        decide(actor=scene.leader, application=application, decision="partly", amount=50_000,
               reason="Delvis.", decided_on=TODAY())
    assert error.value.code == "amount"
    with pytest.raises(DomainError) as error:
        decide(actor=scene.leader, application=application, decision="granted", amount=0,
               reason="Ja.", decided_on=TODAY() + dt.timedelta(days=1))
    assert error.value.code == "decided_on"
    decide(actor=scene.leader, application=application, decision="granted", amount=0,
           reason="Ja.", decided_on=TODAY())
    application.refresh_from_db()
    assert application.granted_amount == 50_000
    with pytest.raises(DomainError) as error:
        decide(actor=scene.leader, application=application, decision="refused", amount=0,
               reason="Nei.", decided_on=TODAY())
    assert error.value.code == "decided"


def test_payments_never_exceed_the_granted_amount(scene):
    application = relocate(scene)
    pay = services.relocation_payment_add
    with pytest.raises(DomainError) as error:  # nothing granted yet
        pay(actor=scene.coordinator, application=application, paid_on=TODAY(), amount=1,
            purpose="Flyttebyrå")
    assert error.value.code == "not_granted"
    services.relocation_decide(actor=scene.leader, application=application, decision="partly",
                               amount=30_000, reason="Depositum dekkes.", decided_on=TODAY())
    pay(actor=scene.coordinator, application=application, paid_on=TODAY(), amount=20_000,
        purpose="Depositum")
    with pytest.raises(DomainError) as error:
        pay(actor=scene.leader, application=application, paid_on=TODAY(), amount=10_001,
            purpose="Flyttebyrå")
    assert error.value.code == "over_grant"
    with pytest.raises(DomainError):  # a named handler may read, not pay
        pay(actor=scene.caseworker, application=application, paid_on=TODAY(), amount=1,
            purpose="Flyttebyrå")
    pay(actor=scene.leader, application=application, paid_on=TODAY(), amount=10_000,
        purpose="Flyttebyrå")
    total = application.payments.aggregate(total=Sum("amount"))["total"]
    assert total == 30_000
    # the appeal raises the grant: the rest may be paid, never more
    services.relocation_appeal_lodge(actor=scene.coordinator, application=application,
                                     lodged_on=TODAY(), grounds="Flyttingen koster også.")
    with pytest.raises(DomainError) as error:
        services.relocation_appeal_decide(actor=scene.coordinator, application=application,
                                          outcome="reversed", decided_on=TODAY(),
                                          amount=29_999)
    assert error.value.code == "amount"
    services.relocation_appeal_decide(actor=scene.coordinator, application=application,
                                      outcome="reversed", decided_on=TODAY(), amount=45_000)
    with pytest.raises(DomainError) as error:
        pay(actor=scene.coordinator, application=application, paid_on=TODAY(), amount=15_001,
            purpose="Flyttebyrå")
    assert error.value.code == "over_grant"
    pay(actor=scene.coordinator, application=application, paid_on=TODAY(), amount=15_000,
        purpose="Flyttebyrå")
    application = RelocationApplication.objects.get(pk=application.pk)
    assert application.payments.aggregate(total=Sum("amount"))["total"] == 45_000


def test_refused_application_has_nothing_to_pay_and_appeal_needs_a_decision(scene):
    application = relocate(scene)
    with pytest.raises(DomainError) as error:
        services.relocation_appeal_lodge(actor=scene.coordinator, application=application,
                                         lodged_on=TODAY(), grounds="Uenig.")
    assert error.value.code == "not_decided"
    services.relocation_decide(actor=scene.leader, application=application, decision="refused",
                               amount=10_000, reason="Ikke grunnlag.", decided_on=TODAY())
    application.refresh_from_db()
    assert application.decision_amount == 0 and application.granted_amount == 0


# --- interpreters ---------------------------------------------------------------------------------

def book(scene, **kwargs):
    values = {"actor": scene.school, "case": scene.case, "kind": "conversation",
              "starts_at": clock.now(), "duration_minutes": 90, "language_code": "so",
              "interpreter_name": "Tolk Testesen", "qualification": "B", "mode": "video",
              "cost_nok": 1_200, "budget_year": TODAY().year}
    values.update(kwargs)
    return services.interpreter_book(**values)


def test_interpreter_booking_by_a_team_member(scene):
    booking = book(scene)
    assert booking.language_name == "Somali"
    assert booking.district_id == scene.case.district_id
    assert booking.agency == scene.school.agency
    assert AuditEvent.objects.filter(action="familysupport.interpreter_book").count() == 1


@pytest.mark.parametrize(("field", "value", "code"), [
    ("language_code", "xx", "language"), ("qualification", "F", "qualification"),
    ("mode", "brev", "mode"), ("duration_minutes", 0, "duration"),
    ("budget_year", 2001, "budget_year"), ("interpreter_name", " ", "interpreter"),
])
def test_interpreter_booking_validation(scene, field, value, code):
    with pytest.raises(DomainError) as error:
        book(scene, **{field: value})
    assert error.value.code == code
    assert not InterpreterBooking.objects.exists()


def test_interpreter_booking_outside_the_team_is_refused(scene):
    with pytest.raises(DomainError) as error:
        book(scene, actor=scene.provider)
    assert error.value.code == "not_on_team"
